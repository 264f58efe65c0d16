#!/usr/bin/env node
'use strict';

// The mediasoup v2 reference server: the real mediasoup 2.6.19 library and its C++ worker behind the
// wire contract of the mediasoup-demo v2 application (protoo 3 over WebSocket). Coordinator is
// measured against it; README.md in this folder says how to install, start and check it.
//
// What a client sees (docs/protocol.md#envelope describes the contract):
// - WebSocket at /?roomId=R&peerName=P with the sub-protocol "protoo"; without both parameters the
//   handshake is refused with 400, without the sub-protocol with 403 (the protoo library's check).
// - A room is created by its first connection with the default codecs below and closed when its
//   last connection closes.
// - A second connection with the same roomId and peerName closes the first one (protoo's close,
//   code 4000), whose mediasoup peer closes with it, before it is admitted.
// - protoo requests with method "mediasoup-request" carry a mediasoup request. "queryRoom" and
//   "join" go to the room (by their method; `target` is not read), anything else to the
//   connection's own mediasoup peer: 400 "no mediasoup Peer" before a successful join.
//   "join" is refused with 403 unless its peerName is the connection's, and with 500 once the
//   connection has a mediasoup peer (also after "leave": the closed peer stays attached).
//   A rejected mediasoup request is answered 500 with the error's "Name: message" text.
// - protoo notifications with method "mediasoup-notification" go to the connection's mediasoup
//   peer (ignored before join); everything the mediasoup peer emits goes back the same way. The
//   listener for those is attached once the join response has been sent.
// - The mediasoup peer closes when its connection closes.

const http = require('http');
const fs = require('fs');
const mediasoup = require('mediasoup');
const protoo = require('protoo-server');

/** The room codecs of mediasoup-demo v2; the room's capabilities (payload types, rtx) follow from them. */
const MEDIA_CODECS = [
	{ kind: 'audio', name: 'opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
	{ kind: 'video', name: 'VP8', clockRate: 90000 },
	{ kind: 'video', name: 'H264', clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } }
];

/** WebSocket limits of the demo: one frame or message of at most 960,000 bytes, larger ones close the socket (1009). */
const WEBSOCKET_OPTIONS = {
	maxReceivedFrameSize: 960000,
	maxReceivedMessageSize: 960000,
	fragmentOutgoingMessages: true,
	fragmentationThreshold: 960000
};

const LOG_LEVELS = ['debug', 'warn', 'error'];

const USAGE = `usage: node server.js [PORT] [--port N] [--host ADDR] [--workers N] [--rtc-min-port N] [--rtc-max-port N]
                      [--rtc-ip ADDR] [--announced-ip ADDR] [--log-level debug|warn|error]

  --port           TCP port of the WebSocket server (REF_PORT, default 4470; 0 = any free port)
  --host           address to listen on (REF_HOST, default 127.0.0.1)
  --workers        mediasoup workers (REF_WORKERS, default 1, as mediasoup-demo v2 deploys)
  --rtc-min-port   first RTP/ICE port, shared out between the workers (REF_RTC_MIN_PORT, default 10000)
  --rtc-max-port   last RTP/ICE port (REF_RTC_MAX_PORT, default 19999)
  --rtc-ip         address the workers bind for media (REF_RTC_IP, default: --host, or 127.0.0.1 if that is a wildcard)
  --announced-ip   address announced in ICE candidates instead (REF_ANNOUNCED_IP, default none)
  --log-level      the workers' log level and this process's (REF_LOG_LEVEL, default warn)

When ready it prints one line to stdout:
  READY port=<port> pid=<this process> worker-pids=<pid>[,<pid>...]`;

function fail(message)
{
	process.stderr.write(`reference-server: ${message}\n${USAGE}\n`);
	process.exit(2);
}

function readOptions(argv, env)
{
	const flags = {};

	for (let i = 0; i < argv.length; i++)
	{
		const arg = argv[i];

		if (arg === '-h' || arg === '--help')
		{
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		}
		else if (/^\d+$/.test(arg) && flags.port === undefined)
		{
			flags.port = arg;
		}
		else if (arg.startsWith('--'))
		{
			const [ name, inline ] = arg.slice(2).split(/=(.*)/s);
			const value = inline !== undefined ? inline : argv[++i];

			if (value === undefined)
				fail(`${arg} needs a value`);

			flags[name] = value;
		}
		else
		{
			fail(`unexpected argument ${arg}`);
		}
	}

	const pick = (flag, variable, fallback) =>
		(flags[flag] !== undefined ? flags[flag] : (env[variable] !== undefined && env[variable] !== '' ? env[variable] : fallback));

	const integer = (flag, variable, fallback, min, max) =>
	{
		const text = String(pick(flag, variable, fallback));
		const value = Number(text);

		if (!/^\d+$/.test(text) || value < min || value > max)
			fail(`--${flag} (${variable}) must be an integer from ${min} to ${max}, not "${text}"`);

		return value;
	};

	const known = [ 'port', 'host', 'workers', 'rtc-min-port', 'rtc-max-port', 'rtc-ip', 'announced-ip', 'log-level' ];
	const unknown = Object.keys(flags).filter((name) => !known.includes(name));

	if (unknown.length > 0)
		fail(`unknown option --${unknown[0]}`);

	const host = pick('host', 'REF_HOST', '127.0.0.1');
	const wildcard = host === '0.0.0.0' || host === '::';
	const options = {
		port: integer('port', 'REF_PORT', 4470, 0, 65535),
		host,
		workers: integer('workers', 'REF_WORKERS', 1, 1, 64),
		rtcMinPort: integer('rtc-min-port', 'REF_RTC_MIN_PORT', 10000, 1024, 65535),
		rtcMaxPort: integer('rtc-max-port', 'REF_RTC_MAX_PORT', 19999, 1024, 65535),
		rtcIp: pick('rtc-ip', 'REF_RTC_IP', wildcard ? '127.0.0.1' : host),
		announcedIp: pick('announced-ip', 'REF_ANNOUNCED_IP', undefined),
		logLevel: pick('log-level', 'REF_LOG_LEVEL', 'warn')
	};

	if (!LOG_LEVELS.includes(options.logLevel))
		fail(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${options.logLevel}"`);

	if (options.rtcMaxPort - options.rtcMinPort < 2 * options.workers)
		fail('--rtc-max-port - --rtc-min-port must leave every worker at least two ports');

	return options;
}

const options = readOptions(process.argv.slice(2), process.env);

function log(level, message)
{
	if (LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(options.logLevel))
		process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
}

const mediaServer = mediasoup.Server({
	numWorkers: options.workers,
	logLevel: options.logLevel,
	rtcIPv4: options.rtcIp,
	rtcIPv6: false,
	rtcAnnouncedIPv4: options.announcedIp,
	rtcMinPort: options.rtcMinPort,
	rtcMaxPort: options.rtcMaxPort
});

/** roomId → Room, while the room has connections. */
const rooms = new Map();

/** One room: the mediasoup Room and the protoo peers (one per connection, keyed by peerName). */
class Room
{
	constructor(id)
	{
		this.id = id;
		this.media = mediaServer.Room(MEDIA_CODECS);
		this.connections = new protoo.Room();
		// Set while a newer connection replaces an older one, so that the room outlives the gap.
		this.replacing = false;
	}

	/** Admits a WebSocket connection as peerName, closing an older connection of the same name first. */
	admit(peerName, transport)
	{
		const older = this.connections.getPeer(peerName);

		if (older)
		{
			log('debug', `room ${this.id}: a new connection replaces peer "${peerName}"`);
			this.replacing = true;
			try
			{
				older.close();
			}
			finally
			{
				this.replacing = false;
			}
		}

		const connection = this.connections.createPeer(peerName, transport);

		// The connection's mediasoup peer, once joined (it stays here after it closed).
		connection.data.mediaPeer = null;
		connection.on('request', (request, accept, reject) => this.onRequest(connection, request, accept, reject));
		connection.on('notification', (notification) => this.onNotification(connection, notification));
		connection.on('close', () => this.onConnectionClosed(connection));
	}

	onRequest(connection, request, accept, reject)
	{
		if (request.method !== 'mediasoup-request')
		{
			reject(400, `unknown request.method "${request.method}"`);

			return;
		}

		const message = request.data;
		const method = message !== null && typeof message === 'object' ? message.method : undefined;
		const refuse = (error) =>
		{
			log('debug', `room ${this.id}, peer "${connection.id}": ${method} refused: ${error}`);
			reject(500, error);
		};

		if (method === 'queryRoom')
		{
			this.media.receiveRequest(message).then(accept, refuse);
		}
		else if (method === 'join')
		{
			this.join(connection, message, accept, reject, refuse);
		}
		else if (!connection.data.mediaPeer)
		{
			reject(400, 'no mediasoup Peer');
		}
		else
		{
			connection.data.mediaPeer.receiveRequest(message).then(accept, refuse);
		}
	}

	join(connection, message, accept, reject, refuse)
	{
		if (message.peerName !== connection.id)
		{
			reject(403, 'that is not your corresponding mediasoup Peer name');

			return;
		}

		if (connection.data.mediaPeer)
		{
			reject(500, 'already have a mediasoup Peer');

			return;
		}

		this.media.receiveRequest(message).then((response) =>
		{
			const mediaPeer = this.media.getPeerByName(connection.id);

			accept(response);

			// The connection closed while the join was answered: its new peer goes with it.
			if (connection.closed)
			{
				mediaPeer.close();

				return;
			}

			connection.data.mediaPeer = mediaPeer;
			mediaPeer.on('notify', (notification) =>
			{
				connection.notify('mediasoup-notification', notification).catch(() => {});
			});
		}, refuse);
	}

	onNotification(connection, notification)
	{
		const mediaPeer = connection.data.mediaPeer;

		if (notification.method !== 'mediasoup-notification' || !mediaPeer)
		{
			log('debug', `room ${this.id}, peer "${connection.id}": notification ${notification.method} ignored`);

			return;
		}

		Promise.resolve()
			.then(() => mediaPeer.receiveNotification(notification.data))
			.catch((error) => log('debug', `room ${this.id}, peer "${connection.id}": notification failed: ${error}`));
	}

	onConnectionClosed(connection)
	{
		const mediaPeer = connection.data.mediaPeer;

		if (mediaPeer && !mediaPeer.closed)
			mediaPeer.close();

		if (this.connections.peers.length === 0 && !this.replacing)
			this.close();
	}

	close()
	{
		if (rooms.get(this.id) === this)
			rooms.delete(this.id);

		this.connections.close();
		if (!this.media.closed)
			this.media.close();
	}
}

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
		room = new Room(roomId);
		rooms.set(roomId, room);
	}

	room.admit(peerName, accept());
});

/** The workers' process ids: mediasoup 2.6.19 keeps each worker's child process on the Worker object. */
function workerPids()
{
	const pids = [];

	for (const worker of mediaServer._workers || [])
	{
		if (worker._child && worker._child.pid)
			pids.push(worker._child.pid);
	}

	if (pids.length > 0)
		return pids;

	// Any other version: this process's children.
	try
	{
		return fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	}
	catch (error)
	{
		return [];
	}
}

function shutdown(signal)
{
	log('debug', `${signal}: closing`);
	for (const room of rooms.values())
	{
		room.close();
	}
	mediaServer.close();
	httpServer.close();
	process.exit(0);
}

process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

mediaServer.on('close', () => log('debug', 'mediasoup server closed'));

// Ready once every worker answered a request and the port listens.
mediaServer.dump()
	.then(() => new Promise((resolve, reject) =>
	{
		httpServer.once('error', reject);
		httpServer.listen(options.port, options.host, resolve);
	}))
	.then(() =>
	{
		const port = httpServer.address().port;

		process.stdout.write(`READY port=${port} pid=${process.pid} worker-pids=${workerPids().join(',')}\n`);
		log('debug', `listening on ${options.host}:${port}, ${options.workers} worker(s), RTC ports ${options.rtcMinPort}-${options.rtcMaxPort} on ${options.rtcIp}`);
	})
	.catch((error) =>
	{
		process.stderr.write(`reference-server: could not start: ${error && error.stack ? error.stack : error}\n`);
		mediaServer.close();
		process.exit(1);
	});
