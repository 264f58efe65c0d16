'use strict';

// createProducer (checks in order, newConsumer before the response), pause/resume, close, stats.

const { joined, sendTransport, recvTransport, audioProducer, videoProducer, audioParameters, consumerIds, RECV_DTLS } = require('../lib/fixtures');

module.exports = [
	{
		name  : 'create-checks-in-order',
		about : 'kind, then RTP parameters, then the transport, then the media plane',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await sendTransport(c, 37000001);
			// bad kind beats bad parameters and a missing transport
			await audioProducer(c, 37000002, 99, 37000003, { kind: 'data', rtpParameters: null });
			await audioProducer(c, 37000002, 99, 37000003, { kind: undefined });
			await audioProducer(c, 37000002, 99, 37000003, { kind: 'depth' });
			// bad parameters beat a missing transport
			await audioProducer(c, 37000002, 99, 37000003, { rtpParameters: undefined });
			await audioProducer(c, 37000002, 99, 37000003, { rtpParameters: {} });
			await audioProducer(c, 37000002, 99, 37000003, { rtpParameters: { codecs: [ { name: 'H265', mimeType: 'video/H265', clockRate: 90000, payloadType: 100 } ] } });
			await audioProducer(c, 37000002, 99, 37000003, { rtpParameters: { codecs: [ { mimeType: 'audio/opus', clockRate: 48000, payloadType: 100 } ] } });
			await audioProducer(c, 37000002, 99, 37000003, { rtpParameters: Object.assign(audioParameters(37000003), { headerExtensions: [ { uri: 'urn:x-unknown', id: 3 } ] }) });
			// then the transport
			await audioProducer(c, 37000002, 99, 37000003);
			await audioProducer(c, 37000002, '37000001', 37000003);
			// then the media plane
			await audioProducer(c, 37000002, 37000001, 37000003, { rtpParameters: Object.assign(audioParameters(37000003), { encodings: [] }) });
			await audioProducer(c, 37000002, 37000001, 37000003, { rtpParameters: Object.assign(audioParameters(37000003), { rtcp: { cname: '' } }) });
			await audioProducer(c, 37000002, 37000001, 37000003);
			await audioProducer(c, 37000004, 37000001, 37000003);
			await audioProducer(c, 37000005, 37000001, 37000006, { kind: 'video' });
		}
	},
	{
		name  : 'ssrc-range',
		about : 'encodings[0].ssrc outside 0 … 2^32-1 or not an integer: 2^32, -1, 1.5, a string, 0, then 2^32-1',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await sendTransport(c, 37000020);
			let id = 37000021;

			for (const ssrc of [ 4294967296, -1, 1.5, '37000030', 0, 4294967295 ])
				await audioProducer(c, id++, 37000020, ssrc);
		}
	},
	{
		name  : 'new-consumer-before-response',
		about : 'every other peer, spies included, gets newConsumer before the createProducer response; the response data is {}',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');
			const s = await joined(t, 'spy', { spy: true });

			await sendTransport(a, 37000010);
			await videoProducer(a, 37000011, 37000010, 37000012);
			await audioProducer(a, 37000013, 37000010, 37000014, { appData: undefined, paused: true });
			void b; void s;
		}
	},
	{
		name  : 'pause-resume-close-fan-out',
		about : 'pauseProducer/resumeProducer reach enabled consumers only; closeProducer sends consumerClosed; unknown ids are silent',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');
			const c = await joined(t, 'carol');

			await sendTransport(a, 37000020);
			await audioProducer(a, 37000021, 37000020, 37000022);
			await recvTransport(b, 37000023);
			await b.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 37000023, dtlsParameters: RECV_DTLS });
			const [ consumer ] = consumerIds(t, b);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 37000023, paused: false, preferredProfile: 'default' });
			await a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 37000021, appData: { a: 1 } });
			await a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 37000021 });
			await a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: 37000021 });
			await a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: 37000021 });
			await a.notify({ method: 'updateProducer', target: 'peer', notification: true, id: 37000021, rtpParameters: audioParameters(37000099) });
			await a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: 37000021, appData: { bye: 1 } });
			await a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: 37000021 });
			void c;
		}
	},
	{
		name  : 'producer-stats',
		about : 'enableProducerStats reports at once (before RTP: an empty array) unless paused',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			await sendTransport(a, 37000030);
			await audioProducer(a, 37000031, 37000030, 37000032);
			await audioProducer(a, 37000033, 37000030, 37000034, { paused: true });
			await a.notify({ method: 'enableProducerStats', target: 'peer', notification: true, id: 37000031, interval: 100000 });
			await a.notify({ method: 'enableProducerStats', target: 'peer', notification: true, id: 37000033, interval: 100000 });
			await a.notify({ method: 'disableProducerStats', target: 'peer', notification: true, id: 37000031 });
			await a.notify({ method: 'disableProducerStats', target: 'peer', notification: true, id: 37000033 });
		}
	},
	{
		name  : 'simulcast-encodings',
		about : 'encoding profiles are checked by the media plane: default/none/unknown/duplicate/single-with-profile',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			await sendTransport(a, 37000040);
			const base = { ssrc: 37000041 };

			for (const encodings of [
				[ Object.assign({}, base, { profile: 'low' }) ],
				[ Object.assign({}, base, { profile: 'low' }), { ssrc: 37000042, profile: 'low' } ],
				[ Object.assign({}, base, { profile: 'default' }), { ssrc: 37000042, profile: 'high' } ],
				[ Object.assign({}, base, { profile: 'none' }), { ssrc: 37000042, profile: 'high' } ],
				[ Object.assign({}, base, { profile: 'ultra' }), { ssrc: 37000042, profile: 'high' } ]
			])
			{
				await videoProducer(a, 37000043, 37000040, 37000041, { rtpParameters: Object.assign(require('../lib/fixtures').videoParameters(37000041), { encodings }) });
			}
			await videoProducer(a, 37000043, 37000040, 37000050, {}, { simulcast: true });
		}
	}
];
