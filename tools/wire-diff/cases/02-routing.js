'use strict';

// Routing by the mediasoup payload: which requests reach the Room, which the Peer, and what the
// `target` field changes (or not).

const { joined, defaultClientCapabilities } = require('../lib/fixtures');

function join(name)
{
	return { method: 'join', target: 'room', peerName: name, rtpCapabilities: defaultClientCapabilities() };
}

const RECV = { method: 'createTransport', id: 32000001, direction: 'recv', options: { udp: true, tcp: false } };

module.exports = [
	{
		name    : 'queryroom-target-forms',
		about   : 'queryRoom with target "peer", another string, or none, before join',
		run     : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request({ method: 'queryRoom', target: 'peer' });
			await c.request({ method: 'queryRoom', target: 'elsewhere' });
			await c.request({ method: 'queryRoom' });
			await c.request({ method: 'queryRoom', target: 7 });
		}
	},
	{
		name    : 'join-target-forms',
		about   : 'join with target "peer", or no target',
		run     : async (t) =>
		{
			const a = await t.connect('alice');

			await a.request(Object.assign(join('alice'), { target: 'peer' }));
			const b = await t.connect('bob');

			await b.request(Object.assign(join('bob'), { target: undefined }));
		}
	},
	{
		name  : 'peer-methods-before-join',
		about : 'peer requests before join: 400 no mediasoup Peer, whatever the method (known or not)',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request(Object.assign({ target: 'peer' }, RECV));
			await c.request({ method: 'frobnicate', target: 'peer' });
			await c.request({ method: 'leave', target: 'peer' });
		}
	},
	{
		name    : 'unknown-methods-before-join',
		about   : 'unknown method with target "room", another target, no target, before join',
		run     : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request({ method: 'frobnicate', target: 'room' });
			await c.request({ method: 'createTransport', target: 'room' });
			await c.request({ method: 'frobnicate' });
			await c.request({ method: 'frobnicate', target: 'other' });
		}
	},
	{
		name    : 'peer-methods-with-other-targets-after-join',
		about   : 'createTransport with target "room", none, or another string, once joined',
		run     : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request(Object.assign({}, RECV, { target: 'room', id: 32000002 }));
			await c.request(Object.assign({}, RECV, { id: 32000003 }));
			await c.request(Object.assign({}, RECV, { target: 'Peer', id: 32000004 }));
			await c.request(Object.assign({}, RECV, { target: 'peer', id: 32000005 }));
		}
	},
	{
		name    : 'unknown-methods-after-join',
		about   : 'unknown methods once joined, with each target',
		run     : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request({ method: 'frobnicate', target: 'peer' });
			await c.request({ method: 'frobnicate', target: 'room' });
			await c.request({ method: 'frobnicate' });
			await c.request({ method: 'leave', target: 'peer' });
			await c.request({ method: 'updateTransport', target: 'peer', id: 1 });
		}
	},
	{
		name  : 'room-methods-after-join',
		about : 'queryRoom after join is still answered by the Room',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request({ method: 'queryRoom', target: 'room' });
		}
	},
	{
		name    : 'notification-target-forms',
		about   : 'mediasoup notifications without target, or with target "room": the reference handles them (here: leave)',
		run     : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');
			const c = await joined(t, 'carol');

			await b.notify({ method: 'leave', notification: true, appData: { how: 'no target' } });
			await c.notify({ method: 'leave', target: 'room', notification: true, appData: { how: 'room target' } });
			await b.request({ method: 'createTransport', target: 'peer', id: 32000010, direction: 'recv', options: { udp: true, tcp: false } });
			void a;
		}
	}
];
