'use strict';

const DEFAULT_TIMEOUT_MS = 10000;

/** Resolves with the arguments of the first `event` of `emitter` that `accept` takes, or fails after the timeout. */
function nextEvent(emitter, event, accept = () => true, timeoutMs = DEFAULT_TIMEOUT_MS)
{
	return new Promise((resolve, reject) =>
	{
		const listener = (...args) =>
		{
			if (!accept(...args))
				return;

			clearTimeout(timer);
			emitter.removeListener(event, listener);
			resolve(args);
		};
		const timer = setTimeout(() =>
		{
			emitter.removeListener(event, listener);
			reject(new Error(`no "${event}" event within ${timeoutMs} ms`));
		}, timeoutMs);

		emitter.on(event, listener);
	});
}

/** Records a peer's 'notify' events; `next(method)` waits for one of that method not taken yet. */
function recordNotifications(peer)
{
	const received = [];
	let taken = 0;

	peer.on('notify', (notification, seq) => received.push({ notification, seq }));

	return {
		received,
		async next(method, timeoutMs = DEFAULT_TIMEOUT_MS)
		{
			const deadline = Date.now() + timeoutMs;

			for (;;)
			{
				const index = received.findIndex((entry, i) => i >= taken && entry.notification.method === method);

				if (index >= 0)
				{
					taken = index + 1;

					return received[index];
				}

				if (Date.now() > deadline)
					throw new Error(`no "${method}" notification within ${timeoutMs} ms; received: ${received.map((entry) => entry.notification.method).join(', ') || 'nothing'}`);

				await nextEvent(peer, 'notify', () => true, Math.max(1, deadline - Date.now())).catch(() => {});
			}
		}
	};
}



/** Resolves once `coordinator` is connected; fails with the reason of its first failed attempt instead. */
function connected(coordinator, timeoutMs = DEFAULT_TIMEOUT_MS)
{
	if (coordinator.connected)
		return Promise.resolve();

	return new Promise((resolve, reject) =>
	{
		const timer = setTimeout(() => finish(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
		const onOpen = () => finish(null);
		const onDisconnected = (reason) => finish(new Error(`the frontend endpoint could not be reached: ${reason}`));
		const finish = (error) =>
		{
			clearTimeout(timer);
			coordinator.removeListener('open', onOpen);
			coordinator.removeListener('disconnected', onDisconnected);
			if (error)
				reject(error);
			else
				resolve();
		};

		coordinator.on('open', onOpen);
		coordinator.on('disconnected', onDisconnected);
	});
}
module.exports = { connected, nextEvent, recordNotifications };
