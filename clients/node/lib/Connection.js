'use strict';

const { EventEmitter } = require('events');
const WebSocket = require('ws');

const SUB_PROTOCOL = 'coordinator-frontend';

/**
 * The one WebSocket to Coordinator's frontend endpoint, kept open: it connects at once, and after
 * every loss it reconnects with exponential back-off (with jitter) until close() is called.
 *
 * While it is not open, frames wait in a queue bounded by `maxPendingFrames`; they are sent in
 * order as soon as it opens. Events:
 * - 'open'
 * - 'message' (frame): a JSON object received
 * - 'lost' (reason): an open connection ended (everything that was sent on it is gone)
 * - 'failed' (reason): an attempt to connect failed; another follows after the back-off
 * - 'closed': close() was called
 */
class Connection extends EventEmitter
{
	constructor(url, options)
	{
		super();
		this._url = url;
		this._options = options;
		this._socket = null;
		this._state = 'connecting';
		this._queue = [];
		this._attempt = 0;
		this._retryTimer = null;
		this._pingTimer = null;
		this._awaitingPong = false;
		this._attemptConnection();
	}

	get state()
	{
		return this._state;
	}

	/**
	 * Sends a frame now or queues it; `owner` tags it so that dropQueued() can take it back.
	 * Throws when the queue is full or the connection was closed.
	 */
	send(frame, owner)
	{
		if (this._state === 'closed')
			throw new Error('the connection to Coordinator was closed');

		if (this._state === 'open')
		{
			this._socket.send(JSON.stringify(frame));

			return;
		}

		if (this._queue.length >= this._options.maxPendingFrames)
			throw new Error(`too many frames waiting for the connection to Coordinator (limit ${this._options.maxPendingFrames})`);

		this._queue.push({ frame, owner });
	}

	/** Removes the queued frames of `owner`; true if there were any. */
	dropQueued(owner)
	{
		const before = this._queue.length;

		this._queue = this._queue.filter((entry) => entry.owner !== owner);

		return this._queue.length !== before;
	}

	/** Whether a frame of `owner` is still waiting to be sent. */
	hasQueued(owner)
	{
		return this._queue.some((entry) => entry.owner === owner);
	}

	close()
	{
		if (this._state === 'closed')
			return;

		this._state = 'closed';
		this._queue = [];
		clearTimeout(this._retryTimer);
		this._stopPing();

		if (this._socket)
		{
			const socket = this._socket;

			this._socket = null;
			// A normal close once the frames already handed to the socket are out.
			if (socket.readyState === WebSocket.OPEN)
				socket.close(1000, 'frontend closed');
			else
				socket.terminate();
		}

		this.emit('closed');
	}

	_attemptConnection()
	{
		this._connect().catch((error) => this._onAttemptEnded(error.message, false));
	}

	async _connect()
	{
		let url = this._url;
		const headers = {};

		try
		{
			const token = typeof this._options.token === 'function' ? await this._options.token() : this._options.token;

			if (token && this._options.tokenInQuery)
				url = withQuery(url, 'token', token);
			else if (token)
				headers.Authorization = `Bearer ${token}`;
		}
		catch (error)
		{
			this._onAttemptEnded(`the token could not be obtained: ${error && error.message}`, false);

			return;
		}

		if (this._state === 'closed')
			return;

		const socket = new WebSocket(url, SUB_PROTOCOL, {
			headers,
			handshakeTimeout : this._options.handshakeTimeout,
			maxPayload       : this._options.maxPayload,
			perMessageDeflate : false
		});
		let refusal = null;
		let opened = false;

		this._socket = socket;

		socket.on('unexpected-response', (request, response) =>
		{
			const reason = response.headers['x-websocket-reject-reason'];

			refusal = `refused with HTTP ${response.statusCode}${reason ? `: ${reason}` : ''}`;
			response.resume();
			socket.terminate();
		});

		socket.on('open', () =>
		{
			if (socket !== this._socket)
				return;

			opened = true;
			this._state = 'open';
			this._attempt = 0;
			this._startPing(socket);

			const queued = this._queue;

			this._queue = [];
			for (const { frame } of queued)
			{
				socket.send(JSON.stringify(frame));
			}

			this.emit('open');
		});

		socket.on('message', (data, isBinary) =>
		{
			if (socket !== this._socket || isBinary)
				return;

			let frame;

			try
			{
				frame = JSON.parse(data.toString('utf8'));
			}
			catch (error)
			{
				return;
			}

			if (frame !== null && typeof frame === 'object' && !Array.isArray(frame))
				this.emit('message', frame);
		});

		socket.on('pong', () =>
		{
			this._awaitingPong = false;
		});

		// 'error' always comes with 'close'; the reason is kept for it.
		socket.on('error', (error) =>
		{
			refusal = refusal || error.message;
		});

		socket.on('close', (code, reason) =>
		{
			if (socket !== this._socket)
				return;

			this._socket = null;
			this._stopPing();

			const text = refusal || `closed with ${code}${reason && reason.length ? ` ${reason.toString('utf8')}` : ''}`;

			this._onAttemptEnded(text, opened);
		});
	}

	_onAttemptEnded(reason, wasOpen)
	{
		if (this._state === 'closed')
			return;

		this._state = 'connecting';

		const { minDelay, maxDelay, factor } = this._options.reconnect;
		const delay = Math.min(maxDelay, minDelay * Math.pow(factor, this._attempt));

		this._attempt++;
		// Jitter: between half the delay and the delay, so frontends that lost the same gateway spread out.
		this._retryTimer = setTimeout(() => this._attemptConnection(), delay * (0.5 + (Math.random() / 2)));

		this.emit(wasOpen ? 'lost' : 'failed', reason);
	}

	/** A connection that stopped answering pings is cut, so that its sessions end instead of hanging. */
	_startPing(socket)
	{
		const interval = this._options.pingInterval;

		if (!interval)
			return;

		this._awaitingPong = false;
		this._pingTimer = setInterval(() =>
		{
			if (this._awaitingPong)
			{
				socket.terminate();

				return;
			}

			this._awaitingPong = true;
			socket.ping();
		}, interval);
	}

	_stopPing()
	{
		clearInterval(this._pingTimer);
		this._pingTimer = null;
	}
}

function withQuery(url, name, value)
{
	const parsed = new URL(url);

	parsed.searchParams.set(name, value);

	return parsed.toString();
}

module.exports = { Connection, SUB_PROTOCOL };
