'use strict';

// Starts a real embedded Coordinator node (silo, gateway and one mediasoup worker in one process)
// on loopback ports, in development mode, and stops it by its process id.
//
// It runs the built gateway: `dotnet build src/Gateway -c Release` first (or set
// COORDINATOR_GATEWAY_DLL). The mediasoup worker is found by the node itself in the repository's
// .cache/ (scripts/build-worker.sh) or through MEDIASOUP_WORKER_BIN.

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const REPOSITORY = path.resolve(__dirname, '..', '..', '..', '..');
const GATEWAY_DLL = process.env.COORDINATOR_GATEWAY_DLL
	|| path.join(REPOSITORY, 'src', 'Gateway', 'bin', 'Release', 'net10.0', 'Coordinator.Gateway.dll');
const START_TIMEOUT_MS = 90000;
const STOP_TIMEOUT_MS = 10000;

/** A free TCP port on loopback (free when asked; the node binds it a moment later). */
function freePort()
{
	return new Promise((resolve, reject) =>
	{
		const server = net.createServer();

		server.once('error', reject);
		server.listen(0, '127.0.0.1', () =>
		{
			const { port } = server.address();

			server.close(() => resolve(port));
		});
	});
}

function getStatus(url)
{
	return new Promise((resolve) =>
	{
		const request = http.get(url, (response) =>
		{
			response.resume();
			resolve(response.statusCode);
		});

		request.setTimeout(2000, () => request.destroy());
		request.on('error', () => resolve(0));
	});
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a node; resolves once /health/ready answers 200. `settings` are further --Key=value
 * arguments. Returns { port, url (ws://127.0.0.1:PORT), frontendUrl, pid, stop() }.
 */
async function startEmbeddedNode(settings = [])
{
	if (!fs.existsSync(GATEWAY_DLL))
		throw new Error(`${GATEWAY_DLL} is missing: build it with "dotnet build src/Gateway -c Release"`);

	const [ port, siloPort, gatewayPort ] = [ await freePort(), await freePort(), await freePort() ];
	const args = [
		GATEWAY_DLL,
		'--Gateway:DevelopmentMode=true',
		`--Gateway:Port=${port}`,
		'--Gateway:Operations:Port=0',
		`--Orleans:SiloPort=${siloPort}`,
		`--Orleans:GatewayPort=${gatewayPort}`,
		`--Orleans:ClusterId=sdk-test-${process.pid}-${port}`,
		'--Rooms:EmptyRoomGracePeriod=00:00:00',
		'--MediaWorkers:Count=1',
		'--Logging:LogLevel:Default=Warning',
		...settings
	];
	const child = spawn('dotnet', args, {
		cwd   : path.dirname(GATEWAY_DLL),
		stdio : [ 'ignore', 'pipe', 'pipe' ]
	});
	let output = '';
	const keep = (chunk) =>
	{
		output = (output + chunk.toString('utf8')).slice(-8000);
	};

	child.stdout.on('data', keep);
	child.stderr.on('data', keep);

	let exited = null;
	const exit = new Promise((resolve) => child.once('exit', (code, signal) =>
	{
		exited = { code, signal };
		resolve();
	}));

	const node = {
		port,
		pid         : child.pid,
		url         : `ws://127.0.0.1:${port}`,
		frontendUrl : `ws://127.0.0.1:${port}/frontend`,
		output      : () => output,
		async stop()
		{
			if (exited)
				return;

			process.kill(child.pid, 'SIGTERM');

			const timer = setTimeout(() =>
			{
				if (!exited)
					process.kill(child.pid, 'SIGKILL');
			}, STOP_TIMEOUT_MS);

			await exit;
			clearTimeout(timer);
		}
	};

	const deadline = Date.now() + START_TIMEOUT_MS;

	while (await getStatus(`http://127.0.0.1:${port}/health/ready`) !== 200)
	{
		if (exited)
			throw new Error(`the node exited (${JSON.stringify(exited)}) before it was ready:\n${output}`);

		if (Date.now() > deadline)
		{
			await node.stop();
			throw new Error(`the node was not ready within ${START_TIMEOUT_MS} ms:\n${output}`);
		}

		await delay(200);
	}

	return node;
}

module.exports = { startEmbeddedNode, freePort };
