// The room page (served at / by the gateway): pick a room and a name, join with camera and
// microphone, see the others. What it does and why: docs/try-it.md.
import * as mediasoupClient from 'mediasoup-client';
import { byId } from '../shared/dom.js';
import { mediaUnavailableReason, simulcastSupported, unsupportedReason } from './browser-support.js';
import { startCall } from './call.js';
import { decideOnClose, describeJoinError, reconnectDelay } from './close-codes.js';
import { idProblem, protooUrl, randomDisplayName, randomPeerName, randomRoomId, readPageLink, shareLink } from './links.js';
import { openLocalMedia, stopTracks } from './local-media.js';
import { DEVICE, initialState, reduce } from './participants.js';
import { createView } from './view.js';

const link = readPageLink(location.search);
const view = createView();
let state = initialState();
let call = null;
let localTracks = { audio: null, video: null };
let reconnectTimer = null;
let reconnectAttempt = 0;

function dispatch(action)
{
	state = reduce(state, action);
	view.render(state, { trackOf: (id) => (call ? call.trackOf(id) : null), localTracks });
}

function notify(level, text)
{
	dispatch({ type: 'notice', notice: { level, text } });
}

// A read-only copy of the state, for the browser tests and for curious users in the console.
Object.defineProperty(window, 'roomPageState', { get: () => structuredClone(state) });

function deviceSupported()
{
	try
	{
		return mediasoupClient.isDeviceSupported();
	}
	catch (error)
	{
		return false;
	}
}

function showShareLink(roomId)
{
	byId('room-title').textContent = roomId;
	byId('share').hidden = Boolean(link.token); // a token is for one peer: nothing to share
	byId('share-link').value = shareLink(location, roomId);

	const query = new URLSearchParams({ roomId });

	for (const name of [ 'peerName', 'token' ])
	{
		if (link[name])
			query.set(name, link[name]);
	}

	history.replaceState(null, '', `${location.pathname}?${query}`);
}

async function join(event)
{
	event.preventDefault();

	const roomId = byId('room-id').value;
	const displayName = byId('display-name').value.trim();
	const peerName = link.peerName || randomPeerName(displayName);
	const problem = idProblem(roomId, 'room name') || idProblem(displayName, 'name') || idProblem(peerName, 'peer name');

	if (problem)
	{
		notify('error', `Cannot join: ${problem}.`);

		return;
	}

	dispatch({ type: 'self', self: { peerName, displayName, mic: DEVICE.none, camera: DEVICE.none } });
	dispatch({ type: 'phase', phase: 'joining', notice: { level: 'info', text: 'Opening the camera and microphone…' } });
	showShareLink(roomId);

	const wanted = { audio: byId('with-mic').checked, video: byId('with-camera').checked };
	const unavailable = wanted.audio || wanted.video ? mediaUnavailableReason(
		{ secureContext: window.isSecureContext, hasMediaDevices: Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) }) : null;
	const problems = [];

	if (unavailable)
		problems.push(unavailable);
	else
	{
		const opened = await openLocalMedia(wanted);

		localTracks = opened.tracks;
		problems.push(...opened.problems);
	}

	const sending = [ localTracks.audio && 'microphone', localTracks.video && 'camera' ].filter(Boolean);

	if (problems.length)
		problems.push(sending.length ? `Joining with the ${sending.join(' and ')} only.` : 'Joining without sending; you still see and hear the others.');

	reconnectAttempt = 0;
	connect({ roomId, peerName, displayName, problems });
}

function connect({ roomId, peerName, displayName, problems = [] })
{
	dispatch({ type: 'phase', phase: 'joining', notice: { level: problems.length ? 'warning' : 'info', text: [ ...problems, 'Joining…' ].join(' ') } });

	const muted = { audio: state.self.mic === DEVICE.off, video: state.self.camera === DEVICE.off };
	const session = startCall(
		{
			url         : protooUrl(location, { roomId, peerName, token: link.token }),
			peerName,
			displayName,
			tracks      : localTracks,
			muted,
			simulcast   : simulcastSupported(mediasoupClient.getDeviceInfo().flag),
			dispatch,
			onProblem   : (text) => notify('warning', text),
			onEnded     : (ending) => ended(ending, { roomId, peerName, displayName })
		});

	call = session;
	session.joined
		.then(() =>
		{
			if (call !== session)
				return;

			reconnectAttempt = 0;
			dispatch({ type: 'phase', phase: 'joined', notice: problems.length ? { level: 'warning', text: problems.join(' ') } : null });
		})
		.catch((error) =>
		{
			if (call !== session || error.connection)
				return; // the socket ended: ended() decides

			session.leave();
			call = null;
			backToLobby('error', describeJoinError(error));
		});
}

function ended(ending, session)
{
	const decision = decideOnClose(ending);
	const delay = decision.reconnect ? reconnectDelay(reconnectAttempt, { code: ending.code }) : null;

	call = null;

	if (delay === null)
	{
		backToLobby('error', decision.reconnect ? `${decision.message} Gave up after ${reconnectAttempt} attempts; press Join to try again.` : decision.message);

		return;
	}

	reconnectAttempt += 1;
	dispatch({ type: 'phase', phase: 'reconnecting', notice: { level: 'warning', text: `${decision.message} Next attempt in ${Math.ceil(delay / 1000)} s.` } });
	reconnectTimer = setTimeout(() => connect(session), delay);
}

function backToLobby(level, text)
{
	clearTimeout(reconnectTimer);
	stopTracks(localTracks);
	localTracks = { audio: null, video: null };
	dispatch({ type: 'session-started' });
	dispatch({ type: 'phase', phase: 'lobby', notice: text ? { level, text } : null });
}

function leave()
{
	const current = call;

	call = null;
	current?.leave();
	backToLobby('info', 'You left the room.');
}

function toggle(kind)
{
	const device = kind === 'audio' ? 'mic' : 'camera';
	const paused = state.self[device] === DEVICE.on;

	if (call && call.setPaused(kind, paused))
		dispatch({ type: 'self', self: { [device]: paused ? DEVICE.off : DEVICE.on } });
}

function start()
{
	const unsupported = unsupportedReason({ hasPeerConnection: typeof RTCPeerConnection === 'function', deviceSupported: deviceSupported() });

	byId('room-id').value = link.roomId || randomRoomId();
	byId('display-name').value = link.displayName || randomDisplayName();

	if (link.token)
	{
		// The token is for exactly this room and peer: the room cannot be changed.
		byId('room-id').readOnly = true;
		byId('token-note').hidden = false;

		if (!link.peerName)
			notify('error', 'This link has a token but no peerName; ask for a link made with tools/MintToken --link.');
	}

	byId('join-form').addEventListener('submit', join);
	byId('toggle-mic').addEventListener('click', () => toggle('audio'));
	byId('toggle-camera').addEventListener('click', () => toggle('video'));
	byId('leave').addEventListener('click', leave);
	byId('copy-link').addEventListener('click', () =>
	{
		navigator.clipboard?.writeText(byId('share-link').value)
			.then(() => notify('info', 'Link copied.'), () => byId('share-link').select());
	});
	window.addEventListener('pagehide', () => call?.leave());

	dispatch({ type: 'phase', phase: 'lobby', notice: unsupported ? { level: 'error', text: unsupported } : null });
	byId('join').disabled = Boolean(unsupported);
}

start();
