import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenRoom, tokenlessPossible } from '../dashboard/access.js';

test('a tokenless request can only work from a loopback host name', () =>
{
	assert.equal(tokenlessPossible('localhost'), true);
	assert.equal(tokenlessPossible('127.0.0.1'), true);
	assert.equal(tokenlessPossible('127.1.2.3'), true);
	assert.equal(tokenlessPossible('[::1]'), true);
	assert.equal(tokenlessPossible('LOCALHOST'), true);
	assert.equal(tokenlessPossible('coordinator.example.com'), false);
	assert.equal(tokenlessPossible('10.0.0.5'), false);
	assert.equal(tokenlessPossible('127.0.0.1.nip.io'), false);
});

function token(claims)
{
	const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

	return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

test('the room claim of a token is read without verifying it', () =>
{
	assert.equal(tokenRoom(token({ room: '*', peer: 'ops', grants: [ 'admin' ] })), '*');
	assert.equal(tokenRoom(token({ room: 'team/stand-up ü', peer: 'ops' })), 'team/stand-up ü');
	assert.equal(tokenRoom(token({ peer: 'ops' })), null);
	assert.equal(tokenRoom('garbage'), null);
	assert.equal(tokenRoom('a.%%%.c'), null);
	assert.equal(tokenRoom(null), null);
});
