'use strict';

/**
 * Emits as mediasoup v2 does: a listener that throws is reported, and neither stops the other
 * listeners nor the SDK's own handling of the frame that caused the event.
 */
function safeEmit(emitter, event, ...args)
{
	try
	{
		emitter.emit(event, ...args);
	}
	catch (error)
	{
		console.error(`coordinator-frontend: a "${event}" listener threw: ${error && error.stack ? error.stack : error}`);
	}
}

module.exports = { safeEmit };
