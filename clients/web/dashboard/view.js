// What the page shows, described with h() from the state main.js keeps (no state of its own).
import { h } from './dom.js';
import { formatAge, formatBitrate, formatBytes, formatCount, formatPercent } from './format.js';
import { gatewayRows, roomTraffic, siloRows } from './model.js';

function table(key, head, rows, empty)
{
	if (rows.length === 0)
		return h('p', { key, class: 'empty' }, empty);

	return h('table', { key, class: key },
		h('thead', { key: 'head' }, h('tr', null, head.map((title, index) => h('th', { key: `${index}` }, title)))),
		h('tbody', { key: 'body' }, rows));
}

function healthBadge(health)
{
	return h('span', { class: `badge health-${String(health).replace(/[^a-z]/g, '')}` }, health);
}

function workerLine(worker)
{
	return h('li', { key: worker.id, 'data-worker': worker.id },
		h('strong', null, worker.id),
		` · pid ${worker.pid} · ${formatPercent(worker.cpuPercent)} CPU · ${formatBytes(worker.memoryBytes)} · `,
		`${worker.routers} ${worker.routers === 1 ? 'room' : 'rooms'}`);
}

export function clusterSection(state)
{
	if (state.scopedRoom)
	{
		return [
			h('h2', { key: 'title' }, 'Cluster'),
			h('p', { key: 'scoped', class: 'empty' },
				`This token is for room "${state.scopedRoom}" only: the cluster view needs an admin token for every room ("*").`)
		];
	}

	if (!state.cluster)
		return [ h('h2', { key: 'title' }, 'Cluster'), h('p', { key: 'loading', class: 'empty' }, 'Loading…') ];

	const silos = siloRows(state.cluster).map((silo) => h('tr', { key: silo.address, 'data-silo': silo.address, class: silo.health === 'unreachable' ? 'silo unreachable' : 'silo' },
		h('td', { key: 'address' }, h('code', null, silo.address)),
		h('td', { key: 'host' }, silo.host),
		h('td', { key: 'status' }, silo.status),
		h('td', { key: 'health', title: silo.problem ?? '' }, healthBadge(silo.health), silo.problem ? h('div', { class: 'problem' }, silo.problem) : null),
		h('td', { key: 'rooms', class: 'number' }, formatCount(silo.rooms)),
		h('td', { key: 'peers', class: 'number' }, formatCount(silo.peers)),
		h('td', { key: 'sessions', class: 'number', title: 'connected peer sessions whose Peer grain lives on this silo' }, formatCount(silo.sessions)),
		h('td', { key: 'workers' }, h('div', null, silo.workerText), h('ul', { class: 'workers' }, silo.workers.map(workerLine)))));

	const gateways = gatewayRows(state.cluster).map((gateway) => h('tr', { key: gateway.id, 'data-gateway': gateway.id },
		h('td', { key: 'id' }, h('code', null, gateway.id)),
		h('td', { key: 'urls' }, gateway.urls.join(', ') || '—'),
		h('td', { key: 'sessions', class: 'number' }, formatCount(gateway.sessions)),
		h('td', { key: 'connections', class: 'number' }, gateway.connections === null ? '—' : formatCount(gateway.connections)),
		h('td', { key: 'health' }, healthBadge(gateway.health)),
		h('td', { key: 'renewal' }, formatAge(gateway.lastRenewal, state.now)),
		h('td', { key: 'lease' }, h('code', null, gateway.leaseSilo))));

	return [
		h('h2', { key: 'title' }, 'Cluster'),
		h('h3', { key: 'silos-title' }, 'Silos'),
		table('silos', [ 'Silo', 'Host', 'Status', 'Health', 'Rooms', 'Peers', 'Sessions', 'Media workers (pid · CPU · memory · rooms)' ], silos, 'No silo is running.'),
		h('h3', { key: 'gateways-title' }, 'Gateways'),
		table('gateways', [ 'Gateway', 'Address', 'Sessions', 'Connections', 'Health', 'Last renewal', 'Lease on silo' ], gateways, 'No gateway has reported (a gateway reports with its session lease, every second).')
	];
}

export function roomsSection(state, actions)
{
	const rows = state.rooms.map((room) => h('tr', {
		key           : room.id,
		'data-room'   : room.id,
		class         : room.id === state.selectedRoomId ? 'room selected' : 'room'
	},
	h('td', { key: 'id' }, h('button', { type: 'button', class: 'link', 'data-action': 'show-room', onclick: () => actions.showRoom(room.id) }, room.id)),
	h('td', { key: 'silo' }, h('code', null, room.silo)),
	h('td', { key: 'worker' }, h('code', null, room.worker)),
	h('td', { key: 'peers', class: 'number' }, formatCount(room.peers)),
	h('td', { key: 'producers', class: 'number' }, formatCount(room.producers)),
	h('td', { key: 'consumers', class: 'number' }, formatCount(room.consumers)),
	h('td', { key: 'opened' }, formatAge(room.openedAt, state.now)),
	h('td', { key: 'actions' }, h('button', { type: 'button', class: 'danger', 'data-action': 'close-room', onclick: () => actions.closeRoom(room.id, room.peers) }, 'Close room'))));

	return [
		h('h2', { key: 'title' }, `Rooms (${state.rooms.length})`),
		table('rooms', [ 'Room', 'Silo', 'Worker', 'Peers', 'Producers', 'Consumers', 'Opened', '' ], rows, 'No room is open.')
	];
}

function stateText(item)
{
	if (item.enabled === false)
		return 'not enabled';

	return item.paused ? `paused (${item.pausedBy})` : 'live';
}

function bitrateCell(item)
{
	return h('td', {
		key            : 'bitrate',
		class          : 'number bitrate',
		'data-bitrate' : item.bitrate ?? '',
		title          : item.statsError ?? (item.layers.length > 1 ? item.layers.map((layer) => `ssrc ${layer.ssrc}: ${formatBitrate(layer.bitrate)}`).join('\n') : '')
	}, item.statsError ? 'error' : formatBitrate(item.bitrate ?? undefined));
}

function peerCard(room, peer, actions)
{
	const transports = peer.transports.map((transport) => h('tr', { key: transport.id },
		h('td', { key: 'id' }, String(transport.id)),
		h('td', { key: 'kind' }, transport.kind),
		h('td', { key: 'direction' }, transport.direction),
		h('td', { key: 'ice' }, transport.iceState),
		h('td', { key: 'dtls' }, transport.dtlsState)));

	const producers = peer.producers.map((producer) => h('tr', { key: producer.id, class: 'producer', 'data-producer': producer.id },
		h('td', { key: 'id' }, String(producer.id)),
		h('td', { key: 'kind' }, producer.kind),
		h('td', { key: 'state', class: producer.paused ? 'paused' : 'live' }, stateText(producer)),
		bitrateCell(producer),
		h('td', { key: 'packets', class: 'number' }, formatCount(producer.packets ?? undefined)),
		h('td', { key: 'layers', class: 'number' }, String(producer.layers.length)),
		h('td', { key: 'consumers', class: 'number' }, String(producer.consumers)),
		h('td', { key: 'action' }, producer.canResume
			? h('button', { key: 'resume', type: 'button', 'data-action': 'resume-producer', onclick: () => actions.resumeProducer(room.id, peer.name, producer) }, 'Resume')
			: h('button', { key: 'pause', type: 'button', 'data-action': 'pause-producer', onclick: () => actions.pauseProducer(room.id, peer.name, producer) }, 'Pause'))));

	const consumers = peer.consumers.map((consumer) => h('tr', { key: consumer.id, class: 'consumer', 'data-consumer': consumer.id },
		h('td', { key: 'id' }, String(consumer.id)),
		h('td', { key: 'kind' }, consumer.kind),
		h('td', { key: 'from' }, consumer.from),
		h('td', { key: 'state', class: consumer.paused || !consumer.enabled ? 'paused' : 'live' }, stateText(consumer)),
		h('td', { key: 'profile', title: `preferred: ${consumer.preferred}` }, consumer.profile),
		bitrateCell(consumer),
		h('td', { key: 'packets', class: 'number' }, formatCount(consumer.packets ?? undefined))));

	return h('article', { key: peer.name, class: 'peer', 'data-peer': peer.name },
		h('header', { key: 'header' },
			h('h3', null, peer.name, peer.spy ? h('span', { class: 'badge' }, 'spy') : null),
			h('span', { class: 'grants' }, peer.grants.join(', ') || 'no grants'),
			h('button', { type: 'button', class: 'danger', 'data-action': 'remove-peer', onclick: () => actions.removePeer(room.id, peer.name) }, 'Remove peer')),
		h('h4', { key: 'transports-title' }, 'Transports'),
		table('transports', [ 'Id', 'Kind', 'Direction', 'ICE', 'DTLS' ], transports, 'No transport.'),
		h('h4', { key: 'producers-title' }, 'Producers'),
		table('producers', [ 'Id', 'Kind', 'State', 'Bitrate', 'Packets', 'Streams', 'Consumers', '' ], producers, 'No producer.'),
		h('h4', { key: 'consumers-title' }, 'Consumers'),
		table('consumers', [ 'Id', 'Kind', 'From', 'State', 'Profile', 'Bitrate', 'Packets' ], consumers, 'No consumer.'));
}

export function roomSection(state, actions)
{
	const room = state.room;

	if (!room)
	{
		return state.selectedRoomId
			? [ h('p', { key: 'loading', class: 'empty' }, `Loading room "${state.selectedRoomId}"…`) ]
			: [ h('p', { key: 'none', class: 'empty' }, 'Choose a room above to see its peers and their media.') ];
	}

	const traffic = roomTraffic(room);

	return [
		h('h2', { key: 'title', 'data-shown-room': room.id }, `Room ${room.id}`),
		h('p', { key: 'meta', class: 'meta' },
			'Silo ', h('code', null, room.silo), ' · worker ', h('code', null, room.worker),
			` · ${room.peers.length} ${room.peers.length === 1 ? 'peer' : 'peers'}`,
			room.maxPeers ? ` (at most ${room.maxPeers})` : '',
			` · opened ${formatAge(room.openedAt, state.now)}`,
			` · receiving ${formatBitrate(traffic.received)}, sending ${formatBitrate(traffic.sent)}`),
		room.statsOmitted > 0
			? h('p', { key: 'omitted', class: 'warning' }, `Stats of ${room.statsOmitted} producers and consumers are left out (Gateway:Admin:MaxStatsObjects).`)
			: null,
		h('div', { key: 'peers', class: 'peers' }, room.peers.length > 0 ? room.peers.map((peer) => peerCard(room, peer, actions)) : h('p', { class: 'empty' }, 'No peer has joined.'))
	];
}

export function messageList(messages)
{
	return messages.map((message, index) => h('p', { key: `${index}:${message.text}`, class: `message ${message.level}` }, message.text));
}

export function statusText(state)
{
	if (state.stopped)
		return state.stopped;
	if (state.hidden)
		return 'Paused while this tab is hidden.';
	if (!state.updatedAt)
		return 'Loading…';

	const time = new Date(state.updatedAt).toLocaleTimeString();
	const who = state.tokenless ? 'development mode, no token' : 'admin token';

	return `Updated ${time} · refreshing every 2 s · ${who}`;
}
