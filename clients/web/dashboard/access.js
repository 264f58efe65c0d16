// What the dashboard can tell before asking the server (no DOM), so that it does not send requests
// it knows will be refused: each refusal is a red line in the browser's console.

/**
 * Whether a request without a token can succeed from a page at this host name: a development-mode
 * node takes tokenless admin requests only for localhost or a loopback address
 * (docs/operations.md#admin-tokens). Elsewhere the page asks for a token before its first request.
 */
export function tokenlessPossible(hostname)
{
	const host = String(hostname).replace(/^\[|\]$/g, '').toLowerCase();

	return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The room a token is for, read (not verified: the server does that) from its payload's `room`
 * claim: '*' for every room. Null when it cannot be read; the server's answer then decides.
 */
export function tokenRoom(token)
{
	const payload = String(token ?? '').split('.')[1];

	if (!payload)
		return null;

	try
	{
		const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
		const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
		const claims = JSON.parse(new TextDecoder().decode(bytes));

		return typeof claims?.room === 'string' ? claims.room : null;
	}
	catch
	{
		return null;
	}
}
