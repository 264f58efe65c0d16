'use strict';

// The SDK's side of the connection, without a node: the queue while connecting, its timeout, the
// handshake (tokens, refusals).

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
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
