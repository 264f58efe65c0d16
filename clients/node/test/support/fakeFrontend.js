'use strict';

// A stand-in for the gateway's frontend endpoint, for developing the SDK before the endpoint
// exists: it speaks the frames of docs/frontend-api.md and carries each session over a protoo
// socket of its own to a real node, so answers, notifications and seq are the node's.
// Grants and token scopes are not enforced (the node behind it runs in development mode).
// Used only when SDK_TEST_FAKE_FRONTEND=1; the tests are written against the real endpoint.

const WebSocket = require('ws');

const SUB_PROTOCOL = 'coordinator-frontend';
const KNOWN_GRANTS = new Set([ 'publish', 'subscribe', 'spy' ]);

function startFakeFrontend(nodeUrl)
{
	const server = new WebSocket.Server({
		host             : '127.0.0.1',
		port             : 0,
		path             : '/frontend',
		handleProtocols  : (protocols) => (protocols.has(SUB_PROTOCOL) ? SUB_PROTOCOL : false)
	});

	server.on('connection', (frontend) => serve(frontend, nodeUrl));

	return new Promise((resolve) =>
	{
		server.once('listening', () =>
		{
			const { port } = server.address();

			resolve({
				frontendUrl : `ws://127.0.0.1:${port}/frontend`,
				close       : () => new Promise((done) =>
				{
					for (const client of server.clients)
					{
						client.terminate();
					}
					server.close(() => done());
				})
			});
		});
	});
}

function serve(frontend, nodeUrl)
{
	// session id → { socket, queue, nextId, requests: Map<bridge id, frontend id> }
	const sessions = new Map();
	const send = (frame) =>
	{
		if (frontend.readyState === WebSocket.OPEN)
			frontend.send(JSON.stringify(frame));
	};
	const answer = (id, data, session) => send(Object.assign(session !== undefined ? { session } : {}, { response: true, id, ok: true, data: data || {} }));
	const refuse = (id, code, reason, session) => send(Object.assign(session !== undefined ? { session } : {}, { response: true, id, errorCode: code, errorReason: reason }));

	function open(id, data)
	{
		const { session, roomId, peerName, grants } = data || {};

		for (const [ field, value ] of [ [ 'session', session ], [ 'roomId', roomId ], [ 'peerName', peerName ] ])
		{
			if (typeof value !== 'string' || value === '' || value.length > 128)
				return refuse(id, 400, `invalid ${field}`);
		}
		if (!Array.isArray(grants) || grants.some((grant) => !KNOWN_GRANTS.has(grant)))
			return refuse(id, 400, 'invalid grants');
		if (sessions.has(session))
			return refuse(id, 409, `session "${session}" is already open`);

		const socket = new WebSocket(`${nodeUrl}/?roomId=${encodeURIComponent(roomId)}&peerName=${encodeURIComponent(peerName)}`, 'protoo');
		const state = { socket, queue: [], nextId: 1, requests: new Map(), closing: false };

		sessions.set(session, state);
		socket.on('open', () =>
		{
			for (const text of state.queue)
			{
				socket.send(text);
			}
			state.queue = [];
			answer(id, {});
		});
		socket.on('message', (raw) =>
		{
			const frame = JSON.parse(raw.toString('utf8'));

			if (frame.response)
			{
				const frontendId = state.requests.get(frame.id);

				state.requests.delete(frame.id);
				frame.id = frontendId;
				send(Object.assign({ session }, frame));
			}
			else if (frame.notification)
			{
				send(Object.assign({ session }, frame));
			}
		});
		socket.on('error', () => {});
		socket.on('close', (code, reason) =>
		{
			if (sessions.get(session) !== state)
				return;

			sessions.delete(session);
			if (!state.closing)
				send({ notification: true, session, method: 'sessionClosed', data: { code, reason: reason.toString('utf8') } });
		});
	}

	function toSession(state, frame)
	{
		const text = JSON.stringify(frame);

		if (state.socket.readyState === WebSocket.OPEN)
			state.socket.send(text);
		else
			state.queue.push(text);
	}

	frontend.on('message', (raw) =>
	{
		let frame;

		try
		{
			frame = JSON.parse(raw.toString('utf8'));
		}
		catch (error)
		{
			return;
		}

		if (frame.request && frame.method === 'openSession')
			return open(frame.id, frame.data);

		if (frame.request && frame.method === 'closeSession')
		{
			const id = frame.data && frame.data.session;
			const state = sessions.get(id);

			if (!state)
				return refuse(frame.id, 404, `no open session "${id}"`);

			state.closing = true;
			sessions.delete(id);
			state.socket.close(1000);

			return answer(frame.id, {});
		}

		const state = sessions.get(frame.session);

		if (frame.request && frame.method === 'mediasoup-request')
		{
			if (!state)
				return refuse(frame.id, 404, `no open session "${frame.session}"`);

			const bridgeId = state.nextId++;

			state.requests.set(bridgeId, frame.id);

			return toSession(state, { request: true, id: bridgeId, method: 'mediasoup-request', data: frame.data });
		}

		if (frame.request)
			return refuse(frame.id, 400, `unknown request.method "${frame.method}"`);

		if (frame.notification && frame.method === 'mediasoup-notification' && state)
			toSession(state, { notification: true, method: 'mediasoup-notification', data: frame.data });
	});

	frontend.on('close', () =>
	{
		for (const state of sessions.values())
		{
			state.closing = true;
			state.socket.close(1000);
		}
		sessions.clear();
	});
}

module.exports = { startFakeFrontend };
