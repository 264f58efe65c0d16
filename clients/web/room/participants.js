// The room page's state and every change to it, without the DOM: the view renders what this holds.
// Actions come from the call (call.js) and the user; `reduce` returns a new state, never mutates.

/** How a device of this page is: 'on', 'off' (muted by the user), 'held' (paused by the server) or 'none'. */
export const DEVICE = Object.freeze({ on: 'on', off: 'off', held: 'held', none: 'none' });

export function initialState()
{
	return {
		// 'lobby' → 'joining' → 'joined' → ('reconnecting' → 'joining' …) → 'ended'
		phase  : 'lobby',
		notice : null,
		self   : { peerName: null, displayName: null, mic: DEVICE.none, camera: DEVICE.none },
		peers  : []
	};
}

function peerTracks()
{
	return { audio: null, video: null };
}

function updatePeer(state, name, change)
{
	return { ...state, peers: state.peers.map((peer) => (peer.name === name ? change(peer) : peer)) };
}

function updateConsumer(state, { peerName, consumerId }, change)
{
	const peer = state.peers.find((candidate) => candidate.name === peerName);
	const kind = peer && [ 'audio', 'video' ].find((candidate) => peer[candidate] && peer[candidate].consumerId === consumerId);

	if (!kind)
		return state;

	return updatePeer(state, peerName, (found) => ({ ...found, [kind]: change(found[kind]) }));
}

/** The state after `action`; unknown actions and actions about unknown peers change nothing. */
export function reduce(state, action)
{
	switch (action.type)
	{
		case 'phase':
			return { ...state, phase: action.phase, notice: action.notice === undefined ? state.notice : action.notice };

		case 'notice':
			return { ...state, notice: action.notice };

		case 'self':
			return { ...state, self: { ...state.self, ...action.self } };

		// A new session (join or rejoin): the others are announced again.
		case 'session-started':
			return { ...state, peers: [] };

		case 'peer-joined':
			if (state.peers.some((peer) => peer.name === action.name))
				return state;

			return {
				...state,
				peers : [ ...state.peers, { name: action.name, displayName: action.displayName || action.name, ...peerTracks() } ]
			};

		case 'peer-left':
			return { ...state, peers: state.peers.filter((peer) => peer.name !== action.name) };

		case 'consumer-added':
			return updatePeer(state, action.peerName, (peer) => (
				{
					...peer,
					[action.kind] : { consumerId: action.consumerId, paused: Boolean(action.paused), quality: null }
				}));

		case 'consumer-closed':
			return updatePeer(state, action.peerName, (peer) => (
				{
					...peer,
					audio : peer.audio && peer.audio.consumerId === action.consumerId ? null : peer.audio,
					video : peer.video && peer.video.consumerId === action.consumerId ? null : peer.video
				}));

		case 'consumer-paused':
			return updateConsumer(state, action, (consumer) => ({ ...consumer, paused: true }));

		case 'consumer-resumed':
			return updateConsumer(state, action, (consumer) => ({ ...consumer, paused: false }));

		case 'consumer-quality':
			return updateConsumer(state, action, (consumer) => ({ ...consumer, quality: action.quality }));

		default:
			return state;
	}
}

/** What a tile shows for one peer: its name, whether camera and microphone are off, its quality. */
export function tileOf(peer)
{
	return {
		name        : peer.name,
		displayName : peer.displayName,
		cameraOff   : !peer.video || peer.video.paused,
		micOff      : !peer.audio || peer.audio.paused,
		quality     : peer.video && !peer.video.paused ? peer.video.quality : null
	};
}
