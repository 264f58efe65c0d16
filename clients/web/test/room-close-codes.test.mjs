import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RECONNECT_ATTEMPTS, decideOnClose, describeJoinError, reconnectDelay } from '../room/close-codes.js';

test('4000 never reconnects, and tells an operator close from a replacement', () =>
{
	const removed = decideOnClose({ code: 4000, reason: 'removed by an operator', opened: true, closedByServer: true });
	const replaced = decideOnClose({ code: 4000, reason: 'replaced by a newer connection for the same peer', opened: true });

	assert.equal(removed.reconnect, false);
	assert.match(removed.message, /removed from the room, or the room was closed/);
	assert.match(removed.message, /\(removed by an operator\)/);
	assert.equal(replaced.reconnect, false);
	assert.match(replaced.message, /replaced by a newer connection/);
});

test('lost notifications, shutdown, busy and a dropped connection reconnect', () =>
{
	for (const code of [ 4001, 1001, 1011, 1013, 1006, 1005 ])
		assert.equal(decideOnClose({ code, opened: true }).reconnect, true, `code ${code}`);

	assert.match(decideOnClose({ code: 4001, opened: true }).message, /rejoining/);
	assert.match(decideOnClose({ code: 1006, opened: true }).message, /code 1006/);
});

test('a client the server closed for its messages does not reconnect', () =>
{
	assert.equal(decideOnClose({ code: 1008, opened: true }).reconnect, false);
	assert.equal(decideOnClose({ code: 1009, opened: true, reason: 'message larger than 960000 bytes' }).reconnect, false);
});

test('a socket that never opened is retried with a message that names the likely causes', () =>
{
	const decision = decideOnClose({ code: 1006, opened: false });

	assert.equal(decision.reconnect, true);
	assert.match(decision.message, /token/);
});

test('back-off doubles from 1 s to at most 30 s, with jitter, and gives up', () =>
{
	const top = () => 0.999999;
	const bottom = () => 0;

	assert.equal(reconnectDelay(0, { random: top }), 1000);
	assert.equal(reconnectDelay(0, { random: bottom }), 500);
	assert.equal(reconnectDelay(3, { random: top }), 8000);
	assert.equal(reconnectDelay(6, { random: top }), 30000);
	assert.equal(reconnectDelay(MAX_RECONNECT_ATTEMPTS - 1, { random: bottom }), 15000);
	assert.equal(reconnectDelay(MAX_RECONNECT_ATTEMPTS, { random: top }), null);
});

test('after lost notifications the first rejoin is immediate', () =>
{
	assert.equal(reconnectDelay(0, { code: 4001, random: () => 0.5 }), 0);
	assert.equal(reconnectDelay(1, { code: 4001, random: () => 0.999999 }), 2000);
});

test('join refusals are explained by their code', () =>
{
	const error = (code, message) => Object.assign(new Error(message), { code });

	assert.match(describeJoinError(error(403, 'Error: too many peers in this room (limit 2)')), /^The room is full \(Error: too many peers/);
	assert.match(describeJoinError(error(503, 'Error: no media worker could take this room')), /cannot take this room now/);
	assert.match(describeJoinError(error(408, 'request timed out after 8000 ms')), /did not answer in time/);
	assert.equal(describeJoinError(error(500, 'boom')), 'Joining failed (boom).');
});
