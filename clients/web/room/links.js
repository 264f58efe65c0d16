// The room page's URLs, without the DOM: what the page reads from its own link, the protoo URL it
// connects to, and the link it offers to share. See docs/try-it.md.

// The server refuses ids longer than this (docs/protocol.md, Coordinator's additions: Handshake).
export const MAX_ID_LENGTH = 256;

const ADJECTIVES = [ 'amber', 'brisk', 'calm', 'dusky', 'eager', 'fuzzy', 'gentle', 'hazel', 'ivory', 'jolly', 'keen', 'lucky', 'mellow', 'nimble', 'olive', 'plucky', 'quiet', 'rosy', 'sunny', 'tidy' ];
const ANIMALS = [ 'badger', 'crane', 'dolphin', 'ferret', 'gecko', 'heron', 'ibis', 'jackal', 'koala', 'lemur', 'marten', 'newt', 'otter', 'puffin', 'quail', 'raven', 'stoat', 'tapir', 'vole', 'wombat' ];

function pick(list, random)
{
	return list[Math.floor(random() * list.length) % list.length];
}

/** A random room name such as "calm-otter-417". `random` returns numbers in [0, 1). */
export function randomRoomId(random = Math.random)
{
	return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}-${100 + Math.floor(random() * 900)}`;
}

/** A random display name such as "Nimble Heron". */
export function randomDisplayName(random = Math.random)
{
	const capital = (word) => word[0].toUpperCase() + word.slice(1);

	return `${capital(pick(ADJECTIVES, random))} ${capital(pick(ANIMALS, random))}`;
}

/**
 * A peer name for one join. It must be unique in the room: a second socket with the same name
 * replaces the first (close code 4000). So it is random, with the display name kept for reading.
 */
export function randomPeerName(displayName, random = Math.random)
{
	const slug = displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24);
	const suffix = Math.floor(random() * 0x1000000).toString(16).padStart(6, '0');

	return slug ? `${slug}-${suffix}` : `peer-${suffix}`;
}

/**
 * What the page's own link asks for: `?roomId=&peerName=&displayName=&token=`. Missing values are
 * null; a token link (tools/MintToken --link) names the room and the peer the token is for.
 */
export function readPageLink(search)
{
	const query = new URLSearchParams(search);
	const value = (name) =>
	{
		const found = query.get(name);

		return found === null || found === '' ? null : found;
	};

	return {
		roomId      : value('roomId'),
		peerName    : value('peerName'),
		displayName : value('displayName'),
		token       : value('token')
	};
}

/**
 * Why the server would refuse this room id or peer name, in words, or null. The same rules as the
 * gateway's handshake: not empty or only whitespace, at most 256 characters, no control characters.
 */
export function idProblem(value, what)
{
	if (typeof value !== 'string' || value.trim() === '')
		return `the ${what} is empty`;

	if (value.length > MAX_ID_LENGTH)
		return `the ${what} is longer than ${MAX_ID_LENGTH} characters`;

	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value))
		return `the ${what} contains a control character`;

	return null;
}

/**
 * The protoo WebSocket URL on the page's own host: ws:// for an http:// page, wss:// for https://.
 * The token, when there is one, travels in the query (browsers cannot set WebSocket headers).
 */
export function protooUrl(pageLocation, { roomId, peerName, token })
{
	const scheme = pageLocation.protocol === 'https:' ? 'wss:' : 'ws:';
	const query = new URLSearchParams({ roomId, peerName });

	if (token)
		query.set('token', token);

	return `${scheme}//${pageLocation.host}/?${query}`;
}

/** The link to give others: this page with the room, and nothing personal (no peer name, no token). */
export function shareLink(pageLocation, roomId)
{
	return `${pageLocation.origin}${pageLocation.pathname}?${new URLSearchParams({ roomId })}`;
}
