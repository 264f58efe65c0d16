// The test page: one mediasoup-client v2 peer, driven through window.test by driver.mjs
// (page.evaluate). Every client-side event goes to the driver's event log (report.js).
import './console-capture.js'; // first: see the comment in that file
import * as mediasoupClient from 'mediasoup-client';
import { attachVideo, captureTracks, inboundStats, peerConnectionOf, scaleSimulcastLayers, sentLayers } from './media.js';
import { describe } from './console-capture.js';
import { reportError, reportEvent } from './report.js';
import { connectRoom } from './signaling.js';

const query = new URLSearchParams(location.search);
const gatewayUrl = query.get('gateway');

// The current session (one join); null before join and after leave.
let session = null;

function requireSession()
{
	if (!session)
		throw new Error('not joined');

	return session;
}

function withTimeout(promise, timeoutMs, what)
{
	let timer;
	const timeout = new Promise((resolve, reject) =>
	{
		timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
	});

	return Promise.race([ promise, timeout ]).finally(() => clearTimeout(timer));
}

function consumerSummary(consumer)
{
	return {
		peer        : consumer.peer.name,
		consumerId  : consumer.id,
		kind        : consumer.kind,
		paused      : consumer.paused,
		supported   : consumer.supported,
		profile     : consumer.effectiveProfile || null
	};
}

function handlePeer(peer, source)
{
	if (source === 'newpeer')
		reportEvent('newpeer', { peer: peer.name, consumers: peer.consumers.length });

	peer.on('close', (originator) => reportEvent('peerclosed', { peer: peer.name, originator }));
	peer.on('newconsumer', (consumer) => handleConsumer(consumer, 'newconsumer'));

	for (const consumer of peer.consumers)
		handleConsumer(consumer, source);
}

function handleConsumer(consumer, source)
{
	const { consumers } = requireSession();

	consumers.push(consumer);
	reportEvent('newconsumer', { ...consumerSummary(consumer), source });

	consumer.on('close', (originator) =>
		reportEvent('consumerclose', { ...consumerSummary(consumer), originator }));
	consumer.on('pause', (originator) =>
		reportEvent('consumerpause', { ...consumerSummary(consumer), originator }));
	consumer.on('resume', (originator) =>
		reportEvent('consumerresume', { ...consumerSummary(consumer), originator }));
	consumer.on('effectiveprofilechange', (profile) =>
		reportEvent('effectiveprofilechange', { ...consumerSummary(consumer), profile }));

	if (session.consuming)
		receive(consumer);
}

// The demo's _handleConsumer: receive every supported consumer on the one recv transport.
function receive(consumer)
{
	const current = requireSession();

	if (consumer.closed || consumer.transport || current.receiving.has(consumer))
		return;

	if (!consumer.supported)
	{
		reportError('consume', `consumer ${consumer.id} (${consumer.kind} of ${consumer.peer.name}) is not supported`);

		return;
	}

	current.receiving.add(consumer);
	consumer.receive(recvTransport())
		.then((track) =>
		{
			if (consumer.kind === 'video')
				current.videoElements.set(consumer, attachVideo(consumer, track));

			reportEvent('consumerreceiving', consumerSummary(consumer));
		})
		.catch((error) =>
		{
			current.receiving.delete(consumer);
			reportError('consumer.receive', `consumer ${consumer.id}: ${describe(error)}`);
		});
}

function watchTransport(transport)
{
	const { direction } = transport;

	transport.on('connectionstatechange', (state) => reportEvent('transportstate', { direction, state }));
	transport.on('close', (originator) => reportEvent('transportclose', { direction, originator }));

	return transport;
}

function recvTransport()
{
	const current = requireSession();

	if (!current.recvTransport)
		current.recvTransport = watchTransport(current.room.createTransport('recv', { media: 'RECV' }));

	return current.recvTransport;
}

function sendTransport()
{
	const current = requireSession();

	if (!current.sendTransport)
		current.sendTransport = watchTransport(current.room.createTransport('send', { media: 'SEND_MIC_WEBCAM' }));

	return current.sendTransport;
}

/** The newest consumer of that peer and kind, preferring one that is still open. */
function findConsumer(peerName, kind)
{
	const matching = requireSession().consumers
		.filter((consumer) => consumer.peer.name === peerName && consumer.kind === kind);
	const open = matching.filter((consumer) => !consumer.closed);
	const consumer = (open.length ? open : matching).at(-1);

	if (!consumer)
		throw new Error(`no ${kind} consumer of ${peerName}`);

	return consumer;
}

function findProducer(kind)
{
	const producer = requireSession().producers.get(kind);

	if (!producer)
		throw new Error(`no ${kind} producer`);

	return producer;
}

async function join(roomId, peerName, { timeoutMs = 15000 } = {})
{
	if (session)
		throw new Error(`already joined as ${session.peerName}`);

	const { protoo, room, opened, leave } = connectRoom(gatewayUrl, roomId, peerName);

	session =
	{
		roomId, peerName, protoo, room, leave,
		consuming     : false,
		consumers     : [],
		receiving     : new Set(),
		videoElements : new Map(),
		producers     : new Map(),
		sendTransport : null,
		recvTransport : null
	};

	room.on('newpeer', (peer) => handlePeer(peer, 'newpeer'));
	room.on('close', (originator) => reportEvent('roomclose', { originator }));

	await withTimeout(opened, timeoutMs, 'protoo connection');

	const peers = await withTimeout(room.join(peerName), timeoutMs, 'room.join()');

	reportEvent('joined', { roomId, peerName, peers: peers.map((peer) => peer.name) });

	for (const peer of peers)
		handlePeer(peer, 'join');

	return { peers: peers.map((peer) => peer.name) };
}

async function produce({ audio = true, video = true, simulcast = false, timeoutMs = 15000 } = {})
{
	const current = requireSession();

	// mediasoup-client v2 takes Chromium's header extension ids from an audio+video offer; a send
	// transport that starts with video alone gets other ids from Chromium 156 and its answer is
	// refused ("RTP extension ID reassignment not supported"). The demo always sends the mic first.
	if (video && !audio && !current.sendTransport)
		throw new Error('produce audio first: a send transport that starts with video alone fails in Chromium (header extension ids)');

	const tracks = await captureTracks({ audio, video });
	const produced = [];

	for (const track of tracks)
	{
		if (!current.room.canSend(track.kind))
			throw new Error(`the room says this device cannot send ${track.kind}`);

		const useSimulcast = simulcast && track.kind === 'video';
		const producer = current.room.createProducer(
			track, { simulcast: useSimulcast }, { source: track.kind === 'audio' ? 'mic' : 'webcam' });
		const { kind } = producer;

		producer.on('pause', (originator) => reportEvent('producerpause', { kind, originator }));
		producer.on('resume', (originator) => reportEvent('producerresume', { kind, originator }));
		producer.on('close', (originator) => reportEvent('producerclose', { kind, originator }));

		await withTimeout(producer.send(sendTransport()), timeoutMs, `${kind} producer.send()`);

		if (useSimulcast)
			await scaleSimulcastLayers(current.sendTransport, producer);

		current.producers.set(kind, producer);
		reportEvent('producing', { kind, producerId: producer.id, simulcast: useSimulcast });
		produced.push({ kind, producerId: producer.id });
	}

	return produced;
}

function consume()
{
	const current = requireSession();

	current.consuming = true;
	recvTransport();

	for (const consumer of current.consumers)
		receive(consumer);

	return { consumers: current.consumers.length };
}

function consumerState(peerName, kind)
{
	const consumer = findConsumer(peerName, kind);

	return {
		...consumerSummary(consumer),
		closed           : consumer.closed,
		locallyPaused    : consumer.locallyPaused,
		remotelyPaused   : consumer.remotelyPaused,
		preferredProfile : consumer.preferredProfile || null,
		effectiveProfile : consumer.effectiveProfile || null,
		receiving        : Boolean(consumer.track)
	};
}

async function inbound(peerName, kind)
{
	const current = requireSession();

	if (!current.recvTransport)
		throw new Error('not consuming');

	return inboundStats(current.recvTransport, findConsumer(peerName, kind));
}

async function decodedVideo(peerName)
{
	const consumer = findConsumer(peerName, 'video');
	const stats = await inbound(peerName, 'video');
	const element = requireSession().videoElements.get(consumer);

	return {
		...stats,
		videoWidth  : element ? element.videoWidth : 0,
		videoHeight : element ? element.videoHeight : 0
	};
}

function leave()
{
	const current = requireSession();

	session = null;
	current.leave();
	reportEvent('left', { peerName: current.peerName });

	return true;
}

window.test =
{
	ready  : false,
	device : mediasoupClient.getDeviceInfo(),
	join,
	produce,
	consume,
	pauseProducer       : (kind) => findProducer(kind).pause(),
	resumeProducer      : (kind) => findProducer(kind).resume(),
	closeProducer       : (kind) => { findProducer(kind).close(); requireSession().producers.delete(kind); return true; },
	setPreferredProfile : (peerName, profile) => { findConsumer(peerName, 'video').setPreferredProfile(profile); return true; },
	consumerState,
	inbound,
	decodedVideo,
	sentLayers          : (kind = 'video') => sentLayers(requireSession().sendTransport, findProducer(kind)),
	leave,
	// For diagnosis by hand: the SDP the handler negotiated on one transport.
	sdp                 : (direction) =>
	{
		const current = requireSession();
		const pc = peerConnectionOf(direction === 'send' ? current.sendTransport : current.recvTransport);

		return { local: pc.localDescription && pc.localDescription.sdp, remote: pc.remoteDescription && pc.remoteDescription.sdp };
	}
};

if (!mediasoupClient.isDeviceSupported())
	reportError('device', `mediasoup-client does not support this browser: ${JSON.stringify(window.test.device)}`);

window.test.ready = true;
