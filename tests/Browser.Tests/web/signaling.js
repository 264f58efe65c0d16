// The signaling wiring of the mediasoup-demo v2 app (RoomClient.js), unchanged in substance:
// mediasoup requests travel as the protoo request 'mediasoup-request', client notifications as the
// protoo notification 'mediasoup-notification', and server notifications come back the same way.
import * as mediasoupClient from 'mediasoup-client';
import * as protooClient from 'protoo-client';
import { describe } from './console-capture.js';
import { reportError, reportEvent } from './report.js';

// The demo's room options (requestTimeout, UDP only).
const ROOM_OPTIONS = { requestTimeout: 10000, transportOptions: { tcp: false } };

// Fail fast instead of protoo-client's default of ten retries with back-off up to 8 s.
const RETRY_OPTIONS = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 };

/**
 * Opens the protoo connection for (roomId, peerName) and a mediasoup-client Room wired to it.
 * Returns { protoo, room, opened } where `opened` settles when the WebSocket is open (or failed).
 */
export function connectRoom(gatewayUrl, roomId, peerName)
{
	const url = `${gatewayUrl}/?roomId=${encodeURIComponent(roomId)}&peerName=${encodeURIComponent(peerName)}`;
	const protoo = new protooClient.Peer(new protooClient.WebSocketTransport(url, { retry: RETRY_OPTIONS }));
	const room = new mediasoupClient.Room(ROOM_OPTIONS);
	let leaving = false;

	room.on('request', (request, callback, errback) =>
	{
		protoo.send('mediasoup-request', request)
			.then(callback)
			.catch(errback);
	});

	room.on('notify', (notification) =>
	{
		protoo.notify('mediasoup-notification', notification)
			.catch((error) => reportError('notify', `${notification.method}: ${describe(error)}`));
	});

	protoo.on('notification', (notification) =>
	{
		if (notification.method === 'mediasoup-notification')
			room.receiveNotification(notification.data);
		else
			reportError('protoo', `unexpected protoo notification "${notification.method}"`);
	});

	// Early v2 servers sent notifications as protoo requests; the demo accepts both forms.
	protoo.on('request', (request, accept, reject) =>
	{
		if (request.method !== 'mediasoup-notification')
		{
			reject(404, `unknown method "${request.method}"`);
			reportError('protoo', `unexpected protoo request "${request.method}"`);

			return;
		}

		accept();
		room.receiveNotification(request.data);
	});

	// As in the demo: once the signaling is gone the mediasoup Room is dead too.
	for (const type of [ 'disconnected', 'close' ])
	{
		protoo.on(type, () =>
		{
			if (leaving)
				return;

			reportEvent(`signaling${type}`);
			room.remoteClose({ cause: `protoo ${type}` });
		});
	}

	const opened = new Promise((resolve, reject) =>
	{
		protoo.on('open', () => resolve());
		protoo.on('failed', (attempt) => reportEvent('signalingfailed', { attempt }));
		protoo.on('close', () => reject(new Error(`protoo connection to ${url} closed before it opened`)));
	});

	// Avoid an unhandled rejection when the caller stopped waiting (it has its own timeout).
	opened.catch(() => {});

	function leave()
	{
		leaving = true;
		room.leave();
		protoo.close();
	}

	return { protoo, room, opened, leave };
}
