'use strict';

// Client-chosen ids (transports, producers): forms, duplicates, reuse after close.

const { joined, sendTransport, recvTransport, audioProducer } = require('../lib/fixtures');

module.exports = [
	{
		name  : 'transport-id-forms',
		about : 'transport ids: string, float, 1.0, negative, 2^32, 2^32-1, true; and 0, null, missing (the server picks one)',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			for (const id of [ '35000001', 1.5, -1, 4294967296, true, [ 1 ], { n: 1 } ])
				await recvTransport(c, id);
			await recvTransport(c, 4294967295);
			await recvTransport(c, 0);
			await recvTransport(c, null);
			await recvTransport(c, undefined);
			await recvTransport(c, false);
			await recvTransport(c, '');
		}
	},
	{
		name  : 'transport-id-float-equal-to-integer',
		about : 'a transport created as 35000010 can be named 35000010.0 (same JSON number) later',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await recvTransport(c, 35000010);
			await c.request({ method: 'restartTransport', target: 'peer', id: 35000010.0 });
			await c.request({ method: 'restartTransport', target: 'peer', id: '35000010' });
			await c.request({ method: 'restartTransport', target: 'peer', id: 35000010.5 });
		}
	},
	{
		name  : 'duplicate-transport-ids',
		about : 'the same transport id twice in one peer and across peers of one room; reuse after closeTransport',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			await recvTransport(a, 35000020);
			await recvTransport(a, 35000020);
			await recvTransport(b, 35000020);
			await a.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 35000020 });
			await recvTransport(b, 35000020);
			await recvTransport(a, 35000020);
		}
	},
	{
		name  : 'producer-id-forms-and-duplicates',
		about : 'producer ids: string, float, negative, 2^32, 0; the same id in two peers; reuse after closeProducer',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			await sendTransport(a, 35000030);
			await sendTransport(b, 35000031);
			let ssrc = 35100000;

			for (const id of [ '35000032', 1.5, -1, 4294967296 ])
				await audioProducer(a, id, 35000030, ssrc++);
			await audioProducer(a, 35000033, 35000030, ssrc++);
			await audioProducer(b, 35000033, 35000031, ssrc++);
			await audioProducer(a, 35000033, 35000030, ssrc++);
			await a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: 35000033 });
			await audioProducer(b, 35000033, 35000031, ssrc++);
			await audioProducer(a, 0, 35000030, ssrc++);
		}
	}
];
