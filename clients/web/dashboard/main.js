// The operator dashboard: see docs/dashboard.md. Wiring only; the logic is in the modules
// it imports (access, api, dom, format, model, poller, token: unit-tested in
// clients/web/test/dashboard-*.test.mjs).
import { tokenRoom, tokenlessPossible } from './access.js';
import { createAdminApi } from './api.js';
import { reconcile } from './dom.js';
import { chooseRoom, clusterProblems, listingProblems, roomView, roomsOfCluster, roomsOfListing } from './model.js';
import { Poller } from './poller.js';
import { TokenStore } from './token.js';
import { clusterSection, messageList, roomSection, roomsSection, statusText } from './view.js';

const REFRESH_MS = 2000;

const element = (id) => document.getElementById(id);
const tokens = new TokenStore(window.sessionStorage);
const api = createAdminApi({ fetch: (...args) => window.fetch(...args), token: () => tokens.get() });

const state = {
	cluster        : null,
	rooms          : [],
	scopedRoom     : null,
	selectedRoomId : new URLSearchParams(window.location.hash.slice(1)).get('room'),
	room           : null,
	problems       : [],
	actionMessage  : null,
	updatedAt      : null,
	tokenless      : false,
	hidden         : document.hidden,
	stopped        : null,
	now            : Date.now()
};

const poller = new Poller({ poll: refresh, intervalMs: REFRESH_MS, isHidden: () => document.hidden });

const actions = {
	showRoom(roomId)
	{
		selectRoom(roomId);
		poller.refresh();
	},
	closeRoom(roomId, peers)
	{
		act(
			`Close room "${roomId}"? Its ${peers} ${peers === 1 ? 'peer is' : 'peers are'} told the room closed, their sockets end, and its media router closes.`,
			'Close room',
			() => api.closeRoom(roomId),
			`Room "${roomId}" closed.`);
	},
	removePeer(roomId, peerName)
	{
		act(
			`Remove peer "${peerName}" from room "${roomId}"? Its page is told it was removed and its socket ends; the others see it leave. It may join again with a valid token.`,
			'Remove peer',
			() => api.removePeer(roomId, peerName),
			`Peer "${peerName}" removed from room "${roomId}".`);
	},
	pauseProducer(roomId, peerName, producer)
	{
		act(
			`Pause the ${producer.kind} producer ${producer.id} of "${peerName}"? Its owner is told, its consumers stop receiving it, and only this dashboard (or the admin API) can resume it.`,
			'Pause',
			() => api.pauseProducer(roomId, producer.id),
			`Producer ${producer.id} of "${peerName}" paused.`);
	},
	resumeProducer(roomId, peerName, producer)
	{
		act(
			`Resume the ${producer.kind} producer ${producer.id} of "${peerName}"? Media flows again unless its owner paused it too.`,
			'Resume',
			() => api.resumeProducer(roomId, producer.id),
			`Producer ${producer.id} of "${peerName}" resumed.`);
	}
};

function selectRoom(roomId)
{
	if (state.selectedRoomId !== roomId)
		state.room = null;

	state.selectedRoomId = roomId;
	history.replaceState(null, '', roomId ? `#room=${encodeURIComponent(roomId)}` : window.location.pathname);
	render();
}

async function refresh()
{
	const problems = [];

	try
	{
		await refreshRooms(problems);
		await refreshRoom(problems);
		state.updatedAt = Date.now();
		state.tokenless = !tokens.get();
	}
	catch (error)
	{
		if (!handleFatal(error))
			problems.push(describe(error));
	}

	state.problems = problems;
	render();
}

async function refreshRooms(problems)
{
	const room = tokenRoom(tokens.get());

	// A token for one room may not see the cluster: ask for that room's listing alone.
	state.scopedRoom = room !== null && room !== '*' ? room : state.scopedRoom;

	if (!state.scopedRoom)
	{
		try
		{
			const cluster = await api.cluster();

			state.cluster = cluster;
			state.rooms = roomsOfCluster(cluster);
			problems.push(...clusterProblems(cluster).map((text) => ({ level: 'warning', text })));

			return;
		}
		catch (error)
		{
			if (error.kind !== 'forbidden' || !/ only; /.test(error.message))
				throw error;

			// A token for one room: the listing shows that room alone.
			state.scopedRoom = error.message.match(/room "(.*)" only/)?.[1] ?? 'one room';
			state.cluster = null;
		}
	}

	const listing = await api.rooms();

	state.rooms = roomsOfListing(listing);
	problems.push(...listingProblems(listing).map((text) => ({ level: 'warning', text })));
}

async function refreshRoom(problems)
{
	const chosen = chooseRoom(state.selectedRoomId, state.rooms);

	if (chosen !== state.selectedRoomId)
	{
		if (state.selectedRoomId)
			problems.push({ level: 'info', text: `Room "${state.selectedRoomId}" is not open any more.` });

		selectRoom(chosen);
	}

	if (!chosen)
	{
		state.room = null;

		return;
	}

	try
	{
		state.room = roomView(await api.room(chosen));
	}
	catch (error)
	{
		if (error.kind !== 'not-found')
			throw error;

		state.room = null;
		problems.push({ level: 'info', text: `Room "${chosen}" is not open any more.` });
	}
}

/** Errors that end polling until the operator acts: a missing or refused token, the API switched off. */
function handleFatal(error)
{
	switch (error.kind)
	{
		case 'unauthorized':
		{
			const hadToken = Boolean(tokens.get());

			tokens.clear();
			askForToken(hadToken
				? `The server refused the admin token: ${error.message}. Enter another one.`
				: 'This gateway needs an admin token (it is not in development mode).');

			return true;
		}
		case 'forbidden':
			if (/admin grant/.test(error.message))
			{
				tokens.clear();
				askForToken(`That token cannot be used here: ${error.message}. An admin token carries the "admin" grant.`);

				return true;
			}

			return false;
		case 'off':
			stop(`The admin API is switched off on this gateway (Gateway:Admin:Enabled=false): there is nothing to show. Use a gateway that serves it.`);

			return true;
		default:
			return false;
	}
}

function describe(error)
{
	switch (error.kind)
	{
		case 'unreachable':
			return { level: 'error', text: `Cannot reach the gateway: ${error.message}. Retrying every 2 s; what is shown may be stale.` };
		case 'timeout':
			return { level: 'error', text: `The cluster did not answer in time: ${error.message}. What is shown may be stale.` };
		default:
			return { level: 'error', text: `The admin API failed: ${error.message}${error.status ? ` (${error.status})` : ''}.` };
	}
}

function stop(message)
{
	poller.stop();
	state.stopped = message;
	render();
}

function askForToken(reason)
{
	poller.stop();
	state.stopped = 'Waiting for an admin token.';
	element('token-reason').textContent = reason;
	element('token-form').hidden = false;
	element('token-input').value = '';
	element('token-input').focus();
	render();
}

element('token-form').addEventListener('submit', (event) =>
{
	event.preventDefault();
	if (!tokens.set(element('token-input').value))
		return;

	element('token-input').value = '';
	element('token-form').hidden = true;
	state.stopped = null;
	state.scopedRoom = null;
	poller.start();
});

element('forget-token').addEventListener('click', () =>
{
	tokens.clear();
	window.location.reload();
});

/** Asks in a modal dialog; resolves true when confirmed. */
function confirmAction(text, confirmLabel)
{
	const dialog = element('confirm');

	element('confirm-text').textContent = text;
	element('confirm-ok').textContent = confirmLabel;
	dialog.returnValue = '';
	dialog.showModal();

	return new Promise((resolve) =>
	{
		dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
	});
}

async function act(question, confirmLabel, run, done)
{
	if (!await confirmAction(question, confirmLabel))
		return;

	try
	{
		await run();
		state.actionMessage = { level: 'info', text: done };
	}
	catch (error)
	{
		state.actionMessage = handleFatal(error) ? null : { level: 'error', text: `${confirmLabel} failed: ${error.message}` };
	}

	render();
	poller.refresh();
}

function render()
{
	state.now = Date.now();
	state.hidden = document.hidden;
	element('status').textContent = statusText(state);
	element('forget-token').hidden = !tokens.get();
	reconcile(element('messages'), messageList([ ...(state.actionMessage ? [ state.actionMessage ] : []), ...state.problems ]));
	reconcile(element('cluster'), clusterSection(state));
	reconcile(element('rooms'), roomsSection(state, actions));
	reconcile(element('room'), roomSection(state, actions));
}

document.addEventListener('visibilitychange', () =>
{
	poller.visibilityChanged();
	render();
});

render();

if (!tokens.get() && !tokenlessPossible(window.location.hostname))
	askForToken('This gateway needs an admin token.');
else
	poller.start();
