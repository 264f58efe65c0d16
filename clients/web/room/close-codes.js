// What the page does when its protoo socket ends: the close codes of docs/protocol.md#close-codes,
// turned into a message for the user and a decision to reconnect (with back-off) or not.

export const MAX_RECONNECT_ATTEMPTS = 8;
const FIRST_DELAY_MS = 1000;
const LONGEST_DELAY_MS = 30000;

/**
 * @param {object} ending
 * @param {number} ending.code - the WebSocket close code (1006 when the browser saw no close frame)
 * @param {string} [ending.reason] - the server's close reason, shown as detail only
 * @param {boolean} ending.opened - whether the socket ever opened
 * @param {boolean} [ending.closedByServer] - whether the server sent `closed` (an operator removed
 *   this peer or closed the room) before the socket ended
 * @returns {{ reconnect: boolean, message: string }}
 */
export function decideOnClose({ code, reason = '', opened, closedByServer = false })
{
	const detail = reason ? ` (${reason})` : '';

	if (!opened)
	{
		return {
			reconnect : true,
			message   : 'Could not connect to the server. It may be down, or it refused the connection '
				+ '(an expired or wrong token, or development mode reached from another machine).'
		};
	}

	switch (code)
	{
		case 4000:
			return {
				reconnect : false,
				message   : closedByServer
					? `You were removed from the room, or the room was closed, by the server${detail}.`
					: `This session was replaced by a newer connection for the same peer, probably the same link opened in another tab${detail}.`
			};
		case 4001:
			return { reconnect: true, message: `The connection lost messages${detail}; rejoining.` };
		case 1001:
			return { reconnect: true, message: 'The server is shutting down; reconnecting.' };
		case 1011:
		case 1013:
			return { reconnect: true, message: `The server is busy${detail}; trying again.` };
		case 1008:
			return { reconnect: false, message: `The server closed the connection for a protocol violation${detail}.` };
		case 1009:
			return { reconnect: false, message: `The server refused a message that was too large${detail}.` };
		default:
			return { reconnect: true, message: `The connection was lost (code ${code})${detail}; reconnecting.` };
	}
}

/**
 * Milliseconds to wait before reconnect attempt `attempt` (0, 1, 2 …): 1 s doubling up to 30 s,
 * each between half and all of that (so many pages do not come back at once); null past the last.
 * A lost-notifications close (4001) rejoins at once on its first attempt.
 */
export function reconnectDelay(attempt, { code = 0, random = Math.random } = {})
{
	if (attempt >= MAX_RECONNECT_ATTEMPTS)
		return null;

	if (code === 4001 && attempt === 0)
		return 0;

	const ceiling = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * (2 ** attempt));

	return Math.round(ceiling * (0.5 + (random() / 2)));
}

/**
 * Why the server refused `join`, from the answer's error code (docs/protocol.md#join and
 * Coordinator's additions): 403 is a full room (a socket always joins under its own peer name),
 * 503 a server that cannot take the room now, 408 a cluster that did not answer in time.
 */
export function describeJoinError(error)
{
	const detail = error && error.message ? ` (${error.message})` : '';

	switch (error && error.code)
	{
		case 403:
			return `The room is full${detail}. Try another room, or later.`;
		case 503:
			return `The server cannot take this room now${detail}. Try again in a moment.`;
		case 408:
			return `The server did not answer in time${detail}. Try again.`;
		default:
			return `Joining failed${detail}.`;
	}
}
