// The admin API as the dashboard uses it (docs/operations.md#admin-api). No DOM: fetch and the
// token source are passed in. Every failure is an AdminApiError whose kind says what to tell the
// operator.

export class AdminApiError extends Error
{
	/**
	 * kind: 'unauthorized' (401: no token, or a refused one), 'forbidden' (403: no admin grant, or
	 * a token for another room), 'off' (the admin API is switched off on this gateway), 'not-found'
	 * (the room, peer or producer is gone), 'timeout' (the cluster did not answer), 'unreachable'
	 * (no answer from the gateway at all), 'failed' (anything else).
	 */
	constructor(kind, status, message)
	{
		super(message);
		this.name = 'AdminApiError';
		this.kind = kind;
		this.status = status;
	}
}

/** The error for an HTTP answer that is not 2xx; body is the parsed JSON or null. */
export function errorFor(status, body)
{
	const message = typeof body?.error === 'string' ? body.error : null;

	switch (status)
	{
		case 401:
			return new AdminApiError('unauthorized', status, message ?? 'an admin token is required');
		case 403:
			return new AdminApiError('forbidden', status, message ?? 'this token may not do that');
		case 404:
			// A switched-off admin API maps no /admin endpoint: a bare 404, without the API's JSON error.
			return message
				? new AdminApiError('not-found', status, message)
				: new AdminApiError('off', status, 'the admin API is switched off on this gateway (Gateway:Admin:Enabled=false)');
		case 504:
			return new AdminApiError('timeout', status, message ?? 'the cluster did not answer in time');
		default:
			return new AdminApiError('failed', status, message ?? `the gateway answered ${status}`);
	}
}

/** Path segments are percent-encoded; a "/" in a room id becomes %2F, which the API decodes. */
function segment(value)
{
	return encodeURIComponent(String(value));
}

export function createAdminApi({ fetch, token, base = '' })
{
	async function call(method, path, body)
	{
		const headers = { Accept: 'application/json' };
		const current = token();

		if (current)
			headers.Authorization = `Bearer ${current}`;
		if (body !== undefined)
			headers['Content-Type'] = 'application/json';

		let response;

		try
		{
			response = await fetch(`${base}${path}`, {
				method,
				headers,
				body  : body === undefined ? undefined : JSON.stringify(body),
				cache : 'no-store'
			});
		}
		catch (error)
		{
			throw new AdminApiError('unreachable', 0, `the gateway cannot be reached (${error?.message ?? error})`);
		}

		const text = await response.text();
		let json = null;

		try
		{
			json = text.length > 0 ? JSON.parse(text) : null;
		}
		catch
		{
			json = null;
		}

		if (!response.ok)
			throw errorFor(response.status, json);

		return json;
	}

	const room = (roomId) => `/admin/rooms/${segment(roomId)}`;

	return {
		/** Silos (with their rooms and workers) and gateways; needs a token for every room. */
		cluster : () => call('GET', '/admin/cluster'),
		/** The rooms the token may see, and the silos that did not answer. */
		rooms   : () => call('GET', '/admin/rooms'),
		/** One room with each producer's and consumer's stats, without the workers' dumps. */
		room    : (roomId) => call('GET', `${room(roomId)}?worker=false&stats=true`),
		closeRoom : (roomId) =>
			call('POST', `${room(roomId)}/close`, { reason: 'closed by an operator from the dashboard' }),
		removePeer : (roomId, peerName) =>
			call('POST', `${room(roomId)}/peers/${segment(peerName)}/close`, { reason: 'removed by an operator from the dashboard' }),
		pauseProducer : (roomId, producerId) =>
			call('POST', `${room(roomId)}/producers/${segment(producerId)}/pause`, {}),
		resumeProducer : (roomId, producerId) =>
			call('POST', `${room(roomId)}/producers/${segment(producerId)}/resume`, {})
	};
}
