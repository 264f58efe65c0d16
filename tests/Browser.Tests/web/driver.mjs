#!/usr/bin/env node
// Drives test pages in Debian's headless Chromium for the C# tests (BrowserDriver.cs).
//
//   node driver.mjs --chromium /usr/bin/chromium --gateway ws://127.0.0.1:PORT [--verbose]
//
// Protocol: JSON lines. stdout carries only protocol lines; all logs go to stderr.
//   driver -> {"ready":true,"pageUrl":"http://127.0.0.1:N/"}                      once the browser runs
//   test   -> {"id":1,"op":"open","page":"alice"}                                  new tab for peer "alice"
//   test   -> {"id":2,"op":"call","page":"alice","fn":"join","args":["r","alice"],"timeoutMs":20000}
//   test   -> {"id":3,"op":"log","page":"alice"}      -> {events:[...], errors:[...]} kept across reloads
//   test   -> {"id":4,"op":"reload","page":"alice"} / {"op":"close","page":"alice"} / {"op":"quit"}
//   test   -> {"id":5,"op":"open","page":"ann","url":"http://127.0.0.1:N/?roomId=r"}   any page (the room page):
//             no window.test; its console errors count as client errors
//   test   -> {"id":6,"op":"evaluate","page":"ann","expression":"window.roomPageState"}  -> the JSON value
//   test   -> {"id":7,"op":"click","page":"ann","selector":"#join"}
//   test   -> {"id":8,"op":"screenshot","page":"ann","path":"/abs/file.png"}            ("fullPage":true: the whole page)
//   driver -> {"id":N,"ok":true,"result":...} or {"id":N,"ok":false,"error":"..."}
// Every operation has a timeout, and the driver quits when stdin closes, so nothing outlives the test.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_TIMEOUT_MS = 20000;
const LAUNCH_TIMEOUT_MS = 30000;

// Chromium with a fake camera and microphone, granted without a permission prompt, and none of its
// own background traffic (component updates, sync, QUIC) on the network.
const CHROMIUM_ARGS =
[
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--use-fake-ui-for-media-stream',
	'--use-fake-device-for-media-stream',
	// Chromium limits SDP-munged ("legacy") simulcast by resolution: a 640x480 camera gets only two of
	// mediasoup-client's three layers. The tests need all three (160, 320 and 640 pixels wide).
	'--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/'
];

const { values: options } = parseArgs(
	{
		options :
		{
			chromium : { type: 'string', default: '/usr/bin/chromium' },
			gateway  : { type: 'string' },
			verbose  : { type: 'boolean', default: false }
		}
	});

if (!options.gateway)
{
	log('driver', 'missing --gateway ws://host:port');
	process.exit(2);
}

// Per page name: the Playwright page and its log (which outlives reloads).
const pages = new Map();
const namesByPage = new WeakMap();
let context = null;
let server = null;
let userDataDir = null;
let shuttingDown = false;

function log(name, text)
{
	process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] [${name}] ${text}\n`);
}

function send(message)
{
	process.stdout.write(`${JSON.stringify(message)}\n`);
}

function withTimeout(promise, timeoutMs, what)
{
	let timer;
	const timeout = new Promise((resolve, reject) =>
	{
		timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
	});

	return Promise.race([ promise, timeout ]).finally(() => clearTimeout(timer));
}

// Serves index.html and the bundle from http://127.0.0.1:<port>, which is a secure context (getUserMedia).
function startStaticServer()
{
	const files =
	{
		'/'                  : [ 'index.html', 'text/html; charset=utf-8' ],
		'/index.html'        : [ 'index.html', 'text/html; charset=utf-8' ],
		'/dist/app.js'       : [ 'dist/app.js', 'text/javascript; charset=utf-8' ],
		'/dist/app.js.map'   : [ 'dist/app.js.map', 'application/json' ]
	};

	const httpServer = http.createServer((request, response) =>
	{
		const file = files[new URL(request.url, 'http://localhost').pathname];

		if (!file)
		{
			response.writeHead(404).end();

			return;
		}

		fs.readFile(path.join(WEB_DIR, file[0]), (error, body) =>
		{
			if (error)
			{
				response.writeHead(500).end(String(error));

				return;
			}

			response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body);
		});
	});

	return new Promise((resolve, reject) =>
	{
		httpServer.once('error', reject);
		httpServer.listen(0, '127.0.0.1', () => resolve(httpServer));
	});
}

function pageUrl(name)
{
	const query = new URLSearchParams({ page: name, gateway: options.gateway });

	if (options.verbose)
		query.set('debug', 'mediasoup-client*,protoo-client*');

	return `http://127.0.0.1:${server.address().port}/index.html?${query}`;
}

function entryFor(name)
{
	const entry = pages.get(name);

	if (!entry)
		throw new Error(`no page named "${name}" (open it first)`);

	return entry;
}

async function waitForTestApi(page)
{
	await page.waitForFunction(() => window.test && window.test.ready === true, null, { timeout: DEFAULT_TIMEOUT_MS });
}

async function openPage(name, url)
{
	if (pages.has(name))
		throw new Error(`page "${name}" is already open`);

	const page = await context.newPage();
	const entry = { page, events: [], errors: [] };

	pages.set(name, entry);
	namesByPage.set(page, name);
	page.on('console', (message) =>
	{
		log(name, `console.${message.type()}: ${message.text()}`);

		// The test page reports its own console errors (report.js); any other page is watched here,
		// which also catches what the browser itself logs, such as Content-Security-Policy refusals.
		if (url && message.type() === 'error')
			entry.errors.push({ source: 'console.error', message: message.text(), at: Date.now() });
	});
	page.on('pageerror', (error) =>
	{
		log(name, `pageerror: ${error.stack || error.message}`);
		entry.errors.push({ source: 'pageerror', message: error.stack || error.message, at: Date.now() });
	});
	page.on('crash', () => entry.errors.push({ source: 'crash', message: 'the page crashed', at: Date.now() }));

	if (url)
	{
		await page.goto(url);

		return { url: page.url() };
	}

	await page.goto(pageUrl(name));
	await waitForTestApi(page);

	return { url: page.url(), device: await page.evaluate(() => window.test.device) };
}

async function callPage(name, fn, args, timeoutMs)
{
	const { page } = entryFor(name);

	return withTimeout(
		page.evaluate(([ method, methodArgs ]) =>
		{
			if (typeof window.test[method] !== 'function')
				throw new Error(`window.test.${method} is not a function`);

			return window.test[method](...methodArgs);
		}, [ fn, args || [] ]),
		timeoutMs,
		`${name}: test.${fn}()`);
}

async function reloadPage(name)
{
	const entry = entryFor(name);

	entry.events.push({ type: 'reloaded', at: Date.now() });
	await entry.page.reload();
	await waitForTestApi(entry.page);

	return true;
}

async function closePage(name)
{
	const entry = entryFor(name);

	pages.delete(name);
	await entry.page.close();

	return true;
}

async function handle(command)
{
	const timeoutMs = command.timeoutMs || DEFAULT_TIMEOUT_MS;

	switch (command.op)
	{
		case 'open': return withTimeout(openPage(command.page, command.url), timeoutMs, `open ${command.page}`);
		case 'evaluate': return withTimeout(entryFor(command.page).page.evaluate(command.expression), timeoutMs, `${command.page}: evaluate`);
		case 'click': return withTimeout(entryFor(command.page).page.click(command.selector).then(() => true), timeoutMs, `${command.page}: click ${command.selector}`);
		case 'screenshot': return withTimeout(entryFor(command.page).page.screenshot({ path: command.path, fullPage: command.fullPage === true }).then(() => command.path), timeoutMs, `${command.page}: screenshot`);
		case 'call': return callPage(command.page, command.fn, command.args, timeoutMs);
		case 'log': return { events: entryFor(command.page).events, errors: entryFor(command.page).errors };
		case 'reload': return withTimeout(reloadPage(command.page), timeoutMs, `reload ${command.page}`);
		case 'close': return withTimeout(closePage(command.page), timeoutMs, `close ${command.page}`);
		case 'quit': setImmediate(() => shutdown(0)); return true;
		default: throw new Error(`unknown op "${command.op}"`);
	}
}

async function shutdown(code)
{
	if (shuttingDown)
		return;

	shuttingDown = true;

	try
	{
		if (context)
			await withTimeout(context.close(), 10000, 'closing the browser');
	}
	catch (error)
	{
		log('driver', `closing the browser failed: ${error.message}`);
	}

	if (server)
		server.close();

	if (userDataDir)
		fs.rmSync(userDataDir, { recursive: true, force: true });

	process.exit(code);
}

async function main()
{
	server = await startStaticServer();
	userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordinator-chromium-'));
	context = await chromium.launchPersistentContext(userDataDir,
		{
			executablePath : options.chromium,
			headless       : true,
			args           : CHROMIUM_ARGS,
			timeout        : LAUNCH_TIMEOUT_MS
		});
	context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
	context.on('close', () =>
	{
		if (!shuttingDown)
		{
			log('driver', 'the browser closed unexpectedly');
			shutdown(1);
		}
	});

	// report.js calls this from every page; the driver keeps the log per page name.
	await context.exposeBinding('__driverReport', ({ page }, entry) =>
	{
		const name = namesByPage.get(page);
		const target = name && pages.get(name);

		if (!target)
			return;

		// Echoed to the log so a failing test's output tells the story without --verbose.
		if (entry.kind === 'event')
		{
			target.events.push(entry.event);
			log(name, `event ${JSON.stringify(entry.event)}`);
		}
		else if (entry.kind === 'error')
		{
			target.errors.push(entry.error);
			log(name, `CLIENT ERROR [${entry.error.source}] ${entry.error.message}`);
		}
	});

	send({ ready: true, pageUrl: `http://127.0.0.1:${server.address().port}/`, browserVersion: context.browser()?.version() ?? null });

	const lines = readline.createInterface({ input: process.stdin });

	lines.on('line', async (line) =>
	{
		if (!line.trim())
			return;

		let command;

		try
		{
			command = JSON.parse(line);
		}
		catch (error)
		{
			log('driver', `ignoring a line that is not JSON: ${line}`);

			return;
		}

		try
		{
			send({ id: command.id, ok: true, result: (await handle(command)) ?? null });
		}
		catch (error)
		{
			send({ id: command.id, ok: false, error: error.message || String(error) });
		}
	});

	// The test process went away (or closed our stdin): take the browser down with us.
	lines.on('close', () => shutdown(0));
}

process.on('SIGTERM', () => shutdown(143));
process.on('SIGINT', () => shutdown(130));

main().catch((error) =>
{
	log('driver', `failed to start: ${error.stack || error.message}`);
	shutdown(1);
});
