'use strict';

const { EventEmitter } = require('events');
const { Connection } = require('./Connection');
const { Session } = require('./Session');
const { Room } = require('./Room');
const { RequestError, unavailable } = require('./errors');
const { safeEmit } = require('./safeEmit');

const DEFAULTS = {
	token            : undefined,
	tokenInQuery     : false,
	grants           : [ 'publish', 'subscribe', 'spy' ],
	requestTimeout   : 15000,
	maxPendingFrames : 10000,
	handshakeTimeout : 10000,
	pingInterval     : 10000,
	maxPayload       : 16 * 1024 * 1024,
	reconnect        : { minDelay: 250, maxDelay: 10000, factor: 2 }
};

/** The close code a browser socket gets when its peer must join again (docs/protocol.md, Close codes). */
const REJOIN = 4001;

/**
 * One frontend connection to Coordinator (ws://HOST:PORT/frontend), carrying the sessions of every
 * Room created from it. Stands where a v2 application server has its mediasoup Server:
 * `coordinator.Room(roomId)` instead of `mediaServer.Room(mediaCodecs)`.
 *
 * Events: 'open', 'disconnected' (reason) when the connection was lost or an attempt to connect
 * failed (it reconnects by itself), 'close' after close().
 */
class Coordinator extends EventEmitter
{
	constructor(options = {})
	{
		super();

		if (typeof options === 'string')
			options = { url: options };

		if (typeof options.url !== 'string' || !/^wss?:\/\//.test(options.url))
			throw new TypeError('Coordinator: options.url must be the frontend endpoint, e.g. ws://127.0.0.1:4443/frontend');

		this._options = Object.assign({}, DEFAULTS, options, {
			reconnect : Object.assign({}, DEFAULTS.reconnect, options.reconnect)
		});
		this._closed = false;
		this._nextRequestId = 1;
		this._nextSessionId = 1;
		// id → { resolve, reject, timer, session }
		this._pending = new Map();
		// session id → Session
		this._sessions = new Map();
		// room id → Room
		this._rooms = new Map();

		this._connection = new Connection(options.url, this._options);
		this._connection.on('open', () => safeEmit(this, 'open'));
		this._connection.on('message', (frame) => this._onFrame(frame));
		this._connection.on('lost', (reason) => this._onLost(reason));
		this._connection.on('failed', (reason) => safeEmit(this, 'disconnected', reason));
	}

	/** Whether the connection is open now (frames are queued while it is not). */
	get connected()
	{
		return this._connection.state === 'open';
	}

	get closed()
	{
		return this._closed;
	}

	/** The open Rooms of this frontend. */
	get rooms()
	{
		return Array.from(this._rooms.values());
	}

	/**
	 * The Room of id `roomId` on this frontend; the same object until it is closed. The room's
	 * media codecs are the cluster's, so there is nothing else to pass.
	 */
	Room(roomId)
	{
		if (this._closed)
			throw new Error('Coordinator closed');

		if (typeof roomId !== 'string' || roomId === '')
			throw new TypeError('Room(roomId): roomId must be a non-empty string (the media codecs are the cluster\'s, not the application\'s)');

		let room = this._rooms.get(roomId);

		if (!room)
		{
			room = new Room(this, roomId);
			this._rooms.set(roomId, room);
			room.once('close', () =>
			{
				if (this._rooms.get(roomId) === room)
					this._rooms.delete(roomId);
			});
		}

		return room;
	}

	/** Closes every Room (their peers leave) and the connection, for good. */
	close()
	{
		if (this._closed)
			return;

		for (const room of this.rooms)
		{
			room.close();
		}

		this._closed = true;
		this._connection.close();
		this._failPending(() => unavailable('Coordinator closed'));
		safeEmit(this, 'close');
	}

	/** The grants a new session gets: the join's own, else the `grants` option. */
	async _grantsFor(roomId, peerName, given)
	{
		if (given !== undefined)
			return given;

		const grants = this._options.grants;

		return typeof grants === 'function' ? grants(roomId, peerName) : grants;
	}

	/** Opens a session at Coordinator; `opened` settles with the answer to openSession. */
	_openSession(roomId, peerName, grants)
	{
		const session = new Session(this, String(this._nextSessionId++), roomId, peerName);

		this._sessions.set(session.id, session);
		session.opened = this._request('openSession', { session: session.id, roomId, peerName, grants }, session, false);

		return session;
	}

	/**
	 * Sends a request on behalf of `session` (if any): it fails when the session ends, and while
	 * queued it goes with the session. `tagged`: the frame names the session (mediasoup requests;
	 * openSession names it in its data instead). `envelope`: further fields of the frame, such as
	 * the roomId of a queryRoom made without a session.
	 */
	_request(method, data, session = null, tagged = true, envelope = {})
	{
		if (this._closed)
			return Promise.reject(unavailable('Coordinator closed'));

		const id = this._nextRequestId++;
		const frame = session && tagged
			? { request: true, id, session: session.id, method, data }
			: { request: true, id, method, data, ...envelope };

		return new Promise((resolve, reject) =>
		{
			try
			{
				this._connection.send(frame, session);
			}
			catch (error)
			{
				reject(unavailable(error.message));

				return;
			}

			const timer = setTimeout(() =>
			{
				this._settle(id, null, new RequestError(408, `no answer from Coordinator within ${this._options.requestTimeout} ms`));
			}, this._options.requestTimeout);

			this._pending.set(id, { resolve, reject, timer, session });
			if (session)
				session._pending.add(id);
		});
	}

	_send(frame, owner)
	{
		try
		{
			this._connection.send(frame, owner);
		}
		catch (error)
		{
			throw unavailable(error.message);
		}
	}

	_settle(id, data, error)
	{
		const pending = this._pending.get(id);

		if (!pending)
			return;

		this._pending.delete(id);
		clearTimeout(pending.timer);
		if (pending.session)
			pending.session._pending.delete(id);

		if (error)
			pending.reject(error);
		else
			pending.resolve(data);
	}

	/** Called by a session that ended: its unanswered requests fail with `error`. */
	_forget(session, error)
	{
		if (this._sessions.get(session.id) === session)
			this._sessions.delete(session.id);

		for (const id of Array.from(session._pending))
		{
			this._settle(id, null, error);
		}
	}

	_onFrame(frame)
	{
		if (frame.response)
		{
			if (frame.ok)
				this._settle(frame.id, frame.data === undefined ? {} : frame.data, null);
			else
				this._settle(frame.id, null, new RequestError(frame.errorCode, String(frame.errorReason)));

			return;
		}

		if (!frame.notification)
			return;

		const session = this._sessions.get(frame.session);

		if (!session)
			return;

		if (frame.method === 'mediasoup-notification')
			session._onNotification(frame.data, frame.seq);
		else if (frame.method === 'sessionClosed' && frame.data)
			session._onEnded(frame.data.code, String(frame.data.reason));
	}

	/** Everything that was on the lost connection is gone: its sessions ended at Coordinator too. */
	_onLost(reason)
	{
		const text = `connection to Coordinator lost (${reason})`;

		this._failPending(() => unavailable(text));
		for (const session of Array.from(this._sessions.values()))
		{
			session._onEnded(REJOIN, text);
		}
		// The next connection may be to another gateway, or to a cluster deployed again since.
		for (const room of this._rooms.values())
		{
			room._forgetCapabilities();
		}

		safeEmit(this, 'disconnected', reason);
	}

	_failPending(makeError)
	{
		for (const id of Array.from(this._pending.keys()))
		{
			this._settle(id, null, makeError());
		}
	}
}

module.exports = { Coordinator };
