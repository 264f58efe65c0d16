'use strict';

// The SDK's side of the connection, without a node: the queue while connecting, its timeout, the
// handshake (tokens, refusals), and frames in an order the real node does not produce on demand.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const WebSocket = require('ws');
const { Coordinator } = require('..');
const { freePort } = require('./support/embeddedNode');
const { join } = require('./support/mediasoup');
const { nextEvent } = require('./support/wait');

const capabilities = { codecs: [], headerExtensions: [], fecMechanisms: [] };

describe('while not connected', () =>
{
	test('the queue of frames is bounded', async () =>
	{
		const port = await freePort();
		const frontend = new Coordinator({ url: `ws://127.0.0.1:${port}/frontend`, maxPendingFrames: 2 });

		try
		{
			const room = frontend.Room('bounded');
			// openSession and the join: two frames.
			const first = room.receiveRequest(join('alice', capabilities));

			first.catch(() => {});

			await assert.rejects(room.receiveRequest(join('bob', capabilities)), (error) =>
			{
				assert.equal(error.code, 503);
				assert.match(error.message, /too many frames waiting for the connection to Coordinator \(limit 2\)/);

				return true;
			});
		}
		finally
		{
			frontend.close();
		}
	});

	test('a request unanswered within requestTimeout rejects with 408', async () =>
	{
		const port = await freePort();
		const frontend = new Coordinator({ url: `ws://127.0.0.1:${port}/frontend`, requestTimeout: 200 });

		try
		{
			await assert.rejects(frontend.Room('slow').receiveRequest({ method: 'queryRoom' }), { code: 408, message: 'no answer from Coordinator within 200 ms' });
		}
		finally
		{
			frontend.close();
		}
	});
});

describe('handshake', () =>
{
	test('the token goes in an Authorization header, or in the query with tokenInQuery; a refusal says why', async () =>
	{
		const seen = [];
		const server = http.createServer();

		server.on('upgrade', (request, socket) =>
		{
			seen.push({ url: request.url, authorization: request.headers.authorization, protocol: request.headers['sec-websocket-protocol'] });
			socket.end('HTTP/1.1 401 Unauthorized\r\nX-WebSocket-Reject-Reason: token expired\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

		const url = `ws://127.0.0.1:${server.address().port}/frontend`;
		const inHeader = new Coordinator({ url, token: 'abc.def.ghi' });
		const inQuery = new Coordinator({ url, token: () => Promise.resolve('jkl'), tokenInQuery: true });

		try
		{
			const [ reason ] = await nextEvent(inHeader, 'disconnected');

			await nextEvent(inQuery, 'disconnected');

			assert.equal(reason, 'refused with HTTP 401: token expired');
			assert.ok(seen.some((entry) => entry.url === '/frontend' && entry.authorization === 'Bearer abc.def.ghi' && entry.protocol === 'coordinator-frontend'));
			assert.ok(seen.some((entry) => entry.url === '/frontend?token=jkl' && entry.authorization === undefined));
		}
		finally
		{
			inHeader.close();
			inQuery.close();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('frames from a scripted endpoint', () =>
{
	test('a notification right behind the join answer reaches the listener attached after the join; a seq gap ends the session with 4001', async () =>
	{
		const received = [];
		let session;
		const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, handleProtocols: () => 'coordinator-frontend' });

		server.on('connection', (socket) =>
		{
			socket.on('message', (raw) =>
			{
				const frame = JSON.parse(raw.toString('utf8'));

				received.push(frame);
				if (frame.method === 'openSession')
				{
					socket.send(JSON.stringify({ response: true, id: frame.id, ok: true, data: {} }));
				}
				else if (frame.method === 'mediasoup-request')
				{
					const notification = (seq) => JSON.stringify({ notification: true, session: frame.session, method: 'mediasoup-notification', data: { method: 'newPeer', target: 'peer', notification: true, consumers: [], name: `peer${seq}` }, seq });


					// One write: the answer and the first notification arrive together.
					socket._socket.write(Buffer.concat([ textFrame(JSON.stringify({ session: frame.session, response: true, id: frame.id, ok: true, data: { peers: [] } })), textFrame(notification(1)) ]));
					session = frame.session;
				}
				else if (frame.method === 'mediasoup-notification')
				{
					// Skips seq 2.
					socket.send(JSON.stringify({ notification: true, session, method: 'mediasoup-notification', data: { method: 'newPeer', target: 'peer', notification: true, consumers: [], name: 'peer3' }, seq: 3 }));
				}
			});
		});
		await new Promise((resolve) => server.once('listening', resolve));

		const frontend = new Coordinator({ url: `ws://127.0.0.1:${server.address().port}/frontend` });

		try
		{
			const room = frontend.Room('scripted');

			await room.receiveRequest(join('alice', capabilities));

			const peer = room.getPeerByName('alice');
			const notified = [];

			peer.on('notify', (notification, seq) => notified.push([ notification.name, seq ]));
			await waitFor(() => notified.length === 1);
			assert.deepEqual(notified, [ [ 'peer1', 1 ] ]);

			const closing = nextEvent(peer, 'close');

			await peer.receiveNotification({ method: 'pauseProducer', target: 'peer', notification: true, id: 1 });

			const [ originator, appData, ended ] = await closing;

			assert.deepEqual(notified, [ [ 'peer1', 1 ] ], 'nothing after the gap');
			assert.equal(originator, 'remote');
			assert.equal(appData, undefined);
			assert.equal(ended.code, 4001);
			assert.equal(ended.reason, 'lost notifications (expected seq 2, received 3)');

			await waitFor(() => received.some((frame) => frame.method === 'closeSession' && frame.data.session === peer.sessionId));
		}
		finally
		{
			frontend.close();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

/** An unmasked WebSocket text frame (server to client). */
function textFrame(text)
{
	const payload = Buffer.from(text, 'utf8');
	const header = payload.length < 126
		? Buffer.from([ 0x81, payload.length ])
		: Buffer.from([ 0x81, 126, payload.length >> 8, payload.length & 0xff ]);

	return Buffer.concat([ header, payload ]);
}

/** Resolves once `condition()` holds, checking every 10 ms for at most `timeoutMs`. */
async function waitFor(condition, timeoutMs = 5000)
{
	const deadline = Date.now() + timeoutMs;

	while (!condition())
	{
		if (Date.now() > deadline)
			throw new Error(`condition not met within ${timeoutMs} ms`);

		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
