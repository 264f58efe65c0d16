'use strict';

const { roomClosed, unavailable } = require('./errors');

/**
 * One peer session on the frontend connection: what a browser's protoo socket is to the gateway.
 * It numbers nothing itself; it checks the `seq` of the notifications it receives and holds them
 * until its Peer is ready to emit them.
 */
class Session
{
	constructor(client, id, roomId, peerName)
	{
		this.id = id;
		this.roomId = roomId;
		this.peerName = peerName;
		this.closed = false;
		this._client = client;
		this._peer = null;
		// Notifications that arrived before the Peer's listeners could be attached.
		this._held = [];
		this._nextSeq = 1;
		// Request ids of this session's requests still unanswered.
		this._pending = new Set();
		// Set by the owner (Room or Peer) to hear that Coordinator ended the session.
		this.onEnded = null;
	}

	/** A mediasoup request of this session. */
	request(data)
	{
		if (this.closed)
			return Promise.reject(roomClosed());

		return this._client._request('mediasoup-request', data, this);
	}

	/** A mediasoup notification of this session. */
	notify(data)
	{
		if (this.closed)
			throw roomClosed();

		this._client._send({ notification: true, session: this.id, method: 'mediasoup-notification', data }, this);
	}

	/**
	 * Gives the session its Peer. Notifications received so far (and until the current turn of
	 * the event loop ends) are emitted on the next one, once the code that awaited the join's
	 * answer has attached its 'notify' listener.
	 */
	attach(peer)
	{
		this._peer = peer;
		setImmediate(() =>
		{
			const held = this._held;

			this._held = null;
			for (const [ notification, seq ] of held)
			{
				if (!peer.closed)
					peer._emitNotify(notification, seq);
			}
		});
	}

	/** Ends the session from this side: its peer leaves the room, as when a browser socket closes. */
	close()
	{
		if (this.closed)
			return;

		this._end(roomClosed());

		// Never sent: nothing to undo at Coordinator.
		if (this._client._connection.hasQueued(this))
		{
			this._client._connection.dropQueued(this);

			return;
		}

		this._client._request('closeSession', { session: this.id }, null).catch(() => {});
	}

	_onNotification(notification, seq)
	{
		if (this.closed)
			return;

		if (typeof seq === 'number')
		{
			if (seq !== this._nextSeq)
			{
				// What the gateway does to a browser socket in that case: the peer must join again.
				this._lost(4001, `lost notifications (expected seq ${this._nextSeq}, received ${seq})`);

				return;
			}

			this._nextSeq++;
		}

		if (this._held)
			this._held.push([ notification, seq ]);
		else
			this._peer._emitNotify(notification, seq);
	}

	/** Coordinator ended the session (sessionClosed), or the connection carrying it was lost. */
	_onEnded(code, reason)
	{
		if (this.closed)
			return;

		this._end(unavailable(`session ended by Coordinator (${code}): ${reason}`));
		if (this.onEnded)
			this.onEnded(code, reason);
	}

	/** Ends the session at Coordinator too, then as if Coordinator had ended it. */
	_lost(code, reason)
	{
		this._client._request('closeSession', { session: this.id }, null).catch(() => {});
		this._onEnded(code, reason);
	}

	_end(error)
	{
		this.closed = true;
		this.endError = error;
		this._client._forget(this, error);
	}
}

module.exports = { Session };
