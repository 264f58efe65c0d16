import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdminApiError, createAdminApi, errorFor } from '../dashboard/api.js';

function recordingFetch(answer)
{
	const calls = [];
	const fetch = async (url, init) =>
	{
		calls.push({ url, ...init });
		const { status = 200, body = '' } = typeof answer === 'function' ? answer(url, init) : answer;

		return { ok: status >= 200 && status < 300, status, text: async () => body };
	};

	return { fetch, calls };
}

test('requests carry the token as a bearer header, and none without a token', async () =>
{
	const { fetch, calls } = recordingFetch({ body: '{"silos":[],"gateways":[]}' });
	let token = 'abc';
	const api = createAdminApi({ fetch, token: () => token });

	assert.deepEqual(await api.cluster(), { silos: [], gateways: [] });
	token = null;
	await api.rooms();

	assert.equal(calls[0].url, '/admin/cluster');
	assert.equal(calls[0].headers.Authorization, 'Bearer abc');
	assert.equal(calls[1].url, '/admin/rooms');
	assert.equal('Authorization' in calls[1].headers, false);
});

test('room ids and peer names are percent-encoded, a slash included; actions post JSON', async () =>
{
	const { fetch, calls } = recordingFetch({ body: '{}' });
	const api = createAdminApi({ fetch, token: () => 't' });

	await api.room('team/daily standup');
	await api.removePeer('team/daily standup', 'zoë');
	await api.pauseProducer('demo', 12345);
	await api.closeRoom('demo');

	assert.equal(calls[0].url, '/admin/rooms/team%2Fdaily%20standup?worker=false&stats=true');
	assert.equal(calls[0].method, 'GET');
	assert.equal(calls[1].url, '/admin/rooms/team%2Fdaily%20standup/peers/zo%C3%AB/close');
	assert.equal(calls[1].method, 'POST');
	assert.equal(calls[1].headers['Content-Type'], 'application/json');
	assert.deepEqual(JSON.parse(calls[1].body), { reason: 'removed by an operator from the dashboard' });
	assert.equal(calls[2].url, '/admin/rooms/demo/producers/12345/pause');
	assert.equal(calls[3].url, '/admin/rooms/demo/close');
});

test('answers that are not 2xx become errors whose kind says what to tell the operator', () =>
{
	assert.equal(errorFor(401, { error: 'the join token has expired' }).kind, 'unauthorized');
	assert.equal(errorFor(401, { error: 'the join token has expired' }).message, 'the join token has expired');
	assert.equal(errorFor(403, { error: 'this token has no admin grant' }).kind, 'forbidden');
	assert.equal(errorFor(404, { error: 'room "x" is not open' }).kind, 'not-found');
	assert.equal(errorFor(404, null).kind, 'off', 'a bare 404 means no admin endpoint is mapped');
	assert.equal(errorFor(504, { error: 'the cluster did not answer in time: …' }).kind, 'timeout');
	assert.equal(errorFor(500, null).message, 'the gateway answered 500');
});

test('a 404 without JSON from a switched-off API, and a gateway that cannot be reached', async () =>
{
	const off = createAdminApi({ fetch: recordingFetch({ status: 404, body: '' }).fetch, token: () => null });
	const down = createAdminApi({ fetch: async () => { throw new TypeError('Failed to fetch'); }, token: () => null });

	await assert.rejects(off.cluster(), (error) => error instanceof AdminApiError && error.kind === 'off');
	await assert.rejects(down.cluster(), (error) => error.kind === 'unreachable' && /Failed to fetch/.test(error.message));
});
