'use strict';

// The checks the Room and the Peer make before dispatching a request or a notification, and
// their order.

const { joined, defaultClientCapabilities } = require('../lib/fixtures');

function join(name, extra)
{
	return Object.assign({ method: 'join', target: 'room', peerName: name, rtpCapabilities: defaultClientCapabilities() }, extra);
}

module.exports = [
	{
		name    : 'queryroom-notification-field',
		about   : 'queryRoom whose payload carries a truthy "notification": TypeError not a request; falsy values pass',
		run     : async (t) =>
		{
			const c = await t.connect('alice');

			for (const notification of [ true, 1, 'yes', {}, [] ])
				await c.request({ method: 'queryRoom', target: 'room', notification });
			for (const notification of [ false, 0, '', null ])
				await c.request({ method: 'queryRoom', target: 'room', notification });
		}
	},
	{
		name  : 'join-notification-field',
		about : 'join whose payload carries a truthy "notification": TypeError not a request; then a clean join works',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request(join('alice', { notification: true }));
			await c.request(join('alice', { notification: 'x' }));
			await c.request(join('alice', { notification: 0 }));
		}
	},
	{
		name  : 'peer-request-validation-order',
		about : 'once joined: non-object, then notification truthy, then method not a string, then unknown method',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request({ method: 'createTransport', target: 'peer', notification: true, id: 33000001, direction: 'recv', options: {} });
			await c.request({ method: 'frobnicate', target: 'peer', notification: 1 });
			await c.request({ target: 'peer', notification: true });
			await c.request({ method: 12, target: 'peer' });
			await c.request({ method: null, target: 'peer' });
			await c.request({ method: 'queryroom', target: 'peer' });
			await c.request({ method: 'createTransport', target: 'peer', notification: false, id: 33000002, direction: 'recv', options: {} });
		}
	},
	{
		name    : 'room-method-missing-or-not-string',
		about   : 'target "room" with no method or a non-string method, before and after join',
		run     : async (t) =>
		{
			const c = await t.connect('alice');

			await c.request({ target: 'room' });
			await c.request({ target: 'room', method: 1 });
			await c.request(join('alice'));
			await c.request({ target: 'room' });
			await c.request({ target: 'room', method: [ 'join' ] });
		}
	},
	{
		name  : 'requests-after-leave',
		about : 'after leave, on the same socket: peer requests get InvalidStateError Room closed, join gets already have a mediasoup Peer',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.notify({ method: 'leave', target: 'peer', notification: true });
			await c.request({ method: 'createTransport', target: 'peer', id: 33000003, direction: 'recv', options: {} });
			await c.request({ method: 'frobnicate', target: 'peer' });
			await c.request({ target: 'peer' });
			await c.request(join('alice'));
			await c.request({ method: 'queryRoom', target: 'room' });
			await c.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 1 });
		}
	},
	{
		name  : 'notifications-with-bad-envelopes',
		about : 'mediasoup notifications whose payload fails validation are swallowed: no answer, no effect',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			// notification field not strictly true, method missing or not a string, unknown method
			await b.notify({ method: 'leave', target: 'peer', notification: 1 });
			await b.notify({ method: 'leave', target: 'peer', notification: 'true' });
			await b.notify({ method: 'leave', target: 'peer' });
			await b.notify({ target: 'peer', notification: true });
			await b.notify({ method: 5, target: 'peer', notification: true });
			await b.notify({ method: 'frobnicate', target: 'peer', notification: true });
			await b.notify({ method: 'updateProducer', target: 'peer', notification: true, id: 1, rtpParameters: {} });
			await b.notify({ method: 'join', target: 'peer', notification: true });
			// ... and non-object payloads (a falsy data becomes {})
			b.frame({ notification: true, method: 'mediasoup-notification', data: 'leave' });
			b.frame({ notification: true, method: 'mediasoup-notification', data: [ { method: 'leave', target: 'peer', notification: true } ] });
			b.frame({ notification: true, method: 'mediasoup-notification' });
			await t.settle();
			// bob is still in the room: alice still sees him leave now
			await b.notify({ method: 'leave', target: 'peer', notification: true, appData: { now: true } });
			void a;
		}
	},
	{
		name  : 'notifications-with-unknown-ids',
		about : 'notifications naming objects that do not exist are swallowed',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			for (const method of [ 'updateTransport', 'closeTransport', 'enableTransportStats', 'disableTransportStats',
				'pauseProducer', 'resumeProducer', 'closeProducer', 'enableProducerStats', 'disableProducerStats',
				'pauseConsumer', 'resumeConsumer', 'setConsumerPreferredProfile', 'enableConsumerStats', 'disableConsumerStats' ])
				await a.notify({ method, target: 'peer', notification: true, id: 33999999, interval: 1000, profile: 'low' });
			await a.request({ method: 'queryRoom', target: 'room' });
		}
	},
	{
		name  : 'notifications-before-join',
		about : 'notifications before join are dropped (no Peer yet); the socket can still join',
		run   : async (t) =>
		{
			const c = await t.connect('alice');

			await c.notify({ method: 'leave', target: 'peer', notification: true });
			await c.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 1 });
			await c.request(join('alice'));
		}
	}
];
