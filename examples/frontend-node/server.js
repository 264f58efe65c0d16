#!/usr/bin/env node
'use strict';

// A mediasoup-demo v2 shaped application server: browsers connect with protoo to
// ws://127.0.0.1:PORT/?roomId=R&peerName=P (sub-protocol "protoo") and speak the demo v2 wire
// contract; every room's mediasoup part runs on a Coordinator cluster, reached through one
// frontend connection (the coordinator-frontend SDK).
//
//   PORT             where browsers connect (default 4460; 0: any free port)
//   COORDINATOR_URL  Coordinator's frontend endpoint (default ws://127.0.0.1:4443/frontend,
//                    the embedded node of scripts/start.sh)
//   COORDINATOR_TOKEN  a frontend token, outside development mode
//
// Prints "READY port=<port> coordinator=<url>" once it listens and is connected to Coordinator.

const http = require('http');
const protoo = require('protoo-server');
const { Coordinator } = require('coordinator-frontend');
const Room = require('./lib/Room');

const PORT = Number(process.env.PORT || 4460);
const COORDINATOR_URL = process.env.COORDINATOR_URL || 'ws://127.0.0.1:4443/frontend';

// The WebSocket limits of mediasoup-demo v2 (Coordinator's Gateway:MaxMessageBytes is the same).
const WEBSOCKET_OPTIONS = {
	maxReceivedFrameSize     : 960000,
	maxReceivedMessageSize   : 960000,
	fragmentOutgoingMessages : true,
	fragmentationThreshold   : 960000
};

const mediaServer = new Coordinator({ url: COORDINATOR_URL, token: process.env.COORDINATOR_TOKEN || undefined });

/** roomId → Room, while it has connections. */
const rooms = new Map();

const httpServer = http.createServer((request, response) =>
{
	response.statusCode = 404;
	response.end();
});

const webSocketServer = new protoo.WebSocketServer(httpServer, WEBSOCKET_OPTIONS);

webSocketServer.on('connectionrequest', (info, accept, reject) =>
{
	const query = new URL(info.request.url, 'http://localhost').searchParams;
	const roomId = query.get('roomId');
	const peerName = query.get('peerName');

	if (!roomId || !peerName)
	{
		reject(400, 'Connection request without roomId and/or peerName');

		return;
	}

	let room = rooms.get(roomId);

	if (!room)
	{
		room = new Room(roomId, mediaServer);
		rooms.set(roomId, room);
		room.on('close', () => rooms.delete(roomId));
	}

	room.handleConnection(peerName, accept());
});

mediaServer.on('disconnected', (reason) => console.warn(`Coordinator at ${COORDINATOR_URL}: ${reason}; reconnecting`));

function shutdown()
{
	for (const room of rooms.values())
	{
		room.close();
	}
	mediaServer.close();
	httpServer.close();
	process.exit(0);
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

httpServer.listen(PORT, '127.0.0.1', () =>
{
	const announce = () => console.log(`READY port=${httpServer.address().port} coordinator=${COORDINATOR_URL}`);

	if (mediaServer.connected)
		announce();
	else
		mediaServer.once('open', announce);
});
