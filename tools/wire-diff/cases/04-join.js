'use strict';

// join: the checks in order, the response, newPeer, spies, re-join and takeover.

const { joined, defaultClientCapabilities, sendTransport, audioProducer } = require('../lib/fixtures');

function join(name, extra)
{
	return Object.assign({ method: 'join', target: 'room', peerName: name, rtpCapabilities: defaultClientCapabilities() }, extra);
}

function caps(mutate)
{
	const c = defaultClientCapabilities();

	mutate(c);

	return c;
}

module.exports = [
	{
		name  : 'peername-checks',
		about : 'peerName missing, not a string, or another name: 403; the socket can then join',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request(join('alice', { peerName: undefined }));
			await c.request(join('alice', { peerName: 7 }));
			await c.request(join('alice', { peerName: '' }));
			await c.request(join('alice', { peerName: 'Alice' }));
			await c.request(join('alice'));
		}
	},
	{
		name  : 'order-403-before-500-before-validation',
		about : 'another name beats "already joined", which beats the Room\'s own checks',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request(join('bob', { notification: true, rtpCapabilities: null }));
			await c.request(join('alice', { notification: true, rtpCapabilities: null }));
			await c.request(join('alice'));
		}
	},
	{
		name  : 'capabilities-checks',
		about : 'missing or malformed rtpCapabilities, unsupported codecs and header extensions; each failure leaves the socket free to join',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request(join('alice', { rtpCapabilities: undefined }));
			await c.request(join('alice', { rtpCapabilities: null }));
			await c.request(join('alice', { rtpCapabilities: 'caps' }));
			await c.request(join('alice', { rtpCapabilities: {} }));
			await c.request(join('alice', { rtpCapabilities: { codecs: {} } }));
			await c.request(join('alice', { rtpCapabilities: { codecs: 5 } }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.codecs[0].preferredPayloadType = 111; }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.codecs[0].channels = 1; }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.codecs.push({ name: 'VP9', mimeType: 'video/VP9', kind: 'video', clockRate: 90000, preferredPayloadType: 101 }); }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.headerExtensions[0].preferredId = 9; }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.headerExtensions.push({ kind: 'audio', uri: 'urn:x-unknown', preferredId: 1 }); }) }));
			await c.request(join('alice', { rtpCapabilities: { codecs: [] } }));
		}
	},
	{
		name  : 'capabilities-null-entries',
		about : 'a null codec or header extension entry',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.codecs.push(null); }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.headerExtensions = [ null ]; }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.headerExtensions = 'none'; }) }));
			await c.request(join('alice', { rtpCapabilities: caps((x) => { x.codecs = [ { name: 'opus', kind: 'audio', clockRate: 48000, preferredPayloadType: 100 } ]; }) }));
		}
	},
	{
		name  : 'response-newpeer-and-appdata',
		about : 'join response lists the others with their appData and the joiner\'s consumers; newPeer carries consumers [] and appData',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice', { appData: { displayName: 'Alice', n: [ 1, 2 ] } });

			await sendTransport(a, 34000001);
			await audioProducer(a, 34000002, 34000001, 34000003);
			const b = await joined(t, 'bob');
			const c = await joined(t, 'carol', { appData: null });

			void b; void c;
		}
	},
	{
		name  : 'spies',
		about : 'a spy is not announced, not listed, gets consumers, cannot produce; spies still hear newPeer/peerClosed',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			await sendTransport(a, 34000011);
			await audioProducer(a, 34000012, 34000011, 34000013);
			const s = await joined(t, 'spy', { spy: true, appData: { role: 'spy' } });

			await sendTransport(s, 34000014);
			await audioProducer(s, 34000015, 34000014, 34000016);
			const b = await joined(t, 'bob', { spy: 0 });

			await sendTransport(b, 34000017);
			await audioProducer(b, 34000018, 34000017, 34000019);
			await s.notify({ method: 'leave', target: 'peer', notification: true, appData: { spy: 'leaving' } });
			await b.notify({ method: 'leave', target: 'peer', notification: true });
		}
	},
	{
		name  : 'spy-flag-forms',
		about : 'spy is coerced with Boolean(): "yes" and 1 make a spy, "" and 0 do not',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			await joined(t, 's1', { spy: 'yes' });
			await joined(t, 's2', { spy: 1 });
			await joined(t, 'p3', { spy: '' });
			void a;
		}
	},
	{
		name  : 'takeover',
		about : 'a second socket with the same (room, peerName) closes the first (4000) and closes its Peer; the new one can join',
		differs : 'same close code 4000, other close reason text',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b1 = await joined(t, 'bob');
			const b2 = await t.connect('bob', { label: 'bob#2' });

			await b1.waitClosed();
			await t.settle();
			await b2.request(join('bob'));
			void a;
		}
	},
	{
		name  : 'rejoin-after-leave-on-new-socket',
		about : 'leave, close the socket, connect again with the same name and join',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b1 = await joined(t, 'bob');

			await b1.notify({ method: 'leave', target: 'peer', notification: true });
			await b1.close();
			await t.settle();
			await joined(t, 'bob');
			void a;
		}
	},
	{
		name  : 'socket-close-is-leave',
		about : 'closing the socket without leave: the others get peerClosed without appData',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob', { appData: { x: 1 } });

			await b.close(1000);
			await t.settle();
			void a;
		}
	},
	{
		name    : 'failed-consumer-creation-leaves-zombie',
		about   : 'capabilities without headerExtensions pass the subset check, then consumer creation throws; the reference keeps the half-joined peer',
		differs : 'Coordinator removes the half-joined peer, so the same socket can join again; the reference answers "duplicated Peer" from then on',
		run     : async (t) =>
		{
			const a = await joined(t, 'alice');

			await sendTransport(a, 34000021);
			await audioProducer(a, 34000022, 34000021, 34000023);
			const b = await t.connect('bob');
			const noExtensions = defaultClientCapabilities();

			delete noExtensions.headerExtensions;
			await b.request(join('bob', { rtpCapabilities: noExtensions }));
			await b.request(join('bob'));
		}
	}
];
