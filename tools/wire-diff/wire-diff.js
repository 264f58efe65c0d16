#!/usr/bin/env node
'use strict';

// wire-diff: runs named frame scripts (cases) against two mediasoup v2 servers that speak the
// demo v2 wire contract (protoo over WebSocket) and prints both servers' answers side by side.
// Values a server picks at random are replaced by placeholders before comparing.
//
//   node tools/wire-diff/wire-diff.js [options] [FILTER ...]
//
// See docs/protocol.md ("Checking the rules against the reference") for how to start the servers.

const path = require('path');
const fs = require('fs');
const { Session } = require('./lib/session');
const { normalise, compare } = require('./lib/compare');

const USAGE = `usage: node wire-diff.js [options] [FILTER ...]

Runs the cases that match a FILTER (all cases when none is given): a FILTER without "/" is a
group (see --list), one with "/" is any part of "group/name", e.g. "join/spies" or "/takeover".
Each case runs against server A and server B; the tool prints, step by step, what each
connection sent and what it received from each server: "=" where both answered the same, the
server's name where they differ.

options:
  --a NAME=URL        server A (default ref=ws://127.0.0.1:4650)
  --b NAME=URL        server B (default coordinator=ws://127.0.0.1:4600)
  --quiet-ms N        a step ends when nothing was sent or received for N ms (default 150)
  --timeout-ms N      longest wait for one response (default 10000)
  --width N           cut printed frames to N characters (default 160; differing frames are never cut)
  --full              never cut frames
  --only-diff         print only the cases whose answers differ
  --keep-seq          keep Coordinator's "seq" field of server notifications (removed by default)
  --raw               compare received frames as raw text, without placeholders (e.g. to see how
                      request ids are echoed); random values then always differ
  --unsafe            also run the cases marked unsafe (they crash the reference server)
  --list              list the cases and exit
  --json FILE         also write every case's normalised transcripts to FILE

exit status: 0 when every case answered the same on both servers, 1 otherwise, 2 on bad usage.`;

function parseArgs(argv)
{
	const options = {
		a         : { name: 'ref', url: 'ws://127.0.0.1:4650' },
		b         : { name: 'coordinator', url: 'ws://127.0.0.1:4600' },
		quietMs   : 150,
		timeoutMs : 10000,
		width     : 160,
		full      : false,
		onlyDiff  : false,
		keepSeq   : false,
		raw       : false,
		unsafe    : false,
		list      : false,
		json      : null,
		filters   : []
	};

	for (let i = 0; i < argv.length; i++)
	{
		const arg = argv[i];
		const next = () =>
		{
			if (i + 1 >= argv.length)
				usage(`${arg} needs a value`);

			return argv[++i];
		};

		switch (arg)
		{
			case '--a': case '--b':
			{
				const value = next();
				const at = value.indexOf('=');

				options[arg.slice(2)] = at > 0 ?
					{ name: value.slice(0, at), url: value.slice(at + 1) } :
					{ name: arg.slice(2).toUpperCase(), url: value };
				break;
			}
			case '--quiet-ms': options.quietMs = Number(next()); break;
			case '--timeout-ms': options.timeoutMs = Number(next()); break;
			case '--width': options.width = Number(next()); break;
			case '--full': options.full = true; break;
			case '--only-diff': options.onlyDiff = true; break;
			case '--keep-seq': options.keepSeq = true; break;
			case '--raw': options.raw = true; break;
			case '--unsafe': options.unsafe = true; break;
			case '--list': options.list = true; break;
			case '--json': options.json = next(); break;
			case '-h': case '--help': console.log(USAGE); process.exit(0); break;
			default:
				if (arg.startsWith('-'))
					usage(`unknown option ${arg}`);
				options.filters.push(arg);
		}
	}

	return options;
}

function usage(message)
{
	console.error(`${message}\n\n${USAGE}`);
	process.exit(2);
}

function loadCases()
{
	const dir = path.join(__dirname, 'cases');
	const cases = [];

	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort())
	{
		const group = path.basename(file, '.js').replace(/^\d+-/, '');

		for (const c of require(path.join(dir, file)))
			cases.push(Object.assign({ group, id: `${group}/${c.name}` }, c));
	}

	return cases;
}

/** A FILTER without "/" names a group; with "/" it is a part of "group/name". */
function matches(c, filter)
{
	return filter.includes('/') ? c.id.includes(filter) : c.group === filter;
}

async function runCase(c, server, runTag, options)
{
	const room = `wd-${runTag}-${c.id.replace(/[^A-Za-z0-9]+/g, '-')}`;
	const session = new Session({ name: server.name, url: server.url, room, quietMs: options.quietMs, timeoutMs: options.timeoutMs });

	try
	{
		await c.run(session);
		await session.settle();
	}
	catch (error)
	{
		session._record(null, '!', 'script-error', { text: String(error && error.stack || error) });
	}
	await session.closeAll();

	return session;
}

async function main()
{
	const options = parseArgs(process.argv.slice(2));
	const cases = loadCases()
		.filter((c) => options.filters.length === 0 || options.filters.some((f) => matches(c, f)))
		.filter((c) => options.unsafe || !c.unsafe || options.list);

	if (options.list)
	{
		for (const c of cases)
			console.log(`${c.id}${c.differs ? '   (known difference)' : ''}${c.unsafe ? '   (unsafe: runs only with --unsafe)' : ''}`);

		return 0;
	}
	const runTag = Date.now().toString(36);
	const results = [];

	console.log(`A = ${options.a.name} ${options.a.url}\nB = ${options.b.name} ${options.b.url}\n`);
	for (const c of cases)
	{
		const [ sa, sb ] = await Promise.all([ runCase(c, options.a, runTag, options), runCase(c, options.b, runTag, options) ]);
		const la = normalise(sa.events, options);
		const lb = normalise(sb.events, options);
		const { same, timingOnly, report } = compare(la, lb, { nameA: options.a.name, nameB: options.b.name, width: options.width, full: options.full });

		results.push({ id: c.id, same, differs: c.differs, a: la, b: lb });
		if (options.onlyDiff && same)
			continue;
		const verdict = same ? (timingOnly ? 'SAME (each connection got the same frames; some arrived a step later)' : 'SAME') : 'DIFFERENT';
		const known = c.differs ? (same ? ' (a known difference, now gone)' : ' (known difference)') : '';

		console.log(`=== ${c.id}: ${verdict}${known}`);
		if (c.about)
			console.log(`    ${c.about}`);
		if (!same && c.differs)
			console.log(`    known: ${c.differs}`);
		console.log(report);
		console.log('');
	}
	const different = results.filter((r) => !r.same);

	console.log(`${results.length} cases: ${results.length - different.length} same, ${different.length} different`);
	for (const r of different)
		console.log(`  different: ${r.id}${r.differs ? ' (known)' : ''}`);
	if (options.json)
		fs.writeFileSync(options.json, JSON.stringify(results, null, 1));

	return different.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) =>
{
	console.error(error);
	process.exit(2);
});
