// One session in a room: a protoo socket, a mediasoup-client Room on it (wired as in the
// mediasoup-demo v2 app), the page's tracks sent as producers and every other peer's received.
// It reports what happens as state actions (participants.js) and never touches the DOM.
import * as mediasoupClient from 'mediasoup-client';
import * as protooClient from 'protoo-client';
import { qualityOf } from './quality.js';
import { ProtooSocket } from './protoo-socket.js';

const ROOM_OPTIONS = { requestTimeout: 10000, transportOptions: { tcp: false } };

// Consumer statistics (consumerStats) feed the quality indicator; the server's minimum is 1000 ms.
const STATS_INTERVAL_MS = 2000;

// The demo's simulcast bitrates; Chrome's handler only switches simulcast on, Firefox's uses them.
const SIMULCAST_BITRATES = { low: 100000, medium: 300000, high: 1500000 };

/**
 * Starts a session. `tracks` are the page's own ({ audio, video }, either may be null), kept by the
 * caller across sessions; `muted` says which of them start paused.
 * Returns { joined, setPaused(kind, paused), trackOf(consumerId), leave() }. `joined` settles when
 * the join is answered; `onEnded({ code, reason, opened, closedByServer })` is called once when the
 * socket ends for any reason but leave().
 */
export function startCall({ url, peerName, displayName, tracks, muted, simulcast, dispatch, onEnded, onProblem })
{
	const socket = new ProtooSocket(url);
	const protoo = new protooClient.Peer(socket);
	const room = new mediasoupClient.Room(ROOM_OPTIONS);
	const receivedTracks = new Map();
	const producers = new Map();
	let sendTransport = null;
	let recvTransport = null;
	let closedByServer = false;
	let leaving = false;

	room.on('request', (request, callback, errback) =>
	{
		protoo.send('mediasoup-request', request).then(callback).catch(errback);
	});
	room.on('notify', (notification) =>
	{
		protoo.notify('mediasoup-notification', notification).catch(() => {});
	});
	protoo.on('notification', (notification) =>
	{
		if (notification.method !== 'mediasoup-notification')
			return;

		// `closed` precedes a 4000 close when the server (an operator) closed this peer or its room.
		if (notification.data && notification.data.method === 'closed')
			closedByServer = true;

		room.receiveNotification(notification.data);
	});
	// Early v2 servers sent notifications as protoo requests; the demo accepts both forms.
	protoo.on('request', (request, accept, reject) =>
	{
		if (request.method !== 'mediasoup-notification')
		{
			reject(404, 'unknown method');

			return;
		}

		accept();
		room.receiveNotification(request.data);
	});
	protoo.on('close', () =>
	{
		room.remoteClose({ cause: 'signaling closed' });

		if (!leaving)
			onEnded({ ...socket.ending, closedByServer });
	});

	room.on('newpeer', (peer) => handlePeer(peer));

	function handlePeer(peer)
	{
		dispatch({ type: 'peer-joined', name: peer.name, displayName: peer.appData && peer.appData.displayName });
		peer.on('close', () => dispatch({ type: 'peer-left', name: peer.name }));
		peer.on('newconsumer', (consumer) => handleConsumer(consumer));

		for (const consumer of peer.consumers)
			handleConsumer(consumer);
	}

	function handleConsumer(consumer)
	{
		const peerName = consumer.peer.name;
		const consumerId = consumer.id;
		let lastStats = null;

		if (!consumer.supported)
		{
			onProblem(`This browser cannot decode the ${consumer.kind} of ${peerName}.`);

			return;
		}

		consumer.on('pause', () => dispatch({ type: 'consumer-paused', peerName, consumerId }));
		consumer.on('resume', () => dispatch({ type: 'consumer-resumed', peerName, consumerId }));
		consumer.on('close', () =>
		{
			receivedTracks.delete(consumerId);
			dispatch({ type: 'consumer-closed', peerName, consumerId });
		});
		consumer.on('stats', (stats) =>
		{
			lastStats = stats;
			dispatch({ type: 'consumer-quality', peerName, consumerId, quality: qualityOf(stats, consumer.effectiveProfile) });
		});
		consumer.on('effectiveprofilechange', (profile) =>
			dispatch({ type: 'consumer-quality', peerName, consumerId, quality: qualityOf(lastStats, profile) }));

		consumer.receive(receiveTransport())
			.then((track) =>
			{
				receivedTracks.set(consumerId, track);
				dispatch({ type: 'consumer-added', peerName, consumerId, kind: consumer.kind, paused: consumer.paused });

				if (consumer.kind === 'video')
					consumer.enableStats(STATS_INTERVAL_MS);
			})
			.catch((error) =>
			{
				if (!consumer.closed)
					onProblem(`Could not receive the ${consumer.kind} of ${peerName}: ${error.message}`);
			});
	}

	function receiveTransport()
	{
		if (!recvTransport)
		{
			recvTransport = room.createTransport('recv', { media: 'RECV' });
			recvTransport.on('connectionstatechange', (state) => reportTransportState('receiving', state));
		}

		return recvTransport;
	}

	function reportTransportState(direction, state)
	{
		if (state === 'failed')
			onProblem(`The media connection for ${direction} failed (no network path to the server's media ports?).`);
	}

	async function produce(kind, track)
	{
		if (!room.canSend(kind))
		{
			onProblem(`The room cannot receive this browser's ${kind}.`);

			return;
		}

		if (!sendTransport)
		{
			sendTransport = room.createTransport('send', { media: 'SEND_MIC_WEBCAM' });
			sendTransport.on('connectionstatechange', (state) => reportTransportState('sending', state));
		}

		const options = kind === 'video' && simulcast ? { simulcast: SIMULCAST_BITRATES } : {};
		const producer = room.createProducer(track, options, { source: kind === 'audio' ? 'mic' : 'webcam' });
		const device = kind === 'audio' ? 'mic' : 'camera';

		// An operator can pause and resume a producer (the admin API): show it on the own controls.
		producer.on('pause', (originator) =>
		{
			if (originator === 'remote')
				dispatch({ type: 'self', self: { [device]: 'held' } });
		});
		producer.on('resume', (originator) =>
		{
			if (originator === 'remote')
				dispatch({ type: 'self', self: { [device]: producer.locallyPaused ? 'off' : 'on' } });
		});

		try
		{
			await producer.send(sendTransport);
		}
		catch (error)
		{
			producer.close();
			onProblem(`Could not send the ${device}: ${error.message}`);

			return;
		}

		producers.set(kind, producer);

		if (muted[kind])
			producer.pause();

		dispatch({ type: 'self', self: { [device]: muted[kind] ? 'off' : 'on' } });
	}

	async function join()
	{
		await new Promise((resolve, reject) =>
		{
			protoo.on('open', resolve);
			protoo.on('close', () => reject(Object.assign(new Error('the connection closed'), { connection: true })));
		});

		const peers = await room.join(peerName, { displayName });

		dispatch({ type: 'session-started' });

		for (const peer of peers)
			handlePeer(peer);

		// The microphone first: mediasoup-client 2 learns Chromium's header extension ids from the
		// first offer, and a send transport that starts with video alone fails (tests/Browser.Tests).
		if (tracks.audio)
			await produce('audio', tracks.audio);

		if (tracks.video)
			await produce('video', tracks.video);

		receiveTransport();
	}

	const joined = join();

	// The caller handles a failed join; this keeps an unobserved rejection out of the console.
	joined.catch(() => {});

	return {
		joined,

		setPaused(kind, paused)
		{
			const producer = producers.get(kind);

			if (!producer || producer.closed)
				return false;

			if (paused)
				producer.pause();
			else
				producer.resume();

			return true;
		},

		trackOf(consumerId)
		{
			return receivedTracks.get(consumerId) || null;
		},

		leave()
		{
			if (leaving)
				return;

			leaving = true;

			if (room.joined)
				room.leave();

			protoo.close();
		}
	};
}
