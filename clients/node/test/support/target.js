'use strict';

// What the tests talk to: a real embedded node's frontend endpoint.

const { startEmbeddedNode } = require('./embeddedNode');

async function startTarget()
{
	const node = await startEmbeddedNode();

	return {
		node,
		frontendUrl  : node.frontendUrl,
		frontendPort : node.port,
		stop         : () => node.stop()
	};
}

module.exports = { startTarget };
