import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialState, reduce, tileOf } from '../room/participants.js';

function run(...actions)
{
	return actions.reduce(reduce, initialState());
}

const bobJoined = { type: 'peer-joined', name: 'bob-1', displayName: 'Bob' };
const bobVideo = { type: 'consumer-added', peerName: 'bob-1', consumerId: 11, kind: 'video', paused: false };
const bobAudio = { type: 'consumer-added', peerName: 'bob-1', consumerId: 12, kind: 'audio', paused: false };

test('a peer gets a tile named by its display name, or its peer name without one', () =>
{
	const state = run(bobJoined, { type: 'peer-joined', name: 'carol' }, bobJoined);

	assert.deepEqual(state.peers.map((peer) => [ peer.name, peer.displayName ]), [ [ 'bob-1', 'Bob' ], [ 'carol', 'carol' ] ]);
});

test('a peer without consumers shows camera and microphone off', () =>
{
	assert.deepEqual(tileOf(run(bobJoined).peers[0]), { name: 'bob-1', displayName: 'Bob', cameraOff: true, micOff: true, quality: null });
});

test('pausing and resuming a consumer follows its id', () =>
{
	const paused = run(bobJoined, bobVideo, bobAudio, { type: 'consumer-paused', peerName: 'bob-1', consumerId: 11 });

	assert.equal(tileOf(paused.peers[0]).cameraOff, true);
	assert.equal(tileOf(paused.peers[0]).micOff, false);

	const resumed = reduce(paused, { type: 'consumer-resumed', peerName: 'bob-1', consumerId: 11 });

	assert.equal(tileOf(resumed.peers[0]).cameraOff, false);
	assert.equal(reduce(resumed, { type: 'consumer-paused', peerName: 'bob-1', consumerId: 99 }), resumed);
});

test('quality shows only while the video plays', () =>
{
	const quality = { level: 'good', bars: 3, summary: '' };
	const state = run(bobJoined, bobVideo, { type: 'consumer-quality', peerName: 'bob-1', consumerId: 11, quality });

	assert.equal(tileOf(state.peers[0]).quality, quality);
	assert.equal(tileOf(reduce(state, { type: 'consumer-paused', peerName: 'bob-1', consumerId: 11 }).peers[0]).quality, null);
});

test('a closed consumer and a departed peer go away', () =>
{
	const state = run(bobJoined, bobVideo, bobAudio, { type: 'consumer-closed', peerName: 'bob-1', consumerId: 11 });

	assert.equal(state.peers[0].video, null);
	assert.notEqual(state.peers[0].audio, null);
	assert.deepEqual(reduce(state, { type: 'peer-left', name: 'bob-1' }).peers, []);
});

test('a new session forgets the peers; phase and self keep what is not changed', () =>
{
	const state = run(bobJoined, { type: 'self', self: { mic: 'off', displayName: 'Ann' } },
		{ type: 'phase', phase: 'joined', notice: { level: 'info', text: 'x' } }, { type: 'phase', phase: 'reconnecting' },
		{ type: 'session-started' });

	assert.deepEqual(state.peers, []);
	assert.equal(state.phase, 'reconnecting');
	assert.deepEqual(state.notice, { level: 'info', text: 'x' });
	assert.deepEqual(state.self, { peerName: null, displayName: 'Ann', mic: 'off', camera: 'none' });
});

test('reduce never changes the state it is given', () =>
{
	const before = run(bobJoined, bobVideo);
	const copy = structuredClone(before);

	reduce(before, { type: 'consumer-paused', peerName: 'bob-1', consumerId: 11 });
	reduce(before, { type: 'peer-left', name: 'bob-1' });
	assert.deepEqual(before, copy);
});
