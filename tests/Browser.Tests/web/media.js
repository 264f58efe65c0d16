// WebRTC-level helpers: fake-device capture, simulcast layer scaling and the stats the tests read.
// mediasoup-client v2 keeps its RTCPeerConnection inside the transport's handler (`handler._pc`,
// Chrome70 handler); reading it is the only way to see what the browser really sends and receives.

// Chromium's fake camera; 640x480 gives simulcast layers of 160, 320 and 640 pixels width.
export const CAPTURE_WIDTH = 640;
export const CAPTURE_HEIGHT = 480;

// Layer order is the SIM group order mediasoup-client writes: low, medium, high.
const SIMULCAST_SCALE_DOWN = [ 4, 2, 1 ];

export function peerConnectionOf(transport)
{
	const pc = transport && transport.handler && transport.handler._pc;

	if (!pc)
		throw new Error('the transport has no RTCPeerConnection (closed, or a handler other than Chrome70?)');

	return pc;
}

export async function captureTracks({ audio, video })
{
	const stream = await navigator.mediaDevices.getUserMedia(
		{
			audio : Boolean(audio),
			video : video ? { width: CAPTURE_WIDTH, height: CAPTURE_HEIGHT } : false
		});

	return stream.getTracks();
}

/**
 * Chromium sends all three layers of mediasoup-client's SDP-munged simulcast at full resolution;
 * give them distinct sizes so a profile switch is visible in the receiver's decoded width.
 * Must run after the offer is applied (after producer.send() resolved).
 */
export async function scaleSimulcastLayers(sendTransport, producer)
{
	const sender = peerConnectionOf(sendTransport).getSenders()
		.find((candidate) => candidate.track === producer.track);

	if (!sender)
		throw new Error(`no RTCRtpSender for producer ${producer.id}`);

	const parameters = sender.getParameters();

	if (parameters.encodings.length !== SIMULCAST_SCALE_DOWN.length)
		throw new Error(`expected ${SIMULCAST_SCALE_DOWN.length} simulcast encodings, the sender has ${parameters.encodings.length}`);

	parameters.encodings.forEach((encoding, index) =>
	{
		encoding.scaleResolutionDownBy = SIMULCAST_SCALE_DOWN[index];
	});

	await sender.setParameters(parameters);
}

/**
 * The layers the browser is really sending for this producer (one outbound-rtp each), and its
 * bandwidth estimate (which decides how many simulcast layers Chromium turns on).
 */
export async function sentLayers(sendTransport, producer)
{
	const sender = peerConnectionOf(sendTransport).getSenders()
		.find((candidate) => candidate.track === producer.track);

	if (!sender)
		throw new Error(`no RTCRtpSender for producer ${producer.id}`);

	const report = await sender.getStats();
	const layers = [];
	let availableOutgoingBitrate = 0;

	report.forEach((stat) =>
	{
		if (stat.type === 'candidate-pair' && stat.nominated && stat.availableOutgoingBitrate)
			availableOutgoingBitrate = stat.availableOutgoingBitrate;

		if (stat.type !== 'outbound-rtp')
			return;

		layers.push(
			{
				ssrc                    : stat.ssrc,
				rid                     : stat.rid || null,
				bytesSent               : stat.bytesSent || 0,
				framesEncoded           : stat.framesEncoded || 0,
				frameWidth              : stat.frameWidth || 0,
				frameHeight             : stat.frameHeight || 0,
				active                  : stat.active !== false,
				qualityLimitationReason : stat.qualityLimitationReason || null
			});
	});

	return { availableOutgoingBitrate, layers: layers.sort((a, b) => a.ssrc - b.ssrc) };
}

/** The inbound-rtp of one consumer, found by the SSRC the server announced for it. */
export async function inboundStats(recvTransport, consumer)
{
	const ssrc = consumer.rtpParameters.encodings[0].ssrc;
	const report = await peerConnectionOf(recvTransport).getStats();
	let found = null;

	report.forEach((stat) =>
	{
		if (stat.type === 'inbound-rtp' && stat.ssrc === ssrc)
			found = stat;
	});

	return {
		ssrc,
		found           : found !== null,
		bytesReceived   : found ? found.bytesReceived || 0 : 0,
		packetsReceived : found ? found.packetsReceived || 0 : 0,
		framesDecoded   : found ? found.framesDecoded || 0 : 0,
		frameWidth      : found ? found.frameWidth || 0 : 0,
		frameHeight     : found ? found.frameHeight || 0 : 0
	};
}

/** Plays a received video track in a muted element, as an app would, so its size can be read. */
export function attachVideo(consumer, track)
{
	const element = document.createElement('video');

	element.id = `consumer-${consumer.id}`;
	element.muted = true;
	element.autoplay = true;
	element.playsInline = true;
	element.srcObject = new MediaStream([ track ]);
	document.body.appendChild(element);
	element.play().catch(() => {});

	return element;
}
