'use strict';

// Messages shaped like mediasoup-client 2's, enough to join, send audio and be announced.

/** What mediasoup-client sends in `join`: the room's capabilities as a client that takes them all. */
function clientCapabilities(roomCapabilities)
{
	return {
		codecs : roomCapabilities.codecs.map((codec) =>
		{
			const copy = {
				name                 : codec.name,
				mimeType             : codec.mimeType,
				kind                 : codec.kind,
				clockRate            : codec.clockRate,
				preferredPayloadType : codec.preferredPayloadType,
				parameters           : codec.parameters || {},
				rtcpFeedback         : codec.rtcpFeedback || []
			};

			if (codec.channels !== undefined)
				copy.channels = codec.channels;

			return copy;
		}),
		headerExtensions : roomCapabilities.headerExtensions.map(({ kind, uri, preferredId }) => ({ kind, uri, preferredId })),
		fecMechanisms    : []
	};
}

function join(peerName, rtpCapabilities, extra = {})
{
	return Object.assign({ method: 'join', target: 'room', peerName, rtpCapabilities, spy: false }, extra);
}

function createSendTransport(id)
{
	return {
		method         : 'createTransport',
		target         : 'peer',
		id,
		direction      : 'send',
		options        : { udp: true, tcp: false },
		dtlsParameters : {
			role         : 'server',
			fingerprints : [ { algorithm: 'sha-256', value: Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':') } ]
		},
		appData : { direction: 'send' }
	};
}

function createAudioProducer(id, transportId, ssrc)
{
	return {
		method        : 'createProducer',
		target        : 'peer',
		id,
		kind          : 'audio',
		transportId,
		rtpParameters : {
			muxId            : String(id),
			codecs           : [ { name: 'opus', mimeType: 'audio/opus', clockRate: 48000, payloadType: 111, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] } ],
			headerExtensions : [],
			encodings        : [ { ssrc } ],
			rtcp             : { cname: `cname-${id}`, reducedSize: true, mux: true }
		},
		paused  : false,
		appData : { source: 'mic' }
	};
}

module.exports = { clientCapabilities, join, createSendTransport, createAudioProducer };
