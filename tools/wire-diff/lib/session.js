'use strict';

// One run of one case against one server: the protoo connections the case opens and, per
// connection, everything sent and received, in order. The case drives it; the runner compares
// two of these transcripts (one per server).

const WebSocket = require('ws');

class Session
{
	constructor({ name, url, room, quietMs, timeoutMs })
	{
		this.name = name;
		this.url = url.replace(/\/+$/, '');
		this.room = room;
		this.quietMs = quietMs;
		this.timeoutMs = timeoutMs;
		this.connections = [];
		// Global event log: { conn, step, dir: '>' | '<' | '!', kind, frame?, raw?, text? }.
		this.events = [];
		this.step = 0;
		this.lastArrival = Date.now();
	}

	/**
	 * Opens a protoo WebSocket as `peerName` (in this case's room unless `room` is given).
	 * Resolves once it is open or refused; a refusal is recorded, never thrown.
	 */
	connect(peerName, { label, room, query, protocol = 'protoo' } = {})
	{
		const conn = new Connection(this, label || peerName);
		const params = new URLSearchParams();

		if (room !== null)
			params.set('roomId', room === undefined ? this.room : room);
		if (peerName !== null)
			params.set('peerName', peerName);
		for (const [ key, value ] of Object.entries(query || {}))
			params.set(key, value);
		this.connections.push(conn);
		this._record(conn, '>', 'connect', { text: `?${params}` });

		return conn._open(`${this.url}/?${params}`, protocol).then(() => conn);
	}

	/** Marks a new step: frames received after it are shown under it. */
	note(text)
	{
		this.step++;
		this.events.push({ conn: null, step: this.step, dir: '#', kind: 'note', text });
	}

	/** Waits until nothing was sent or received on any connection for `quietMs` (bounded by the timeout). */
	async settle(quietMs = this.quietMs)
	{
		const deadline = Date.now() + this.timeoutMs;

		for (;;)
		{
			const idle = Date.now() - this.lastArrival;

			if (idle >= quietMs || Date.now() >= deadline)
				return;
			await delay(quietMs - idle);
		}
	}

	/** Ends the case: what arrives while the sockets close (their own close races) is not recorded. */
	async closeAll()
	{
		this.ended = true;
		await Promise.all(this.connections.map((c) => c.close(1000, 'wire-diff done', { record: false })));
	}

	_record(conn, dir, kind, extra)
	{
		if (this.ended)
			return;
		// Sending counts as activity too: a step waits for the answers to what it just sent.
		this.lastArrival = Date.now();
		if (dir === '>')
			this.step++;
		this.events.push(Object.assign({ conn: conn && conn.label, step: this.step, dir, kind }, extra));
	}
}

class Connection
{
	constructor(session, label)
	{
		this.session = session;
		this.label = label;
		this.ws = null;
		this.nextId = 1;
		this.pending = new Map();
		this.closed = null;
		this._closedWaiters = [];
	}

	_open(url, protocol)
	{
		return new Promise((resolve) =>
		{
			const ws = new WebSocket(url, protocol ? [ protocol ] : [], { perMessageDeflate: false, maxPayload: 0 });

			this.ws = ws;
			ws.on('open', () =>
			{
				this.session._record(this, '<', 'open', { text: `sub-protocol "${ws.protocol}"` });
				resolve();
			});
			ws.on('unexpected-response', (req, res) =>
			{
				let body = '';

				res.on('data', (chunk) => { body += chunk; });
				res.on('end', () =>
				{
					const reason = res.headers['x-websocket-reject-reason'];

					this.session._record(this, '<', 'refused',
						{ text: `HTTP ${res.statusCode}${reason ? ` reason header "${reason}"` : ''}${body ? ` body "${body.trim()}"` : ''}` });
					this._markClosed(null, 'refused');
					resolve();
				});
				res.on('error', () => {});
			});
			ws.on('error', (error) =>
			{
				if (this.closed)
					return;
				this.session._record(this, '<', 'error', { text: String(error.message || error) });
				this._markClosed(null, 'error');
				resolve();
			});
			ws.on('message', (data, isBinary) =>
			{
				const raw = isBinary ? `<binary ${data.length} bytes>` : data.toString('utf8');
				let frame;

				try { frame = JSON.parse(raw); }
				catch (e) { frame = undefined; }
				const kind = frame && frame.response ? 'response' : frame && frame.notification ? 'notification' : 'frame';

				this.session._record(this, '<', kind, { frame, raw });
				if (kind === 'response' && this.pending.has(frame.id))
				{
					const waiter = this.pending.get(frame.id);

					this.pending.delete(frame.id);
					waiter(frame);
				}
			});
			ws.on('close', (code, reason) =>
			{
				if (this.closed)
					return;
				this.session._record(this, '<', 'close', { text: `code ${code}${reason.length ? ` reason "${reason}"` : ''}` });
				this._markClosed(code, String(reason));
				resolve();
			});
		});
	}

	_markClosed(code, reason)
	{
		this.closed = { code, reason };
		for (const waiter of this.pending.values())
			waiter(null);
		this.pending.clear();
		for (const waiter of this._closedWaiters)
			waiter();
	}

	/** Sends a text frame as is (any string, valid JSON or not). */
	raw(text)
	{
		this.session._record(this, '>', 'raw', { raw: text });
		if (!this.closed && this.ws.readyState === WebSocket.OPEN)
			this.ws.send(text);
	}

	/** Sends a binary frame. */
	binary(bytes)
	{
		this.session._record(this, '>', 'binary', { raw: `<binary ${bytes.length} bytes>` });
		if (!this.closed && this.ws.readyState === WebSocket.OPEN)
			this.ws.send(bytes, { binary: true });
	}

	/** Sends any JSON value as one frame; no answer is awaited. */
	frame(value)
	{
		const raw = JSON.stringify(value);

		this.session._record(this, '>', 'frame', { frame: value, raw });
		if (!this.closed && this.ws.readyState === WebSocket.OPEN)
			this.ws.send(raw);
	}

	/**
	 * Sends a protoo request and resolves with its response frame, or null when none came
	 * within the timeout (then "no answer" is recorded). `id` may be any JSON value; a
	 * non-number id is sent as given and only waited for quietly.
	 */
	async protoo(method, data, { id, rawId } = {})
	{
		const requestId = id === undefined ? this.nextId++ : id;
		const frame = { request: true, id: requestId, method, data };
		let raw = JSON.stringify(frame);

		if (rawId !== undefined)
			raw = raw.replace(/"id":[^,]*,/, `"id":${rawId},`);

		const waitable = typeof requestId === 'number' && rawId === undefined;
		const answer = waitable ? new Promise((resolve) => this.pending.set(requestId, resolve)) : null;

		this.session._record(this, '>', 'request', { frame: rawId === undefined ? frame : undefined, raw });
		if (this.closed || this.ws.readyState !== WebSocket.OPEN)
			return null;
		this.ws.send(raw);
		if (!waitable)
		{
			await this.session.settle();

			return null;
		}
		const timeout = delay(this.session.timeoutMs).then(() => 'timeout');
		const result = await Promise.race([ answer, timeout ]);

		if (result === 'timeout')
		{
			this.pending.delete(requestId);
			this.session._record(this, '!', 'no-answer', { text: `no response within ${this.session.timeoutMs} ms` });

			return null;
		}
		await this.session.settle();

		return result;
	}

	/** A mediasoup request in the demo v2 envelope; resolves with the response frame (or null). */
	request(data, options)
	{
		return this.protoo('mediasoup-request', data, options);
	}

	/** A mediasoup notification in the demo v2 envelope; waits until the servers are quiet. */
	async notify(data)
	{
		this.frame({ notification: true, method: 'mediasoup-notification', data });
		await this.session.settle();
	}

	/** Closes the socket and waits for the close to complete. */
	close(code = 1000, reason = '', { record = true } = {})
	{
		if (this.closed || !this.ws)
			return Promise.resolve();
		if (record)
			this.session._record(this, '>', 'close', { text: `code ${code}` });

		return new Promise((resolve) =>
		{
			this._closedWaiters.push(resolve);
			try { this.ws.close(code, reason); }
			catch (e) { resolve(); }
			delay(this.session.timeoutMs).then(() =>
			{
				if (!this.closed)
				{
					this.ws.terminate();
					resolve();
				}
			});
		});
	}

	/** Resolves once the server has closed this connection (or after the timeout). */
	waitClosed()
	{
		if (this.closed)
			return Promise.resolve();

		return Promise.race([
			new Promise((resolve) => this._closedWaiters.push(resolve)),
			delay(this.session.timeoutMs)
		]);
	}
}

function delay(ms)
{
	return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

module.exports = { Session };
