'use strict';

// A loopback TCP proxy in front of a node, whose connections a test can cut: the way to lose a
// frontend connection without stopping the node.

const net = require('net');

/** Listens on `listenPort` (0: any free port) and forwards to `targetPort`. */
function startTcpProxy(targetPort, listenPort = 0)
{
	const pairs = new Set();
	const server = net.createServer((inbound) =>
	{
		const outbound = net.connect(targetPort, '127.0.0.1');
		const pair = [ inbound, outbound ];

		pairs.add(pair);
		inbound.pipe(outbound);
		outbound.pipe(inbound);
		for (const socket of pair)
		{
			socket.on('error', () => {});
			socket.on('close', () =>
			{
				pairs.delete(pair);
				inbound.destroy();
				outbound.destroy();
			});
		}
	});

	return new Promise((resolve, reject) =>
	{
		server.once('error', reject);
		server.listen(listenPort, '127.0.0.1', () =>
		{
			resolve({
				port : server.address().port,
				/** Cuts every connection open now; new ones are accepted again. */
				cut()
				{
					for (const pair of pairs)
					{
						pair[0].destroy();
						pair[1].destroy();
					}
				},
				close : () => new Promise((done) =>
				{
					for (const pair of pairs)
					{
						pair[0].destroy();
						pair[1].destroy();
					}
					server.close(() => done());
				})
			});
		});
	});
}

module.exports = { startTcpProxy };
