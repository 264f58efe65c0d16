'use strict';

/**
 * A request that failed: the answer Coordinator sent (`code` is its errorCode, the message its
 * errorReason), or a failure of this SDK to carry the request (connection lost, timeout, ...).
 *
 * `String(error)` is the reason exactly as the gateway would have sent it to a browser, so a v2
 * server's `reject(500, error.toString())` keeps sending the same texts; `error.code` says which
 * status the browser contract uses for it.
 */
class RequestError extends Error
{
	constructor(code, reason)
	{
		super(reason);
		this.name = 'RequestError';
		this.code = code;
	}

	toString()
	{
		return this.message;
	}
}

/** The answer of a v2 Room or Peer that is closed, with the text Coordinator sends for it. */
function roomClosed()
{
	return new RequestError(500, 'InvalidStateError: Room closed');
}

/** The SDK could not get the request to Coordinator or its answer back. */
function unavailable(reason)
{
	return new RequestError(503, reason);
}

module.exports = { RequestError, roomClosed, unavailable };
