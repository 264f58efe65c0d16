'use strict';

// The mediasoup v2 server API of the SDK against a real embedded node.

const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { Coordinator, RequestError } = require('..');
const { startTarget } = require('./support/target');
const { clientCapabilities, join, createSendTransport, createAudioProducer } = require('./support/mediasoup');
const { connected, nextEvent, recordNotifications } = require('./support/wait');

let target;
let coordinator;
let capabilities;
let roomCounter = 0;

/** A room id no other test uses. */
const freshRoomId = (label) => `${label}-${process.pid}-${++roomCounter}`;

/** Joins `name` to `room` and returns the Peer with its notifications recorded from the start. */
async function joinPeer(room, name, extra)
{
	let recorder;
	const seen = nextEvent(room, 'newpeer', (peer) => peer.name === name).then(([ peer ]) =>
	{
		recorder = recordNotifications(peer);
	});
	const data = await room.receiveRequest(join(name, capabilities, extra));

	await seen;

	const peer = room.getPeerByName(name);

	return { peer, data, notifications: recorder };
}

before(async () =>
{
	target = await startTarget();
	coordinator = new Coordinator({ url: target.frontendUrl });
	await connected(coordinator);

	const { rtpCapabilities } = await coordinator.Room(freshRoomId('caps')).receiveRequest({ method: 'queryRoom', target: 'room' });

	capabilities = clientCapabilities(rtpCapabilities);
});

after(async () =>
{
	if (coordinator)
		coordinator.close();
	if (target)
		await target.stop();
});

describe('Room.receiveRequest', () =>
{
	test('queryRoom answers the room capabilities', async () =>
	{
		const room = coordinator.Room(freshRoomId('query'));
		const answer = await room.receiveRequest({ method: 'queryRoom', target: 'room' });

		assert.ok(Array.isArray(answer.rtpCapabilities.codecs) && answer.rtpCapabilities.codecs.length > 0);
		assert.deepEqual(answer.mandatoryCodecPayloadTypes, []);
		assert.deepEqual(room.peers, [], 'a query joins nobody');
	});

	test('join resolves with the other peers and makes the Peer available', async () =>
	{
		const room = coordinator.Room(freshRoomId('join'));
		const alice = await joinPeer(room, 'alice', { appData: { displayName: 'Alice' } });
		const bob = await joinPeer(room, 'bob');

		assert.deepEqual(alice.data, { peers: [] });
		assert.deepEqual(bob.data.peers.map((peer) => peer.name), [ 'alice' ]);
		assert.deepEqual(bob.data.peers[0].appData, { displayName: 'Alice' });
		assert.equal(alice.peer.name, 'alice');
		assert.equal(alice.peer.closed, false);
		assert.deepEqual(alice.peer.appData, { displayName: 'Alice' });
		assert.deepEqual(room.peers.map((peer) => peer.name), [ 'alice', 'bob' ]);
		assert.equal(room.getPeerByName('carol'), undefined);
	});

	test('the same Room object is returned for an id until it is closed', () =>
	{
		const id = freshRoomId('same');

		assert.equal(coordinator.Room(id), coordinator.Room(id));
	});

	test('a join the room refuses rejects with its code and reason, and the name can join again', async () =>
	{
		const room = coordinator.Room(freshRoomId('badjoin'));
		const unsupported = JSON.parse(JSON.stringify(capabilities));

		unsupported.codecs[0].preferredPayloadType = 127;

		const error = await room.receiveRequest(join('alice', unsupported)).then(() => null, (e) => e);

		assert.ok(error instanceof RequestError);
		assert.equal(error.code, 500);
		assert.match(String(error), /^Error: unsupported codec \[name:opus, preferredPayloadType:127\]$/);
		assert.equal(error.message, String(error));
		assert.equal(room.getPeerByName('alice'), undefined);

		const { peer } = await joinPeer(room, 'alice');

		assert.equal(peer.closed, false);
	});

	test('a second join of a joined name is refused as mediasoup v2 refuses it', async () =>
	{
		const room = coordinator.Room(freshRoomId('dup'));

		await joinPeer(room, 'alice');

		await assert.rejects(room.receiveRequest(join('alice', capabilities)), { code: 500, message: 'Error: duplicated Peer [peerName:"alice"]' });
	});

	test('other request methods are refused with mediasoup v2\'s texts', async () =>
	{
		const room = coordinator.Room(freshRoomId('methods'));

		await assert.rejects(room.receiveRequest({ method: 'createTransport', target: 'peer' }), { code: 500, message: 'Error: unknown request method "createTransport"' });
		await assert.rejects(room.receiveRequest({ method: 'join', notification: true }), { code: 500, message: 'TypeError: not a request' });
		await assert.rejects(room.receiveRequest('join'), { code: 500, message: 'TypeError: wrong request Object' });
	});
});

describe('Peer', () =>
{
	test('createTransport and createProducer go through peer.receiveRequest; the other peer is told newConsumer', async () =>
	{
		const room = coordinator.Room(freshRoomId('produce'));
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');

		const newPeer = await alice.notifications.next('newPeer');

		assert.equal(newPeer.notification.name, 'bob');
		assert.equal(newPeer.notification.target, 'peer');
		assert.equal(newPeer.notification.notification, true);
		assert.equal(newPeer.seq, 1, 'seq numbers the session\'s notifications from 1');
		assert.equal(newPeer.notification.seq, undefined, 'the notification is relayed without the envelope');

		const transport = await alice.peer.receiveRequest(createSendTransport(1001));

		assert.equal(transport.iceParameters.iceLite, true);
		assert.ok(transport.iceCandidates.length > 0);

		const produced = await alice.peer.receiveRequest(createAudioProducer(2001, 1001, 11110001));

		assert.deepEqual(produced, {});

		const newConsumer = await bob.notifications.next('newConsumer');

		assert.equal(newConsumer.notification.peerName, 'alice');
		assert.equal(newConsumer.notification.kind, 'audio');
		assert.equal(newConsumer.seq, 1);

		// A later joiner finds the producer's consumer in its join answer.
		const carol = await joinPeer(room, 'carol');
		const fromAlice = carol.data.peers.find((peer) => peer.name === 'alice');

		assert.equal(fromAlice.consumers.length, 1);
		assert.equal(fromAlice.consumers[0].kind, 'audio');
	});

	test('a request the peer refuses rejects with the code and reason of the answer', async () =>
	{
		const room = coordinator.Room(freshRoomId('peererr'));
		const { peer } = await joinPeer(room, 'alice');

		await assert.rejects(peer.receiveRequest({ method: 'enableConsumer', target: 'peer', id: 1, transportId: 2 }), (error) =>
		{
			assert.ok(error instanceof RequestError);
			assert.equal(error.code, 500);
			assert.equal(String(error), 'Error: Consumer not found');

			return true;
		});
		await assert.rejects(peer.receiveRequest({ method: 'bogus', target: 'peer' }), { code: 500, message: 'Error: unknown request method "bogus"' });
		await assert.rejects(peer.receiveRequest(createSendTransport('x')), { code: 500, message: 'Error: Request has not numeric internal.transportId' });
	});

	test('notifications reach the cluster: closeProducer tells the other peer consumerClosed', async () =>
	{
		const room = coordinator.Room(freshRoomId('notify'));
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');

		await alice.peer.receiveRequest(createSendTransport(1002));
		await alice.peer.receiveRequest(createAudioProducer(2002, 1002, 11110002));

		const { notification: consumer } = await bob.notifications.next('newConsumer');

		await alice.peer.receiveNotification({ method: 'closeProducer', target: 'peer', notification: true, id: 2002 });

		const closed = await bob.notifications.next('consumerClosed');

		assert.equal(closed.notification.id, consumer.id);
		assert.equal(closed.notification.peerName, 'alice');
	});

	test('peer.close() makes the peer leave: the other gets peerClosed, the peer emits closed and close', async () =>
	{
		const room = coordinator.Room(freshRoomId('close'));
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');
		const closing = nextEvent(alice.peer, 'close');

		alice.peer.close();

		const [ originator, appData ] = await closing;

		assert.equal(originator, 'local');
		assert.equal(appData, undefined);
		assert.equal(alice.peer.closed, true);
		assert.equal(room.getPeerByName('alice'), undefined);
		assert.deepEqual(alice.notifications.received.map((entry) => entry.notification.method).slice(-1), [ 'closed' ]);

		const peerClosed = await bob.notifications.next('peerClosed');

		assert.equal(peerClosed.notification.name, 'alice');
		await assert.rejects(alice.peer.receiveRequest(createSendTransport(1003)), { code: 500, message: 'InvalidStateError: Room closed' });
	});

	test('peer.close(appData) hands the appData to the others\' peerClosed', async () =>
	{
		const room = coordinator.Room(freshRoomId('closeapp'));
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');

		alice.peer.close({ reason: 'kicked' });

		const peerClosed = await bob.notifications.next('peerClosed');

		assert.deepEqual(peerClosed.notification.appData, { reason: 'kicked' });
	});

	test('the client\'s leave closes the peer as remote, with its appData, and frees the name', async () =>
	{
		const room = coordinator.Room(freshRoomId('leave'));
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');
		const closing = nextEvent(alice.peer, 'close');

		await alice.peer.receiveNotification({ method: 'leave', target: 'peer', notification: true, appData: { bye: true } });

		assert.deepEqual(await closing, [ 'remote', { bye: true } ]);

		const peerClosed = await bob.notifications.next('peerClosed');

		assert.deepEqual(peerClosed.notification.appData, { bye: true });

		const again = await joinPeer(room, 'alice');

		assert.deepEqual(again.data.peers.map((peer) => peer.name), [ 'bob' ]);
	});

	test('a newer session for the same peer on another frontend ends this one with 4000', async () =>
	{
		const roomId = freshRoomId('replace');
		const other = new Coordinator({ url: target.frontendUrl });

		try
		{
			const alice = await joinPeer(coordinator.Room(roomId), 'alice');
			const closing = nextEvent(alice.peer, 'close');

			await other.Room(roomId).receiveRequest(join('alice', capabilities));

			const [ originator, appData, ended ] = await closing;

			assert.equal(originator, 'remote');
			assert.equal(appData, undefined);
			assert.equal(ended.code, 4000);
			assert.equal(typeof ended.reason, 'string');
			assert.equal(coordinator.Room(roomId).getPeerByName('alice'), undefined);
		}
		finally
		{
			other.close();
		}
	});
});

describe('rooms', () =>
{
	test('two rooms are isolated: the same name joins both, and nobody hears the other room', async () =>
	{
		const red = coordinator.Room(freshRoomId('red'));
		const blue = coordinator.Room(freshRoomId('blue'));
		const redAlice = await joinPeer(red, 'alice');
		const blueAlice = await joinPeer(blue, 'alice');

		await joinPeer(blue, 'bob');
		await blueAlice.notifications.next('newPeer');

		const redBob = await joinPeer(red, 'bob');

		assert.deepEqual(redBob.data.peers.map((peer) => peer.name), [ 'alice' ]);
		await redAlice.notifications.next('newPeer');

		// Each alice heard exactly one newPeer, its own room's.
		assert.deepEqual(redAlice.notifications.received.map((entry) => entry.notification.method), [ 'newPeer' ]);
		assert.deepEqual(blueAlice.notifications.received.map((entry) => entry.notification.method), [ 'newPeer' ]);
		assert.equal(redAlice.peer.closed, false);
		assert.equal(blueAlice.peer.closed, false);
	});

	test('room.close() closes every peer of the room on this frontend', async () =>
	{
		const roomId = freshRoomId('roomclose');
		const room = coordinator.Room(roomId);
		const alice = await joinPeer(room, 'alice');
		const bob = await joinPeer(room, 'bob');
		const closes = [ nextEvent(alice.peer, 'close'), nextEvent(bob.peer, 'close'), nextEvent(room, 'close') ];

		room.close();
		await Promise.all(closes);

		assert.equal(room.closed, true);
		assert.deepEqual(room.peers, []);
		await assert.rejects(room.receiveRequest({ method: 'queryRoom', target: 'room' }), { message: 'InvalidStateError: Room closed' });
		assert.notEqual(coordinator.Room(roomId), room, 'a new Room object for the id');

		// The name is free on this frontend again.
		const again = await joinPeer(coordinator.Room(roomId), 'alice');

		assert.equal(again.peer.closed, false);
	});
});
