'use strict';

// Payloads shaped like mediasoup-client v2's, and small helpers the cases share. Everything a
// server answers is recorded by the session; these helpers only save typing.

const AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
const MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const TOFFSET = 'urn:ietf:params:rtp-hdrext:toffset';

/** What mediasoup-client sends in `join`: the Room's capabilities as the client rewrites them. */
function clientCapabilities(roomCaps)
{
	return {
		codecs : roomCaps.codecs.map((c) =>
		{
			const codec = {
				name                 : c.name,
				mimeType             : c.mimeType,
				kind                 : c.kind,
				clockRate            : c.clockRate,
				preferredPayloadType : c.preferredPayloadType
			};

			if (c.channels !== undefined)
				codec.channels = c.channels;
			if (c.name !== 'rtx')
				codec.rtcpFeedback = c.rtcpFeedback || [];
			codec.parameters = c.parameters || {};

			return codec;
		}),
		headerExtensions : roomCaps.headerExtensions.map((h) => ({ kind: h.kind, uri: h.uri, preferredId: h.preferredId })),
		fecMechanisms    : []
	};
}

/** The Room capabilities of the demo's default codecs (opus, VP8, H264) as both servers generate them. */
function defaultClientCapabilities()
{
	return {
		codecs : [
			{ name: 'opus', mimeType: 'audio/opus', kind: 'audio', clockRate: 48000, preferredPayloadType: 100, channels: 2, rtcpFeedback: [], parameters: { useinbandfec: 1 } },
			{ name: 'VP8', mimeType: 'video/VP8', kind: 'video', clockRate: 90000, preferredPayloadType: 101, rtcpFeedback: [ { type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' } ], parameters: {} },
			{ name: 'rtx', mimeType: 'video/rtx', kind: 'video', clockRate: 90000, preferredPayloadType: 102, parameters: { apt: 101 } }
		],
		headerExtensions : [
			{ kind: 'audio', uri: AUDIO_LEVEL, preferredId: 1 },
			{ kind: 'video', uri: TOFFSET, preferredId: 2 },
			{ kind: 'audio', uri: ABS_SEND_TIME, preferredId: 3 },
			{ kind: 'video', uri: ABS_SEND_TIME, preferredId: 3 },
			{ kind: 'audio', uri: MID, preferredId: 5 },
			{ kind: 'video', uri: MID, preferredId: 5 }
		],
		fecMechanisms : []
	};
}

/** A browser-like opus producer: its own payload type and header extension ids. */
function audioParameters(ssrc, { cname = 'wire-diff-cname', muxId } = {})
{
	const p = {
		codecs : [
			{ name: 'opus', mimeType: 'audio/opus', clockRate: 48000, payloadType: 111, channels: 2, rtcpFeedback: [], parameters: { minptime: 10, useinbandfec: 1 } }
		],
		headerExtensions : [
			{ uri: AUDIO_LEVEL, id: 1 },
			{ uri: ABS_SEND_TIME, id: 2 },
			{ uri: MID, id: 9 }
		],
		encodings : [ { ssrc } ],
		rtcp      : { cname, reducedSize: true, mux: true }
	};

	if (muxId !== undefined)
		p.muxId = muxId;

	return p;
}

/** A browser-like VP8 producer with RTX; `simulcast` gives three encodings with profiles. */
function videoParameters(ssrc, { cname = 'wire-diff-cname', simulcast = false } = {})
{
	const encodings = simulcast ?
		[
			{ ssrc, rtx: { ssrc: ssrc + 1 }, profile: 'low' },
			{ ssrc: ssrc + 2, rtx: { ssrc: ssrc + 3 }, profile: 'medium' },
			{ ssrc: ssrc + 4, rtx: { ssrc: ssrc + 5 }, profile: 'high' }
		] :
		[ { ssrc, rtx: { ssrc: ssrc + 1 } } ];

	return {
		codecs : [
			{ name: 'VP8', mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: [ { type: 'goog-remb' }, { type: 'ccm', parameter: 'fir' }, { type: 'nack' }, { type: 'nack', parameter: 'pli' } ], parameters: {} },
			{ name: 'rtx', mimeType: 'video/rtx', clockRate: 90000, payloadType: 97, parameters: { apt: 96 } }
		],
		headerExtensions : [
			{ uri: TOFFSET, id: 14 },
			{ uri: ABS_SEND_TIME, id: 2 },
			{ uri: MID, id: 9 }
		],
		encodings,
		rtcp : { cname, reducedSize: true, mux: true }
	};
}

const CLIENT_DTLS = {
	role         : 'server',
	fingerprints : [ { algorithm: 'sha-256', value: 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99' } ]
};

const RECV_DTLS = Object.assign({}, CLIENT_DTLS, { role: 'client' });

/** Connects `name`, sends queryRoom and join as mediasoup-client does; returns the connection. */
async function joined(t, name, { spy, appData, caps } = {})
{
	const conn = await t.connect(name);

	await conn.request({ method: 'queryRoom', target: 'room' });
	const join = { method: 'join', target: 'room', peerName: name, rtpCapabilities: caps || defaultClientCapabilities() };

	if (spy !== undefined)
		join.spy = spy;
	if (appData !== undefined)
		join.appData = appData;
	await conn.request(join);

	return conn;
}

/** createTransport as a send transport (client DTLS role "server"), with the given id. */
function sendTransport(conn, id, extra = {})
{
	return conn.request(Object.assign(
		{ method: 'createTransport', target: 'peer', id, direction: 'send', options: { udp: true, tcp: false }, dtlsParameters: CLIENT_DTLS, appData: { wd: 'send' } },
		extra));
}

/** createTransport as a recv transport (no DTLS parameters). */
function recvTransport(conn, id, extra = {})
{
	return conn.request(Object.assign(
		{ method: 'createTransport', target: 'peer', id, direction: 'recv', options: { udp: true, tcp: false }, appData: { wd: 'recv' } },
		extra));
}

function audioProducer(conn, id, transportId, ssrc, extra = {})
{
	return conn.request(Object.assign(
		{ method: 'createProducer', target: 'peer', id, kind: 'audio', transportId, rtpParameters: audioParameters(ssrc), paused: false, appData: { source: 'mic' } },
		extra));
}

function videoProducer(conn, id, transportId, ssrc, extra = {}, options = {})
{
	return conn.request(Object.assign(
		{ method: 'createProducer', target: 'peer', id, kind: 'video', transportId, rtpParameters: videoParameters(ssrc, options), paused: false, appData: { source: 'webcam' } },
		extra));
}

/** The consumer ids announced to `conn` so far (newConsumer notifications and join responses), in order. */
function consumerIds(t, conn)
{
	const ids = [];

	for (const event of t.events)
	{
		if (event.conn !== conn.label || event.dir !== '<' || !event.frame)
			continue;
		const f = event.frame;

		if (f.notification && f.data && f.data.method === 'newConsumer')
			ids.push(f.data.id);
		if (f.response && f.ok && f.data && Array.isArray(f.data.peers))
		{
			for (const peer of f.data.peers)
				for (const consumer of peer.consumers || [])
					ids.push(consumer.id);
		}
	}

	return ids;
}

module.exports = {
	clientCapabilities,
	defaultClientCapabilities,
	audioParameters,
	videoParameters,
	CLIENT_DTLS,
	RECV_DTLS,
	joined,
	sendTransport,
	recvTransport,
	audioProducer,
	videoProducer,
	consumerIds
};
