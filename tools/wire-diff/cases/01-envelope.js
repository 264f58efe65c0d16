'use strict';

// The protoo envelope: what a frame must look like to be a request or a notification, how ids
// are echoed, and what happens to everything else. Each case ends with a valid queryRoom so a
// silently dropped frame shows as "no answer, then the queryRoom answer".

const { joined } = require('../lib/fixtures');

const QUERY = { method: 'queryRoom', target: 'room' };

async function probe(conn)
{
	await conn.protoo('mediasoup-request', QUERY, { id: 999 });
}

module.exports = [
	{
		name  : 'handshake-without-subprotocol',
		about : 'no "protoo" sub-protocol: refused with HTTP 403',
		run   : async (t) => { await t.connect('alice', { protocol: null }); }
	},
	{
		name  : 'handshake-without-room-or-peer',
		about : 'roomId or peerName missing or empty: refused with HTTP 400',
		run   : async (t) =>
		{
			await t.connect('alice', { room: null, label: 'no-room' });
			await t.connect(null, { label: 'no-peer' });
			await t.connect('', { label: 'empty-peer' });
		}
	},
	{
		name  : 'not-json-and-non-objects',
		about : 'text that is not JSON, arrays, strings, numbers, booleans: dropped without an answer',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.raw('this is not JSON');
			c.raw('[1,2,3]');
			c.raw('"request"');
			c.raw('42');
			c.raw('true');
			c.raw('{}');
			await t.settle();
			await probe(c);
		}
	},
	{
		name  : 'binary-frame',
		about : 'a binary frame is ignored',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.binary(Buffer.from(JSON.stringify({ request: true, id: 1, method: 'mediasoup-request', data: QUERY })));
			await t.settle();
			await probe(c);
		}
	},
	{
		name  : 'request-without-valid-method-or-id',
		about : 'request:true without a string method or a numeric id is dropped (protoo cannot answer it)',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.frame({ request: true, id: 1, data: QUERY });
			c.frame({ request: true, id: 2, method: 7, data: QUERY });
			c.frame({ request: true, method: 'mediasoup-request', data: QUERY });
			c.frame({ request: true, id: '3', method: 'mediasoup-request', data: QUERY });
			c.frame({ request: true, id: null, method: 'mediasoup-request', data: QUERY });
			await t.settle();
			await probe(c);
		}
	},
	{
		name  : 'request-flag-truthiness',
		about : '"request" only needs to be truthy (1, "yes"); false/0/"" make the frame something else',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.frame({ request: 1, id: 1, method: 'mediasoup-request', data: QUERY });
			await t.settle();
			c.frame({ request: 'yes', id: 2, method: 'mediasoup-request', data: QUERY });
			await t.settle();
			c.frame({ request: 0, id: 3, method: 'mediasoup-request', data: QUERY });
			c.frame({ request: false, id: 4, method: 'mediasoup-request', data: QUERY });
			await t.settle();
		}
	},
	{
		name  : 'request-id-forms',
		about : 'any JSON number is a valid request id and is echoed: floats, negatives, 0, 2^32, 2^53+1, exponent forms',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			for (const id of [ 0, -1, 1.5, 4294967296, 1e21 ])
				await c.protoo('mediasoup-request', QUERY, { id });
			// Number texts that JSON.parse reads as another value.
			await c.protoo('mediasoup-request', QUERY, { rawId: '1.0' });
			await c.protoo('mediasoup-request', QUERY, { rawId: '1E2' });
			await c.protoo('mediasoup-request', QUERY, { rawId: '9007199254740993' });
			await c.protoo('mediasoup-request', QUERY, { rawId: '-0' });
		}
	},
	{
		name  : 'duplicate-request-ids',
		about : 'two requests with the same id are both answered, each once',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.frame({ request: true, id: 5, method: 'mediasoup-request', data: QUERY });
			c.frame({ request: true, id: 5, method: 'mediasoup-request', data: { method: 'bogus', target: 'room' } });
			await t.settle();
		}
	},
	{
		name  : 'unknown-protoo-request-method',
		about : 'a protoo request whose method is not "mediasoup-request": 400 unknown request.method',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.protoo('hello', {});
			await c.protoo('', {});
			await c.protoo('mediasoup-Request', QUERY);
		}
	},
	{
		name  : 'data-forms',
		about : 'protoo replaces a falsy data by {}; other non-objects reach the mediasoup layer as they are',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			for (const data of [ undefined, null, false, 0, '', 'queryRoom', 7, true, [], [ QUERY ] ])
				await c.protoo('mediasoup-request', data);
		}
	},
	{
		name  : 'data-forms-after-join',
		about : 'the same data forms once joined: they reach the Peer',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			for (const data of [ undefined, null, 'queryRoom', 7, true, [], {} ])
				await c.protoo('mediasoup-request', data);
		}
	},
	{
		name  : 'client-sends-a-response',
		about : 'a response frame from the client (the server never asked): ignored',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			c.frame({ response: true, id: 1, ok: true, data: {} });
			c.frame({ response: true, id: 2, errorCode: 500, errorReason: 'x' });
			await t.settle();
			await probe(c);
		}
	},
	{
		name  : 'unknown-protoo-notification',
		about : 'a protoo notification whose method is not "mediasoup-notification": ignored',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			c.frame({ notification: true, method: 'hello', data: { method: 'leave', target: 'peer', notification: true } });
			await t.settle();
			await probe(c);
		}
	},
	{
		name    : 'early-demo-notification-as-request',
		about   : 'a mediasoup notification carried in a protoo *request* (method "mediasoup-notification")',
		run     : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			await b.protoo('mediasoup-notification', { method: 'leave', target: 'peer', notification: true, appData: { bye: 1 } });
			await t.settle();
			await b.request({ method: 'createTransport', target: 'peer', id: 31000001, direction: 'recv', options: { udp: true, tcp: false } });
			void a;
		}
	},
	{
		name   : 'json-null-frame',
		about  : 'the text "null": protoo-server 3 reads a property of it and the reference server process dies; Coordinator drops the frame',
		unsafe : true,
		run    : async (t) =>
		{
			const c = await t.connect('alice');

			c.raw('null');
			await t.settle();
			await probe(c);
		}
	}
];
