// Polls while the tab is visible (no DOM: timers and visibility are passed in). One poll at a
// time: the next starts an interval after the previous one ended, so a slow cluster is never
// asked twice at once; refresh() polls at once (after an action), or right after the one in flight.

export class Poller
{
	/**
	 * @param {object} options
	 * @param {() => Promise<void>} options.poll - one refresh; its errors are its own business
	 * @param {number} options.intervalMs
	 * @param {() => boolean} options.isHidden
	 * @param {Function} [options.setTimer] - setTimeout
	 * @param {Function} [options.clearTimer] - clearTimeout
	 */
	constructor({
		poll,
		intervalMs,
		isHidden,
		// Wrapped: the browser's timer functions refuse to be called as another object's methods.
		setTimer = (callback, ms) => setTimeout(callback, ms),
		clearTimer = (timer) => clearTimeout(timer)
	})
	{
		this._poll = poll;
		this._intervalMs = intervalMs;
		this._isHidden = isHidden;
		this._setTimer = setTimer;
		this._clearTimer = clearTimer;
		this._timer = null;
		this._running = false;
		this._inFlight = null;
		this._again = false;
	}

	get running()
	{
		return this._running;
	}

	/** Whether it is waiting for the tab to be shown again. */
	get paused()
	{
		return this._running && this._isHidden();
	}

	/** Starts polling; resolves when the first poll has ended. */
	start()
	{
		if (this._running)
			return this.settled();

		this._running = true;

		return this.refresh();
	}

	/** Resolves when no poll is in flight. */
	settled()
	{
		return this._inFlight ?? Promise.resolve();
	}

	stop()
	{
		this._running = false;
		this._cancelTimer();
	}

	/** Polls now (or right after the poll in flight), unless stopped or hidden. */
	refresh()
	{
		if (!this._running || this._isHidden())
			return this._inFlight ?? Promise.resolve();

		this._cancelTimer();

		if (this._inFlight)
		{
			this._again = true;

			return this._inFlight;
		}

		this._inFlight = (async () =>
		{
			try
			{
				do
				{
					this._again = false;
					await this._poll();
				}
				while (this._again && this._running && !this._isHidden());
			}
			finally
			{
				this._inFlight = null;
				this._schedule();
			}
		})();

		return this._inFlight;
	}

	/** Call on the document's visibilitychange: hidden stops the timer, visible polls at once. */
	visibilityChanged()
	{
		if (this._isHidden())
			this._cancelTimer();
		else
			this.refresh();
	}

	_schedule()
	{
		if (!this._running || this._isHidden() || this._timer !== null)
			return;

		this._timer = this._setTimer(() =>
		{
			this._timer = null;
			this.refresh();
		}, this._intervalMs);
	}

	_cancelTimer()
	{
		if (this._timer !== null)
		{
			this._clearTimer(this._timer);
			this._timer = null;
		}
	}
}
