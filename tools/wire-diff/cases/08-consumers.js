'use strict';

// enableConsumer (checks in order, response), consumer pause/resume, preferred profile, stats,
// and the paused flag of consumers announced while their producer is paused.

const { joined, sendTransport, recvTransport, audioProducer, consumerIds, RECV_DTLS } = require('../lib/fixtures');

async function setup(t)
{
	const a = await joined(t, 'alice');
	const b = await joined(t, 'bob');

	await sendTransport(a, 38000001);
	await audioProducer(a, 38000002, 38000001, 38000003);
	await recvTransport(b, 38000004);
	await b.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 38000004, dtlsParameters: RECV_DTLS });

	return { a, b, consumer: consumerIds(t, b)[0] };
}

module.exports = [
	{
		name  : 'enable-checks-in-order',
		about : 'unknown consumer, then unknown transport, then already enabled',
		run   : async (t) =>
		{
			const { b, consumer } = await setup(t);

			await b.request({ method: 'enableConsumer', target: 'peer', id: 38999999, transportId: 38999998 });
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38999998 });
			await b.request({ method: 'enableConsumer', target: 'peer', id: String(consumer), transportId: 38000004 });
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
		}
	},
	{
		name  : 'enable-with-paused-and-profile',
		about : 'enableConsumer with paused:true and a preferred profile; the response leaves out the client\'s own pause',
		run   : async (t) =>
		{
			const { b, consumer } = await setup(t);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004, paused: true, preferredProfile: 'high' });
			await b.notify({ method: 'resumeConsumer', target: 'peer', notification: true, id: consumer });
			await b.notify({ method: 'setConsumerPreferredProfile', target: 'peer', notification: true, id: consumer, profile: 'bogus' });
			await b.notify({ method: 'setConsumerPreferredProfile', target: 'peer', notification: true, id: consumer, profile: 'low' });
		}
	},
	{
		name  : 'enable-with-unknown-profile',
		about : 'an unknown preferredProfile is refused by the media plane, logged, and the request still succeeds',
		run   : async (t) =>
		{
			const { b, consumer } = await setup(t);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004, preferredProfile: 'ultra' });
		}
	},
	{
		name  : 'source-paused-before-announce',
		about : 'a consumer announced while its producer is paused says paused:false; enableConsumer then answers paused:true',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');

			await sendTransport(a, 38000010);
			await audioProducer(a, 38000011, 38000010, 38000012, { paused: true });
			const b = await joined(t, 'bob');

			await recvTransport(b, 38000013);
			const [ consumer ] = consumerIds(t, b);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000013 });
			await a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: 38000011 });
			await a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 38000011 });
		}
	},
	{
		name  : 'client-paused-consumer-still-told-about-source',
		about : 'a consumer its own client paused still gets consumerPaused/consumerResumed when the source changes',
		run   : async (t) =>
		{
			const { a, b, consumer } = await setup(t);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
			await b.notify({ method: 'pauseConsumer', target: 'peer', notification: true, id: consumer });
			await a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 38000002 });
			await a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: 38000002 });
		}
	},
	{
		name  : 'disabled-when-transport-closes',
		about : 'closing the transport a consumer is enabled on disables it (no notification); it can be enabled again',
		run   : async (t) =>
		{
			const { a, b, consumer } = await setup(t);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
			await b.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 38000004 });
			await a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 38000002 });
			await a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: 38000002 });
			await recvTransport(b, 38000004);
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
		}
	},
	{
		name  : 'consumer-stats',
		about : 'enableConsumerStats: a report at once only if enabled and not paused',
		run   : async (t) =>
		{
			const { b, consumer } = await setup(t);

			await b.notify({ method: 'enableConsumerStats', target: 'peer', notification: true, id: consumer, interval: 100000 });
			await b.notify({ method: 'disableConsumerStats', target: 'peer', notification: true, id: consumer });
			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000004 });
			await b.notify({ method: 'enableConsumerStats', target: 'peer', notification: true, id: consumer, interval: 100000 });
			await b.notify({ method: 'disableConsumerStats', target: 'peer', notification: true, id: consumer });
		}
	},
	{
		name  : 'unsupported-consumer',
		about : 'a peer whose capabilities lack the producer\'s codec still gets a consumer, with no codecs; enabling it fails in the media plane',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const videoOnly = require('../lib/fixtures').defaultClientCapabilities();

			videoOnly.codecs = videoOnly.codecs.filter((c) => c.kind === 'video');
			const b = await joined(t, 'bob', { caps: videoOnly });

			await sendTransport(a, 38000020);
			await audioProducer(a, 38000021, 38000020, 38000022);
			await recvTransport(b, 38000023);
			const [ consumer ] = consumerIds(t, b);

			await b.request({ method: 'enableConsumer', target: 'peer', id: consumer, transportId: 38000023 });
		}
	}
];
