// The admin token, kept for this tab only (sessionStorage): asked for once, forgotten when the
// tab closes or the server refuses it. No DOM: the storage is passed in.

export const TOKEN_KEY = 'coordinator.dashboard.adminToken';

export class TokenStore
{
	constructor(storage)
	{
		this._storage = storage;
		// The token also lives here, for a tab whose storage refuses it.
		this._memory = null;
	}

	get()
	{
		try
		{
			return this._storage?.getItem(TOKEN_KEY) || this._memory;
		}
		catch
		{
			return this._memory;
		}
	}

	/** Keeps a pasted token, trimmed and without a "Bearer " prefix; returns it, or null if empty. */
	set(token)
	{
		const clean = normalizeToken(token);

		if (!clean)
			return null;

		this._memory = clean;

		try
		{
			this._storage?.setItem(TOKEN_KEY, clean);
		}
		catch
		{
			// Storage refused (private mode quota): the token still works until the page reloads.
		}

		return clean;
	}

	clear()
	{
		this._memory = null;

		try
		{
			this._storage?.removeItem(TOKEN_KEY);
		}
		catch
		{
			// Nothing kept, nothing to forget.
		}
	}
}

export function normalizeToken(token)
{
	const text = String(token ?? '').trim().replace(/^bearer(\s+|$)/i, '').trim();

	return text.length > 0 ? text : null;
}
