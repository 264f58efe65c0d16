// Turns admin API answers into what the dashboard shows (no DOM): rows for the cluster's silos,
// gateways and rooms, one room's peers with their media, and the problems to tell the operator.

/** Rooms of a cluster report, with their silo's host, sorted by id. */
export function roomsOfCluster(cluster)
{
	return (cluster?.silos ?? [])
		.flatMap((silo) => (silo.rooms ?? []).map((room) => ({ ...room, host: silo.hostName ?? null })))
		.sort((a, b) => compareText(a.id, b.id));
}

/** Rooms of a plain listing (GET /admin/rooms), for a token limited to one room. */
export function roomsOfListing(listing)
{
	return (listing?.rooms ?? []).map((room) => ({ ...room, host: null })).sort((a, b) => compareText(a.id, b.id));
}

/** One row per silo: counts and its workers summed, and the words for its health. */
export function siloRows(cluster)
{
	return (cluster?.silos ?? []).map((silo) =>
	{
		const workers = silo.workers ?? [];

		return {
			address    : silo.address,
			host       : silo.hostName ?? '—',
			status     : silo.status,
			health     : silo.health,
			problem    : silo.problem ?? null,
			rooms      : (silo.rooms ?? []).length,
			peers      : (silo.rooms ?? []).reduce((sum, room) => sum + room.peers, 0),
			sessions   : silo.connectedPeers ?? 0,
			workers    : workers.map((worker) => ({ ...worker })),
			workerText : silo.health === 'unreachable' ? '—' : `${workers.length} of ${silo.configuredWorkers}`
		};
	});
}

export function gatewayRows(cluster)
{
	return (cluster?.gateways ?? []).map((gateway) => ({
		id          : gateway.id,
		urls        : gateway.urls ?? [],
		sessions    : gateway.sessions,
		connections : gateway.connections ?? null,
		health      : gateway.health,
		lastRenewal : gateway.lastRenewal,
		leaseSilo   : gateway.leaseSilo
	}));
}

/** What the operator must be told about the cluster as a whole: unreachable and degraded silos, gateways in trouble. */
export function clusterProblems(cluster)
{
	const problems = [];

	for (const silo of cluster?.silos ?? [])
	{
		if (silo.health === 'unreachable')
			problems.push(`Silo ${silo.address} is unreachable (${silo.problem}): its rooms are missing from this page.`);
		else if (silo.health === 'degraded')
			problems.push(`Silo ${silo.address} is degraded: ${silo.problem}.`);
	}

	for (const gateway of cluster?.gateways ?? [])
	{
		if (gateway.health !== 'ok')
			problems.push(`Gateway ${gateway.id} is ${gateway.health}.`);
	}

	return problems;
}

/** The listing's silos that did not answer (GET /admin/rooms). */
export function listingProblems(listing)
{
	return (listing?.unreachableSilos ?? [])
		.map((silo) => `Silo ${silo} is unreachable: its rooms are missing from this page.`);
}

/** Who paused it: 'server' (an operator), 'client', both, or null when it is not paused by either. */
export function pausedBy({ locallyPaused, remotelyPaused, sourcePaused })
{
	const by = [];

	if (locallyPaused)
		by.push('server');
	if (remotelyPaused)
		by.push('client');
	if (sourcePaused)
		by.push('source');

	return by.length > 0 ? by.join(' + ') : null;
}

function traffic(stats)
{
	if (!stats)
		return { bitrate: null, packets: null, layers: [], statsError: null };

	return {
		bitrate    : stats.bitrate,
		packets    : stats.packets,
		layers     : (stats.streams ?? []).map((stream) => ({ ssrc: stream.ssrc, bitrate: stream.bitrate })),
		statsError : stats.error ?? null
	};
}

/** A room dump (GET /admin/rooms/{id}?stats=true) as the peers, transports, producers and consumers to show. */
export function roomView(dump)
{
	return {
		id           : dump.id,
		silo         : dump.silo,
		worker       : dump.worker,
		openedAt     : dump.openedAt,
		maxPeers     : dump.settings?.maxPeers ?? null,
		statsOmitted : dump.statsOmitted ?? 0,
		peers        : (dump.peers ?? []).map((peer) => ({
			name       : peer.name,
			spy        : peer.spy,
			grants     : peer.grants ?? [],
			transports : (peer.transports ?? []).map((transport) => ({
				id        : transport.id,
				kind      : transport.kind,
				direction : typeof transport.direction === 'string' ? transport.direction : '—',
				iceState  : transport.iceState,
				dtlsState : transport.dtlsState
			})),
			producers : (peer.producers ?? []).map((producer) => ({
				id        : producer.id,
				kind      : producer.kind,
				paused    : producer.paused,
				pausedBy  : pausedBy(producer),
				// The server's pause is the one this page can undo.
				canResume : producer.locallyPaused,
				consumers : (producer.consumerIds ?? []).length,
				...traffic(producer.stats)
			})),
			consumers : (peer.consumers ?? []).map((consumer) => ({
				id        : consumer.id,
				kind      : consumer.kind,
				from      : consumer.producerPeer,
				enabled   : consumer.transportId !== null && consumer.transportId !== undefined,
				paused    : consumer.paused,
				pausedBy  : pausedBy(consumer),
				profile   : consumer.effectiveProfile ?? 'none',
				preferred : consumer.preferredProfile,
				...traffic(consumer.stats)
			}))
		}))
	};
}

/** The room's total received (producers) and sent (consumers) bitrate. */
export function roomTraffic(view)
{
	const sum = (items) => items.reduce((total, item) => total + (item.bitrate ?? 0), 0);

	return {
		received : sum(view.peers.flatMap((peer) => peer.producers)),
		sent     : sum(view.peers.flatMap((peer) => peer.consumers))
	};
}

/** The room to show: the chosen one while it is listed, else the only room there is, else none. */
export function chooseRoom(chosen, rooms)
{
	if (chosen && rooms.some((room) => room.id === chosen))
		return chosen;

	return rooms.length === 1 ? rooms[0].id : null;
}

function compareText(a, b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}
