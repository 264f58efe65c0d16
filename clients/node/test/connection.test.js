'use strict';

// The frontend connection: loss, reconnect, the queue while connecting, tokens.

const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { Coordinator } = require('..');
const { startTarget } = require('./support/target');
const { freePort } = require('./support/embeddedNode');
const { startTcpProxy } = require('./support/tcpProxy');
const { clientCapabilities, join, createSendTransport } = require('./support/mediasoup');
const { connected, nextEvent, recordNotifications } = require('./support/wait');

let target;
let capabilities;

before(async () =>
{
	target = await startTarget();

	const probe = new Coordinator({ url: target.frontendUrl });

	try
	{
		await connected(probe);
		const { rtpCapabilities } = await probe.Room(`caps-${process.pid}`).receiveRequest({ method: 'queryRoom', target: 'room' });

		capabilities = clientCapabilities(rtpCapabilities);
	}
	finally
	{
		probe.close();
	}
});

after(async () =>
{
	if (target)
		await target.stop();
});

/** A URL of the frontend endpoint through `proxy`. */
const through = (proxy) => target.frontendUrl.replace(`:${target.frontendPort}/`, `:${proxy.port}/`);

describe('connection loss', () =>
{
	test('every session ends with 4001, requests in flight reject, the others get peerClosed; then it reconnects', async () =>
	{
		const proxy = await startTcpProxy(target.frontendPort);
		const frontend = new Coordinator({ url: through(proxy), reconnect: { minDelay: 50, maxDelay: 200 } });
		const observer = new Coordinator({ url: target.frontendUrl });
		const roomId = `lost-${process.pid}`;

		try
		{
			const room = frontend.Room(roomId);

			await room.receiveRequest(join('alice', capabilities));
			await room.receiveRequest(join('bob', capabilities));

			const watching = observer.Room(roomId);

			await watching.receiveRequest(join('watcher', capabilities));

			const watcher = recordNotifications(watching.getPeerByName('watcher'));
			const [ alice, bob ] = [ room.getPeerByName('alice'), room.getPeerByName('bob') ];
			const closes = [ nextEvent(alice, 'close'), nextEvent(bob, 'close') ];
			const disconnected = nextEvent(frontend, 'disconnected');
			// Sent, then cut before Coordinator can answer it.
			const inFlight = alice.receiveRequest(createSendTransport(3001)).then(() => null, (error) => error);

			proxy.cut();

			for (const [ originator, appData, ended ] of await Promise.all(closes))
			{
				assert.equal(originator, 'remote');
				assert.equal(appData, undefined);
				assert.equal(ended.code, 4001);
				assert.match(ended.reason, /connection to Coordinator lost/);
			}
			await disconnected;
			assert.deepEqual(room.peers, []);

			const error = await inFlight;

			// The answer may have won the race with the cut; if not, the request failed.
			if (error)
				assert.equal(error.code, 503);

			// Coordinator ended them too: the others hear it.
			const left = [ (await watcher.next('peerClosed')).notification.name, (await watcher.next('peerClosed')).notification.name ];

			assert.deepEqual(left.sort(), [ 'alice', 'bob' ]);

			// It reconnects by itself and carries new sessions.
			if (!frontend.connected)
				await nextEvent(frontend, 'open');

			await room.receiveRequest(join('alice', capabilities));
			assert.equal((await watcher.next('newPeer')).notification.name, 'alice');
		}
		finally
		{
			frontend.close();
			observer.close();
			await proxy.close();
		}
	});

	test('requests made while connecting wait for the connection', async () =>
	{
		const port = await freePort();
		const frontendPath = new URL(target.frontendUrl).pathname;
		const frontend = new Coordinator({ url: `ws://127.0.0.1:${port}${frontendPath}`, reconnect: { minDelay: 50, maxDelay: 100 } });
		let proxy;

		try
		{
			const answer = frontend.Room(`late-${process.pid}`).receiveRequest({ method: 'queryRoom', target: 'room' });

			await nextEvent(frontend, 'disconnected');
			assert.equal(frontend.connected, false);

			// The endpoint appears at that port; the queued request goes out once connected.
			proxy = await startTcpProxyAt(port);

			const { rtpCapabilities } = await answer;

			assert.ok(rtpCapabilities.codecs.length > 0);
		}
		finally
		{
			frontend.close();
			if (proxy)
				await proxy.close();
		}
	});
});

describe('close()', () =>
{
	test('close() closes every peer and fails their requests in flight', async () =>
	{
		const frontend = new Coordinator({ url: target.frontendUrl });
		const room = frontend.Room(`closeall-${process.pid}`);

		await room.receiveRequest(join('alice', capabilities));

		const alice = room.getPeerByName('alice');
		const closing = nextEvent(alice, 'close');
		const inFlight = alice.receiveRequest(createSendTransport(3002));

		frontend.close();

		assert.equal((await closing)[0], 'local');
		await assert.rejects(inFlight, { code: 500, message: 'InvalidStateError: Room closed' });
		assert.equal(frontend.closed, true);
		assert.throws(() => frontend.Room('another'), /Coordinator closed/);
	});
});

/** A proxy to the frontend endpoint listening at a given port. */
function startTcpProxyAt(port)
{
	return startTcpProxy(target.frontendPort, port);
}
