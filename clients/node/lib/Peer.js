'use strict';

const { EventEmitter } = require('events');
const { roomClosed } = require('./errors');
const { safeEmit } = require('./safeEmit');

/**
 * A joined peer: the mediasoup v2 Peer API over its session. Its transports, producers and
 * consumers live in the cluster; the client's messages go there unchanged.
 *
 * Events (as mediasoup v2, plus what Coordinator adds):
 * - 'notify' (notification, seq): a mediasoup notification to relay to the peer's client as it is.
 *   `seq` numbers the session's notifications 1, 2, 3 …; the SDK already checked there is no gap.
 * - 'close' (originator, appData, ended): 'local' after close() (or the room's close), 'remote'
 *   after the client's `leave` (with its appData) or when Coordinator ended the session; then
 *   `ended` is { code, reason } with the close code a browser socket would have got (4000: do not
 *   reconnect; 4001: reconnect and join again).
 */
class Peer extends EventEmitter
{
	constructor(room, session, joinRequest)
	{
		super();
		this.setMaxListeners(Infinity);
		this._room = room;
		this._session = session;
		this._closed = false;
		this._appData = joinRequest.appData;
		this._spy = Boolean(joinRequest.spy);
		this._rtpCapabilities = joinRequest.rtpCapabilities;
		session.onEnded = (code, reason) => this._closeAs('remote', undefined, { code, reason });
	}

	get name()
	{
		return this._session.peerName;
	}

	get closed()
	{
		return this._closed;
	}

	get appData()
	{
		return this._appData;
	}

	set appData(appData)
	{
		this._appData = appData;
	}

	get spy()
	{
		return this._spy;
	}

	get rtpCapabilities()
	{
		return this._rtpCapabilities;
	}

	/** The id of this peer's session on the frontend connection (for logs). */
	get sessionId()
	{
		return this._session.id;
	}

	toJson()
	{
		return { name: this.name, appData: this.appData };
	}

	/** createTransport, restartTransport, createProducer, enableConsumer, … as the client sent it. */
	receiveRequest(request)
	{
		if (this._closed)
			return Promise.reject(roomClosed());

		return this._session.request(request);
	}

	/**
	 * updateTransport, pauseProducer, leave, … as the client sent it. Resolves once it is on its
	 * way (notifications get no answer). `leave` closes this Peer ('close' with 'remote').
	 */
	receiveNotification(notification)
	{
		if (this._closed)
			return Promise.reject(roomClosed());

		try
		{
			this._session.notify(notification);
		}
		catch (error)
		{
			return Promise.reject(error);
		}

		if (isLeave(notification))
		{
			// The session has no use after leave; ending it frees the name for a new join.
			this._session.close();
			this._closeAs('remote', notification.appData);
		}

		return Promise.resolve();
	}

	/**
	 * Closes the peer: it leaves the room, the others get `peerClosed` (with `appData`, if given).
	 * As in mediasoup v2, 'notify' first carries `closed` for its client.
	 */
	close(appData)
	{
		if (this._closed)
			return;

		this._emitNotify(Object.assign({ method: 'closed', target: 'peer', notification: true }, appData === undefined ? {} : { appData }), undefined);

		if (appData !== undefined)
		{
			try
			{
				this._session.notify({ method: 'leave', target: 'peer', notification: true, appData });
			}
			catch (error)
			{
				// Not connected: closing the session is all that can be done.
			}
		}

		this._session.close();
		this._closeAs('local', appData);
	}

	_emitNotify(notification, seq)
	{
		if (this._closed)
			return;

		safeEmit(this, 'notify', notification, seq);
	}

	_closeAs(originator, appData, ended)
	{
		if (this._closed)
			return;

		this._closed = true;
		if (ended)
			safeEmit(this, 'close', originator, appData, ended);
		else
			safeEmit(this, 'close', originator, appData);
	}
}

function isLeave(notification)
{
	return notification !== null && typeof notification === 'object' && notification.notification === true && notification.method === 'leave';
}

module.exports = { Peer };
