import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Poller } from '../dashboard/poller.js';

/** Timers the test fires by hand. */
function manualTimers()
{
	const pending = new Map();
	let next = 1;

	return {
		pending,
		setTimer   : (callback, ms) => { const id = next++; pending.set(id, { callback, ms }); return id; },
		clearTimer : (id) => pending.delete(id),
		fire       : () =>
		{
			const [ [ id, { callback } ] ] = pending;

			pending.delete(id);
			callback();
		}
	};
}

function deferred()
{
	let resolve;
	const promise = new Promise((r) => { resolve = r; });

	return { promise, resolve };
}

test('polls at once, then an interval after each poll ends', async () =>
{
	const timers = manualTimers();
	let polls = 0;
	const poller = new Poller({ poll: async () => { polls++; }, intervalMs: 2000, isHidden: () => false, ...timers });

	await poller.start();
	assert.equal(polls, 1);
	assert.equal(timers.pending.size, 1);
	assert.equal([ ...timers.pending.values() ][0].ms, 2000);

	timers.fire();
	await poller.settled();
	assert.equal(polls, 2);
	assert.equal(timers.pending.size, 1, 'one timer at a time');
});

test('never two polls at once: a refresh during a poll runs once right after it', async () =>
{
	const timers = manualTimers();
	const first = deferred();
	let polls = 0;
	let running = 0;
	let most = 0;
	const poller = new Poller({
		poll : async () =>
		{
			polls++;
			running++;
			most = Math.max(most, running);
			if (polls === 1)
				await first.promise;
			running--;
		},
		intervalMs : 2000,
		isHidden   : () => false,
		...timers
	});

	const started = poller.start();
	poller.refresh();
	poller.refresh();
	first.resolve();
	await started;

	assert.equal(polls, 2, 'the refreshes asked during the poll are one more poll');
	assert.equal(most, 1);
	assert.equal(timers.pending.size, 1);
});

test('hidden: no polling and no timer; shown again: polls at once', async () =>
{
	const timers = manualTimers();
	let hidden = false;
	let polls = 0;
	const poller = new Poller({ poll: async () => { polls++; }, intervalMs: 2000, isHidden: () => hidden, ...timers });

	await poller.start();
	hidden = true;
	poller.visibilityChanged();
	assert.equal(timers.pending.size, 0);
	assert.equal(poller.paused, true);
	await poller.refresh();
	assert.equal(polls, 1);

	hidden = false;
	await poller.visibilityChanged();
	assert.equal(polls, 2);
	assert.equal(timers.pending.size, 1);
});

test('stopped: the timer goes and refreshes do nothing', async () =>
{
	const timers = manualTimers();
	let polls = 0;
	const poller = new Poller({ poll: async () => { polls++; }, intervalMs: 2000, isHidden: () => false, ...timers });

	await poller.start();
	poller.stop();
	await poller.refresh();

	assert.equal(polls, 1);
	assert.equal(timers.pending.size, 0);
	assert.equal(poller.running, false);
});
