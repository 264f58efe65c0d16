'use strict';

const { EventEmitter } = require('events');
const { Peer } = require('./Peer');
const { RequestError, roomClosed } = require('./errors');
const { safeEmit } = require('./safeEmit');

/**
 * A Coordinator room as this frontend sees it: the mediasoup v2 Room API over the peer sessions
 * this frontend opened in it. Peers of the same room on other frontends or browser sockets are
 * not listed here; they are in the room all the same.
 *
 * Events (as mediasoup v2): 'newpeer' (peer) after a join, 'close' (appData) after close().
 */
class Room extends EventEmitter
{
	constructor(client, id)
	{
		super();
		this.setMaxListeners(Infinity);
		this._client = client;
		this._id = id;
		this._closed = false;
		// peer name → Peer, in join order
		this._peers = new Map();
		// peer name → Session of a join in flight
		this._joining = new Map();
		// The queryRoom answer: a room's capabilities are fixed (the cluster's codecs).
		this._capabilities = null;
		this._capabilitiesQuery = null;
	}

	/** The room id (in mediasoup v2 this was the router id). */
	get id()
	{
		return this._id;
	}

	get closed()
	{
		return this._closed;
	}

	/** This frontend's joined peers of the room, in join order. */
	get peers()
	{
		return Array.from(this._peers.values());
	}

	getPeerByName(name)
	{
		return this._peers.get(name);
	}

	/**
	 * `queryRoom` or `join`, as mediasoup v2's Room.receiveRequest. A join opens the session of
	 * `request.peerName`; `options.grants` overrides the Coordinator's `grants` for it.
	 * Resolves with the answer's data; rejects with a RequestError (code and reason of the answer).
	 */
	receiveRequest(request, options = {})
	{
		// The checks and texts of mediasoup v2's Room, which Coordinator answers the same way.
		if (this._closed)
			return Promise.reject(roomClosed());
		else if (request === null || typeof request !== 'object')
			return Promise.reject(new RequestError(500, 'TypeError: wrong request Object'));
		else if (request.notification)
			return Promise.reject(new RequestError(500, 'TypeError: not a request'));
		else if (typeof request.method !== 'string')
			return Promise.reject(new RequestError(500, 'TypeError: wrong/missing request method'));

		switch (request.method)
		{
			case 'queryRoom':
				return this._queryRoom(request);
			case 'join':
				return this._join(request, options);
			default:
				return Promise.reject(new RequestError(500, `Error: unknown request method "${request.method}"`));
		}
	}

	/** Closes every session of this room on this frontend: each peer leaves the room. */
	close(appData)
	{
		if (this._closed)
			return;

		this._closed = true;
		for (const session of this._joining.values())
		{
			session.close();
		}
		this._joining.clear();
		for (const peer of this.peers)
		{
			peer.close();
		}

		safeEmit(this, 'close', appData);
	}

	/**
	 * Asks Coordinator once, without a session (the asking browser has none before its join);
	 * later queries are answered from memory.
	 */
	_queryRoom(request)
	{
		if (this._capabilities)
			return Promise.resolve(JSON.parse(this._capabilities));

		if (!this._capabilitiesQuery)
		{
			this._capabilitiesQuery = this._client._request('mediasoup-request', request, null, false, { roomId: this._id })
				.then((data) =>
				{
					this._capabilities = JSON.stringify(data);

					return data;
				})
				.finally(() =>
				{
					this._capabilitiesQuery = null;
				});
		}

		return this._capabilitiesQuery.then((data) => JSON.parse(JSON.stringify(data)));
	}

	_forgetCapabilities()
	{
		this._capabilities = null;
	}

	async _join(request, options)
	{
		const { peerName } = request;

		if (typeof peerName !== 'string' || peerName === '')
			throw new RequestError(500, 'TypeError: peerName must be a string');
		else if (this._peers.has(peerName) || this._joining.has(peerName))
			throw new RequestError(500, `Error: duplicated Peer [peerName:"${peerName}"]`);

		const grants = await this._client._grantsFor(this._id, peerName, options.grants);

		if (this._closed)
			throw roomClosed();
		else if (this._peers.has(peerName) || this._joining.has(peerName))
			throw new RequestError(500, `Error: duplicated Peer [peerName:"${peerName}"]`);

		const session = this._client._openSession(this._id, peerName, grants);

		this._joining.set(peerName, session);

		let data;

		try
		{
			data = await answerOf(session, request);
		}
		catch (error)
		{
			session.close();
			throw error;
		}
		finally
		{
			if (this._joining.get(peerName) === session)
				this._joining.delete(peerName);
		}

		// Ended while the answer was on its way (the room closed, the connection was lost, …).
		if (session.closed)
			throw session.endError;

		const peer = new Peer(this, session, request);

		this._peers.set(peerName, peer);
		peer.once('close', () =>
		{
			if (this._peers.get(peerName) === peer)
				this._peers.delete(peerName);
		});
		session.attach(peer);
		safeEmit(this, 'newpeer', peer);

		return data;
	}
}

/**
 * The answer to `request` sent right after the session's openSession (Coordinator takes both at
 * once); a refused openSession is the answer, since it explains the request's failure.
 */
async function answerOf(session, request)
{
	const answer = session.request(request);

	answer.catch(() => {});

	await session.opened;

	return answer;
}

module.exports = { Room };
