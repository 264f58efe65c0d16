'use strict';

// createTransport, updateTransport, restartTransport, closeTransport and transport stats.

const { joined, sendTransport, recvTransport, audioProducer, CLIENT_DTLS, RECV_DTLS } = require('../lib/fixtures');

const FP = CLIENT_DTLS.fingerprints[0];

module.exports = [
	{
		name  : 'create-send-and-recv',
		about : 'send transport with client DTLS role server gets role client; recv transport without DTLS gets role auto; options choose candidates',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await sendTransport(c, 36000001);
			await recvTransport(c, 36000002);
			await recvTransport(c, 36000003, { options: { udp: true, tcp: true, preferTcp: true, preferIPv4: true } });
			await recvTransport(c, 36000004, { options: { udp: false, tcp: false } });
			await recvTransport(c, 36000005, { options: undefined });
			await recvTransport(c, 36000006, { options: { udp: 'no', tcp: 0 } });
			await recvTransport(c, 36000007, { direction: 'sideways' });
		}
	},
	{
		name  : 'create-dtls-errors',
		about : 'DTLS parameter errors in createTransport: the transport is removed silently and its id is free again',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await sendTransport(c, 36000010, { dtlsParameters: { role: 'server' } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'server', fingerprints: 'x' } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'server', fingerprints: [ 'x' ] } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'server', fingerprints: [ { algorithm: 'sha-256' } ] } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'server', fingerprints: [ { algorithm: 'md5', value: 'AB' } ] } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'both', fingerprints: [ FP ] } });
			await sendTransport(c, 36000010, { dtlsParameters: { role: 'client', fingerprints: [ FP ] } });
			await sendTransport(c, 36000011, { dtlsParameters: { role: 'auto', fingerprints: [ FP ] } });
			await sendTransport(c, 36000012, { dtlsParameters: { fingerprints: [ { algorithm: 'md5', value: 'AB' }, FP ] } });
			await sendTransport(c, 36000013, { dtlsParameters: { fingerprints: [ FP, { algorithm: 'md5', value: 'AB' } ] } });
		}
	},
	{
		name  : 'update-transport',
		about : 'updateTransport sets the remote DTLS parameters once; a failure closes the transport with transportClosed',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await recvTransport(c, 36000020);
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000020, dtlsParameters: RECV_DTLS });
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000020, dtlsParameters: RECV_DTLS });
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000020 });
			await recvTransport(c, 36000021);
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000021, dtlsParameters: { role: 'client', fingerprints: [ { algorithm: 'md5', value: 'x' } ] } });
			await recvTransport(c, 36000022);
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000022 });
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000022, plainRtpParameters: { ip: '127.0.0.1', port: 9 } });
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000022 });
		}
	},
	{
		name  : 'send-transport-update-after-create-with-dtls',
		about : 'a send transport already has remote DTLS parameters from createTransport: updateTransport fails and closes it',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await sendTransport(c, 36000030);
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000030, dtlsParameters: RECV_DTLS, appData: { x: 1 } });
			await sendTransport(c, 36000030);
		}
	},
	{
		name  : 'restart-transport',
		about : 'restartTransport returns new ICE credentials; unknown ids fail',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await recvTransport(c, 36000040);
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000040 });
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000041 });
			await c.request({ method: 'restartTransport', target: 'peer' });
		}
	},
	{
		name  : 'plain-rtp-transport',
		about : 'plainRtpParameters select a plain RTP transport; restartTransport and DTLS do not apply to it',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await c.request({ method: 'createTransport', target: 'peer', id: 36000050, direction: 'send', options: {}, plainRtpParameters: { ip: '127.0.0.1', port: 40000 } });
			await c.request({ method: 'createTransport', target: 'peer', id: 36000051, direction: 'send', plainRtpParameters: { ip: '127.0.0.1', port: 40002 } });
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000050 });
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000050, dtlsParameters: RECV_DTLS });
			await c.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 36000050, plainRtpParameters: { ip: '127.0.0.1', port: 40004 } });
			await c.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 36000050, interval: 1000 });
			await c.request({ method: 'restartTransport', target: 'peer', id: 36000050 });
		}
	},
	{
		name  : 'close-transport-cascade',
		about : 'closeTransport: no transportClosed to the owner; its producers close and their consumers get consumerClosed; the trailing closeProducer is ignored',
		run   : async (t) =>
		{
			const a = await joined(t, 'alice');
			const b = await joined(t, 'bob');

			await sendTransport(a, 36000060);
			await audioProducer(a, 36000061, 36000060, 36000062);
			await a.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 36000060, appData: { why: 'done' } });
			await a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: 36000061 });
			await a.request({ method: 'restartTransport', target: 'peer', id: 36000060 });
			await sendTransport(a, 36000060);
			void b;
		}
	},
	{
		name  : 'transport-stats',
		about : 'enableTransportStats sends one report at once; a second enable is ignored; disable stops',
		run   : async (t) =>
		{
			const c = await joined(t, 'alice');

			await recvTransport(c, 36000070);
			await c.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 36000070, interval: 100000 });
			await c.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 36000070, interval: 1000 });
			await c.notify({ method: 'disableTransportStats', target: 'peer', notification: true, id: 36000070 });
			await c.notify({ method: 'disableTransportStats', target: 'peer', notification: true, id: 36000070 });
			await c.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 36000070, interval: 'often' });
			await c.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 36000070 });
			await c.notify({ method: 'disableTransportStats', target: 'peer', notification: true, id: 36000070 });
		}
	}
];
