// Renders the room page's state (participants.js) into the DOM. Tiles are kept per peer and only
// updated, so a <video> keeps playing while its tile's name, badges or quality change.
import { byId, element } from '../shared/dom.js';
import { tileOf } from './participants.js';

const QUALITY_WORDS = { good: 'good', fair: 'fair', poor: 'poor', unknown: 'not known yet' };

export function createView()
{
	const tiles = new Map();
	const tilesElement = byId('tiles');
	let selfTile = null;

	function attach(mediaElement, track)
	{
		const current = mediaElement.srcObject && mediaElement.srcObject.getTracks()[0];

		if (current === track)
			return;

		mediaElement.srcObject = track ? new MediaStream([ track ]) : null;

		if (track)
			mediaElement.play().catch(() => {}); // autoplay may wait for a gesture; the join click is one
	}

	function newTile(name)
	{
		const video = element('video', { attrs: { autoplay: '', playsinline: '' } });
		const audio = element('audio', { attrs: { autoplay: '' } });
		const label = element('span', { className: 'name' });
		const micOff = element('span', { className: 'badge mic-off', text: 'mic off' });
		const cameraOff = element('span', { className: 'camera-off', text: 'camera off' });
		const quality = element('span', { className: 'quality' }, [ element('i'), element('i'), element('i') ]);
		const root = element('article', { className: 'tile', attrs: { 'data-peer': name } },
			[ video, audio, cameraOff, element('footer', {}, [ label, micOff, quality ]) ]);

		video.muted = true; // its sound plays through the <audio>
		tilesElement.append(root);

		return { root, video, audio, label, micOff, cameraOff, quality };
	}

	function renderTile(tile, view, { videoTrack, audioTrack })
	{
		tile.label.textContent = view.displayName;
		tile.root.dataset.camera = view.cameraOff ? 'off' : 'on';
		tile.root.dataset.mic = view.micOff ? 'off' : 'on';
		tile.micOff.hidden = !view.micOff;
		tile.cameraOff.hidden = !view.cameraOff;
		attach(tile.video, videoTrack);

		if (tile.audio)
			attach(tile.audio, audioTrack);

		const level = view.quality ? view.quality.level : 'unknown';

		tile.root.dataset.quality = view.cameraOff ? 'none' : level;
		tile.quality.hidden = view.cameraOff;
		tile.quality.title = view.quality
			? `Quality ${QUALITY_WORDS[level]}: ${view.quality.summary}`
			: 'Quality not known yet';
	}

	function renderSelf(state, localTracks)
	{
		if (!selfTile)
		{
			selfTile = newTile(state.self.peerName || 'me');
			selfTile.root.classList.add('self');
			selfTile.root.dataset.self = 'true';
			selfTile.audio.remove();
			selfTile.audio = null; // never play one's own microphone
			selfTile.quality.remove();
			tilesElement.prepend(selfTile.root);
		}

		renderTile(selfTile,
			{
				displayName : `${state.self.displayName} (you)`,
				cameraOff   : state.self.camera !== 'on',
				micOff      : state.self.mic !== 'on',
				quality     : null
			},
			{ videoTrack: localTracks.video, audioTrack: null });
		selfTile.quality.hidden = true;
		selfTile.root.dataset.quality = 'none';
	}

	return {
		/** Draws `state`; `trackOf(consumerId)` gives received tracks, `localTracks` the page's own. */
		render(state, { trackOf, localTracks })
		{
			const inCall = state.phase === 'joining' || state.phase === 'joined' || state.phase === 'reconnecting';

			byId('lobby').hidden = inCall;
			byId('call').hidden = !inCall;
			renderNotice(state.notice);
			renderControls(state);

			if (!inCall)
			{
				for (const tile of tiles.values())
					tile.root.remove();

				tiles.clear();
				selfTile?.root.remove();
				selfTile = null;

				return;
			}

			renderSelf(state, localTracks);

			const present = new Set();

			for (const peer of state.peers)
			{
				present.add(peer.name);

				if (!tiles.has(peer.name))
					tiles.set(peer.name, newTile(peer.name));

				renderTile(tiles.get(peer.name), tileOf(peer),
					{
						videoTrack : peer.video ? trackOf(peer.video.consumerId) : null,
						audioTrack : peer.audio ? trackOf(peer.audio.consumerId) : null
					});
			}

			for (const [ name, tile ] of tiles)
			{
				if (!present.has(name))
				{
					tile.root.remove();
					tiles.delete(name);
				}
			}

			tilesElement.dataset.count = String(tiles.size + 1);
		}
	};
}

function renderNotice(notice)
{
	const node = byId('notice');

	node.hidden = !notice;
	node.textContent = notice ? notice.text : '';
	node.className = `notice notice-${notice ? notice.level : 'info'}`;
}

function renderControls(state)
{
	const mic = byId('toggle-mic');
	const camera = byId('toggle-camera');

	mic.disabled = state.phase !== 'joined' || state.self.mic === 'none' || state.self.mic === 'held';
	mic.textContent = state.self.mic === 'on' ? 'Mute microphone'
		: state.self.mic === 'held' ? 'Microphone paused by the server' : state.self.mic === 'off' ? 'Unmute microphone' : 'No microphone';
	mic.dataset.state = state.self.mic;
	camera.disabled = state.phase !== 'joined' || state.self.camera === 'none' || state.self.camera === 'held';
	camera.textContent = state.self.camera === 'on' ? 'Stop camera'
		: state.self.camera === 'held' ? 'Camera paused by the server' : state.self.camera === 'off' ? 'Start camera' : 'No camera';
	camera.dataset.state = state.self.camera;
}
