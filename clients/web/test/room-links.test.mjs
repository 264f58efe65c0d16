import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idProblem, protooUrl, randomDisplayName, randomPeerName, randomRoomId, readPageLink, shareLink } from '../room/links.js';

const page = new URL('http://127.0.0.1:4443/?roomId=demo&token=abc');

function sequence(...values)
{
	let index = 0;

	return () => values[index++ % values.length];
}

test('random defaults are readable and follow the given random source', () =>
{
	assert.equal(randomRoomId(sequence(0, 0, 0)), 'amber-badger-100');
	assert.equal(randomRoomId(sequence(0.99, 0.99, 0.999)), 'tidy-wombat-999');
	assert.equal(randomDisplayName(sequence(0.5, 0.5)), 'Keen Marten');
});

test('a peer name is the display name made safe plus a random suffix', () =>
{
	assert.equal(randomPeerName('Nimble Heron', sequence(0)), 'nimble-heron-000000');
	assert.equal(randomPeerName('Zoë & co.', sequence(0.5)), 'zo-co-800000');
	assert.equal(randomPeerName('日本', sequence(0)), 'peer-000000');
	assert.equal(idProblem(randomPeerName('x'.repeat(300)), 'peer name'), null);
});

test('the page link gives room, peer, display name and token, empty values as null', () =>
{
	assert.deepEqual(readPageLink('?roomId=demo&peerName=alice&displayName=Alice%20A&token=t.k.n'),
		{ roomId: 'demo', peerName: 'alice', displayName: 'Alice A', token: 't.k.n' });
	assert.deepEqual(readPageLink('?roomId=&x=1'), { roomId: null, peerName: null, displayName: null, token: null });
	assert.deepEqual(readPageLink(''), { roomId: null, peerName: null, displayName: null, token: null });
});

test('ids the handshake would refuse are explained', () =>
{
	assert.equal(idProblem('demo', 'room name'), null);
	assert.equal(idProblem('  ', 'room name'), 'the room name is empty');
	assert.equal(idProblem('a'.repeat(257), 'room name'), 'the room name is longer than 256 characters');
	assert.equal(idProblem('a'.repeat(256), 'room name'), null);
	assert.equal(idProblem('a\nb', 'peer name'), 'the peer name contains a control character');
	assert.equal(idProblem('a\u202eb', 'peer name'), 'the peer name contains a control character');
	assert.equal(idProblem('😀 room', 'room name'), null);
});

test('the protoo URL is on the page host, ws for http and wss for https, with the token when given', () =>
{
	assert.equal(protooUrl(page, { roomId: 'my room', peerName: 'a&b' }),
		'ws://127.0.0.1:4443/?roomId=my+room&peerName=a%26b');
	assert.equal(protooUrl(new URL('https://meet.example:8443/'), { roomId: 'r', peerName: 'p', token: 'x.y.z' }),
		'wss://meet.example:8443/?roomId=r&peerName=p&token=x.y.z');
});

test('the share link names the room only, never the token or the peer', () =>
{
	assert.equal(shareLink(page, 'calm otter'), 'http://127.0.0.1:4443/?roomId=calm+otter');
});
