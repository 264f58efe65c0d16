'use strict';

// What leaving takes with it, and the close codes of the socket.

const { joined, sendTransport, recvTransport, audioProducer, consumerIds, RECV_DTLS } = require('../lib/fixtures');

module.exports = [
	{
		name  : 'leave-with-producers',
		about : 'leave: peerClosed with the leave appData to the others, and no consumerClosed for the leaver\'s producers',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');
			const c = await joined(t, 'carol');

			await sendTransport(a, 39000001);
			await audioProducer(a, 39000002, 39000001, 39000003);
			await recvTransport(b, 39000004);
			await b.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 39000004, dtlsParameters: RECV_DTLS });
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumerIds(t, b)[0], transportId: 39000004 });
			await a.notify({ method: 'leave', target: 'peer', notification: true, appData: { reason: 'bye' } });
			await a.notify({ method: 'leave', target: 'peer', notification: true });
			void c;
		}
	},
	{
		name  : 'consumer-of-leaver-gone',
		about : 'after the producer\'s owner left, its consumer ids are unknown to the others',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			await sendTransport(a, 39000010);
			await audioProducer(a, 39000011, 39000010, 39000012);
			await recvTransport(b, 39000013);
			const [ consumer ] = consumerIds(t, b);

			await a.close();
			await t.settle();
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 39000013 });
		}
	},
	{
		name  : 'message-too-big',
		about : 'a frame over the size limit closes the socket (960000 bytes; in Coordinator Gateway:MaxMessageBytes, the same by default)',
		differs : 'same close code 1009 and limit; Coordinator\'s reason text says what the limit is',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			b.raw(JSON.stringify({ request: true, id: 9, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room', pad: 'x'.repeat(1100000) } }));
			await b.waitClosed();
			await t.settle();
			void a;
		}
	}
];
