'use strict';

// What the tests talk to: a real embedded node's frontend endpoint. With SDK_TEST_FAKE_FRONTEND=1
// a stand-in for the endpoint (fakeFrontend.js) sits in front of the node instead.

const { startEmbeddedNode } = require('./embeddedNode');
const { startFakeFrontend } = require('./fakeFrontend');

async function startTarget()
{
	const node = await startEmbeddedNode();

	if (process.env.SDK_TEST_FAKE_FRONTEND !== '1')
	{
		return {
			node,
			frontendUrl  : node.frontendUrl,
			frontendPort : node.port,
			stop         : () => node.stop()
		};
	}

	const fake = await startFakeFrontend(node.url);

	return {
		node,
		frontendUrl  : fake.frontendUrl,
		frontendPort : Number(new URL(fake.frontendUrl).port),
		stop         : async () =>
		{
			await fake.close();
			await node.stop();
		}
	};
}

module.exports = { startTarget };
