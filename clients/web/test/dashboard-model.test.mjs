import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRoom, clusterProblems, gatewayRows, listingProblems, pausedBy, roomTraffic, roomView, roomsOfCluster, siloRows } from '../dashboard/model.js';

const room = (id, peers = 1) => ({ id, silo: 's1', worker: 'w#1', peers, transports: 0, producers: 0, consumers: 0, openedAt: '2026-12-06T12:00:00Z' });

// The shape of GET /admin/cluster (docs/operations.md#cluster-view).
const cluster = {
	silos : [
		{
			address : '10.0.0.2:11111@2', status : 'Active', health : 'ok', problem : null, hostName : 'b',
			rooms : [ room('zeta', 2), room('alpha', 3) ], connectedPeers : 5, configuredWorkers : 2,
			workers : [ { id: 'b.1#1', pid: 10, routers: 1, cpuPercent: 2.5, cpuWindowSeconds: 2, memoryBytes: 1 << 24 } ]
		},
		{
			address : '10.0.0.3:11111@3', status : 'Active', health : 'unreachable', problem : 'no answer within 3 s', hostName : null,
			rooms : [], connectedPeers : 0, configuredWorkers : 0, workers : []
		}
	],
	gateways : [
		{ id: 'g/1/a', urls: [ 'http://10.0.0.1:4443' ], sessions: 5, connections: 5, health: 'ok', lastRenewal: '2026-12-06T12:00:00Z', leaseSilo: '10.0.0.2:11111@2' },
		{ id: 'g/2/b', urls: [], sessions: 0, connections: null, health: 'expired', lastRenewal: '2026-12-06T11:00:00Z', leaseSilo: '10.0.0.2:11111@2' }
	]
};

test('the cluster\'s rooms are listed across silos, sorted, with their silo\'s host', () =>
{
	assert.deepEqual(roomsOfCluster(cluster).map((r) => [ r.id, r.host ]), [ [ 'alpha', 'b' ], [ 'zeta', 'b' ] ]);
	assert.deepEqual(roomsOfCluster(null), []);
});

test('silo rows count rooms, peers and workers; an unreachable silo shows no worker count', () =>
{
	const [ ok, unreachable ] = siloRows(cluster);

	assert.equal(ok.rooms, 2);
	assert.equal(ok.peers, 5);
	assert.equal(ok.workerText, '1 of 2');
	assert.equal(ok.workers[0].pid, 10);
	assert.equal(unreachable.workerText, '—');
	assert.equal(unreachable.problem, 'no answer within 3 s');
	assert.equal(gatewayRows(cluster)[1].connections, null);
});

test('unreachable silos and unhealthy gateways are told, healthy ones are not', () =>
{
	assert.deepEqual(clusterProblems(cluster), [
		'Silo 10.0.0.3:11111@3 is unreachable (no answer within 3 s): its rooms are missing from this page.',
		'Gateway g/2/b is expired.'
	]);
	assert.deepEqual(listingProblems({ rooms: [], unreachableSilos: [ 's9' ] }), [ 'Silo s9 is unreachable: its rooms are missing from this page.' ]);
});

test('who paused a producer or consumer', () =>
{
	assert.equal(pausedBy({ locallyPaused: false, remotelyPaused: false }), null);
	assert.equal(pausedBy({ locallyPaused: true, remotelyPaused: false }), 'server');
	assert.equal(pausedBy({ locallyPaused: true, remotelyPaused: true, sourcePaused: true }), 'server + client + source');
});

// The shape of GET /admin/rooms/{id}?worker=false&stats=true.
const dump = {
	id : 'demo', incarnation : 'x', silo : 's1', worker : 'w#1', openedAt : '2026-12-06T12:00:00Z',
	settings : { maxPeers: 200 }, statsOmitted : 0,
	peers : [
		{
			name : 'alice', spy : false, grants : [ 'publish', 'subscribe' ],
			transports : [ { id: 1, kind: 'webrtc', iceState: 'completed', dtlsState: 'connected', direction: 'send' } ],
			producers : [
				{
					id : 2, kind : 'video', paused : true, locallyPaused : true, remotelyPaused : false, consumerIds : [ 5 ],
					stats : { bitrate: 900_000, packets: 1000, bytes: 1, packetsLost: 0, error: null, streams: [ { ssrc: 1, bitrate: 100_000 }, { ssrc: 2, bitrate: 800_000 } ] }
				},
				{ id: 3, kind: 'audio', paused: false, locallyPaused: false, remotelyPaused: false, consumerIds: [], stats: null }
			],
			consumers : []
		},
		{
			name : 'bob', spy : false, grants : [],
			transports : [ { id: 4, kind: 'webrtc', iceState: 'new', dtlsState: 'new', direction: null } ],
			producers : [],
			consumers : [
				{
					id : 5, kind : 'video', producerId : 2, producerPeer : 'alice', transportId : 4, paused : false,
					locallyPaused : false, remotelyPaused : false, sourcePaused : false,
					preferredProfile : 'default', effectiveProfile : 'high',
					stats : { bitrate: 800_000, packets: 900, bytes: 1, packetsLost: 0, error: null, streams: [ { ssrc: 9, bitrate: 800_000 } ] }
				},
				{
					id : 6, kind : 'audio', producerId : 3, producerPeer : 'alice', transportId : null, paused : false,
					locallyPaused : false, remotelyPaused : false, sourcePaused : false,
					preferredProfile : 'default', effectiveProfile : null, stats : null
				}
			]
		}
	]
};

test('a room dump becomes peers with their transports, producers and consumers and live stats', () =>
{
	const view = roomView(dump);
	const [ alice, bob ] = view.peers;

	assert.equal(view.maxPeers, 200);
	assert.deepEqual(alice.transports[0], { id: 1, kind: 'webrtc', direction: 'send', iceState: 'completed', dtlsState: 'connected' });
	assert.equal(bob.transports[0].direction, '—');

	const [ video, audio ] = alice.producers;
	assert.equal(video.bitrate, 900_000);
	assert.equal(video.layers.length, 2, 'one stream per simulcast layer');
	assert.equal(video.pausedBy, 'server');
	assert.equal(video.canResume, true, 'the server\'s pause is the one the dashboard can lift');
	assert.equal(video.consumers, 1);
	assert.equal(audio.bitrate, null, 'no stats asked for or none given');
	assert.equal(audio.canResume, false);

	const [ consumer, disabled ] = bob.consumers;
	assert.deepEqual([ consumer.from, consumer.profile, consumer.preferred, consumer.enabled ], [ 'alice', 'high', 'default', true ]);
	assert.deepEqual([ disabled.enabled, disabled.profile ], [ false, 'none' ]);

	assert.deepEqual(roomTraffic(view), { received: 900_000, sent: 800_000 });
});

test('the room shown: the chosen one while open, else the only one, else none', () =>
{
	const rooms = [ room('a'), room('b') ];

	assert.equal(chooseRoom('b', rooms), 'b');
	assert.equal(chooseRoom('gone', rooms), null);
	assert.equal(chooseRoom(null, [ room('a') ]), 'a');
	assert.equal(chooseRoom('gone', [ room('a') ]), 'a');
	assert.equal(chooseRoom(null, []), null);
});
