'use strict';

// Turns a session's events into comparable lines: values the server picks at random (consumer
// ids, SSRCs, ICE credentials, fingerprints, ports, stats figures) are replaced by placeholders,
// then the two servers' lines are compared step by step and connection by connection.

const SERVER_RANDOM_MIN = 10000000;
const SERVER_RANDOM_MAX = 99999999;

// Stats values worth comparing as they are; every other stats leaf becomes its type.
const STATS_KEPT = new Set([ 'type', 'kind', 'mimeType', 'mediaType', 'dtlsState', 'iceConnectionState', 'protocol' ]);

/**
 * Returns [{ step, conn, dir, kind, line }] with placeholders. Numbers in the servers' random
 * range that a server mentioned before any client sent them are server-chosen: each distinct
 * value becomes "<n1>", "<n2>", ..., also where a client sends it back later.
 */
function normalise(events, { keepSeq = false, raw = false } = {})
{
	const parsed = events.map((event) => ({ event, value: parse(event) }));

	// Client-chosen numbers: those a client sent before any server mentioned them.
	const clientNumbers = new Set();
	const serverNumbers = new Set();

	for (const { event, value } of parsed)
	{
		if (value !== undefined)
			collectNumbers(value, event.dir === '<' ? serverNumbers : clientNumbers, event.dir === '<' ? clientNumbers : serverNumbers);
	}

	// Server-chosen numbers get placeholders connection by connection (in the order the
	// connections were opened), so that the interleaving of frames across connections, which
	// differs from run to run, does not change the numbering.
	const numbers = new Map();
	const order = [];

	for (const { event } of parsed)
	{
		if (event.conn && !order.includes(event.conn))
			order.push(event.conn);
	}
	for (const conn of order)
	{
		for (const { event, value } of parsed)
		{
			if (event.conn === conn && event.dir === '<' && value !== undefined)
				assignPlaceholders(value, clientNumbers, numbers);
		}
	}

	return parsed.map(({ event, value }) =>
	{
		let line;

		if (raw && event.dir === '<' && event.raw !== undefined)
		{
			line = event.raw;
		}
		else if (value !== undefined)
		{
			const rewritten = rewrite(value, { received: event.dir === '<', numbers, keepSeq, top: true });

			line = JSON.stringify(rewritten);
		}
		else if (event.raw !== undefined && event.kind !== 'binary' && event.frame === undefined)
		{
			line = `(not JSON) ${truncate(event.raw, 120)}`;
		}
		else
		{
			line = event.text !== undefined ? `[${event.kind}] ${event.text}` : `[${event.kind}] ${event.raw || ''}`;
		}

		return { step: event.step, conn: event.conn, dir: event.dir, kind: event.kind, line };
	});
}

function parse(event)
{
	if (event.frame !== undefined)
		return event.frame;
	if (event.raw === undefined || event.kind === 'binary')
		return undefined;
	try { return JSON.parse(event.raw); }
	catch (e) { return undefined; }
}

function isServerRange(value)
{
	return Number.isInteger(value) && value >= SERVER_RANDOM_MIN && value <= SERVER_RANDOM_MAX;
}

function assignPlaceholders(value, clientNumbers, numbers)
{
	if (typeof value === 'number')
	{
		if (isServerRange(value) && !clientNumbers.has(value) && !numbers.has(value))
			numbers.set(value, `<n${numbers.size + 1}>`);
	}
	else if (value && typeof value === 'object')
	{
		for (const [ key, item ] of Object.entries(value))
		{
			if (key !== 'stats')
				assignPlaceholders(item, clientNumbers, numbers);
		}
	}
}

function collectNumbers(value, into, other)
{
	if (typeof value === 'number')
	{
		if (!other.has(value))
			into.add(value);
	}
	else if (value && typeof value === 'object')
	{
		for (const item of Object.values(value))
			collectNumbers(item, into, other);
	}
}

function rewrite(value, ctx, key, parentKey)
{
	if (typeof value === 'number')
	{
		if (ctx.numbers.has(value))
			return ctx.numbers.get(value);
		if (key === 'port')
			return '<port>';

		return value;
	}
	if (typeof value === 'string')
	{
		if (!ctx.received)
			return value;
		if (key === 'usernameFragment')
			return '<ice-ufrag>';
		if (key === 'password')
			return '<ice-pwd>';
		if (key === 'value' && parentKey === 'fingerprints[]')
			return '<fingerprint>';

		return value;
	}
	if (Array.isArray(value))
	{
		if (key === 'stats' && ctx.received)
			return value.map(statsShape);

		return value.map((item) => rewrite(item, ctx, `${key}[]`, key));
	}
	if (value && typeof value === 'object')
	{
		const result = {};

		for (const [ k, v ] of Object.entries(value))
		{
			if (ctx.top && ctx.received && k === 'seq' && !ctx.keepSeq && value.notification)
				continue;
			result[k] = rewrite(v, Object.assign({}, ctx, { top: false }), k, key);
		}

		return result;
	}

	return value;
}

function statsShape(entry)
{
	if (!entry || typeof entry !== 'object')
		return typeof entry;
	const shape = {};

	for (const key of Object.keys(entry).sort())
	{
		const v = entry[key];

		if (STATS_KEPT.has(key) && typeof v === 'string')
			shape[key] = v;
		else if (v && typeof v === 'object' && !Array.isArray(v))
			shape[key] = statsShape(v);
		else
			shape[key] = Array.isArray(v) ? 'array' : typeof v;
	}

	return shape;
}

/** Groups normalised events into steps: each step is what one connection sent, then what every connection received until the next send. */
function steps(lines)
{
	const byStep = new Map();

	for (const item of lines)
	{
		if (!byStep.has(item.step))
			byStep.set(item.step, { step: item.step, sent: [], received: new Map() });
		const step = byStep.get(item.step);

		if (item.dir === '>' || item.dir === '#')
		{
			step.sent.push(item);
		}
		else
		{
			if (!step.received.has(item.conn))
				step.received.set(item.conn, []);
			step.received.get(item.conn).push(item.line);
		}
	}

	return [ ...byStep.values() ].sort((a, b) => a.step - b.step);
}

/** Longest-common-subsequence diff of two line lists: [{ tag: '=' | 'a' | 'b', line }]. */
function diffLines(a, b)
{
	const n = a.length;
	const m = b.length;
	const table = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));

	for (let i = n - 1; i >= 0; i--)
	{
		for (let j = m - 1; j >= 0; j--)
			table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
	}
	const result = [];
	let i = 0;
	let j = 0;

	while (i < n && j < m)
	{
		if (a[i] === b[j]) { result.push({ tag: '=', line: a[i] }); i++; j++; }
		else if (table[i + 1][j] >= table[i][j + 1]) { result.push({ tag: 'a', line: a[i++] }); }
		else { result.push({ tag: 'b', line: b[j++] }); }
	}
	while (i < n) result.push({ tag: 'a', line: a[i++] });
	while (j < m) result.push({ tag: 'b', line: b[j++] });

	return result;
}

/** Compares two sessions' normalised lines; returns { same, report } where report is printable text. */
function compare(linesA, linesB, { nameA, nameB, width, full })
{
	const stepsA = steps(linesA);
	const stepsB = steps(linesB);
	const count = Math.max(stepsA.length, stepsB.length);
	const out = [];
	let same = true;
	const pad = Math.max(nameA.length, nameB.length);
	const tagA = nameA.padEnd(pad);
	const tagB = nameB.padEnd(pad);
	const tagSame = '='.padEnd(pad);

	for (let k = 0; k < count; k++)
	{
		const sa = stepsA[k] || { sent: [], received: new Map() };
		const sb = stepsB[k] || { sent: [], received: new Map() };

		for (const sent of sa.sent.length ? sa.sent : sb.sent)
		{
			if (sent.dir === '#')
				out.push(`  -- ${sent.line.replace(/^\[note\] /, '')}`);
			else
				out.push(`  ${sent.conn} > ${cut(sent.line, width, full)}`);
		}
		const conns = new Set([ ...sa.received.keys(), ...sb.received.keys() ]);

		for (const conn of conns)
		{
			const ra = sa.received.get(conn) || [];
			const rb = sb.received.get(conn) || [];

			for (const d of diffLines(ra, rb))
			{
				if (d.tag === '=')
				{
					out.push(`    ${conn} < ${tagSame} ${cut(d.line, width, full)}`);
				}
				else
				{
					same = false;
					out.push(`  ! ${conn} < ${d.tag === 'a' ? tagA : tagB} ${d.line}`);
				}
			}
			if (ra.length === 0 && rb.length === 0)
				continue;
		}
	}

	// Step by step the answers differ, but each connection received the same frames in the same
	// order: only the moment differed (a notification arrived after the next step had started).
	let timingOnly = false;

	if (!same && sameSequences(linesA, linesB))
	{
		same = true;
		timingOnly = true;
	}

	return { same, timingOnly, report: out.join('\n') };
}

function sameSequences(linesA, linesB)
{
	const byConn = (lines) =>
	{
		const map = new Map();

		for (const l of lines)
		{
			if (l.dir === '>' || l.dir === '#')
				continue;
			if (!map.has(l.conn))
				map.set(l.conn, []);
			map.get(l.conn).push(l.line);
		}

		return map;
	};
	const a = byConn(linesA);
	const b = byConn(linesB);

	if (a.size !== b.size)
		return false;
	for (const [ conn, list ] of a)
	{
		const other = b.get(conn);

		if (!other || other.length !== list.length || other.some((line, i) => line !== list[i]))
			return false;
	}

	return true;
}

function cut(line, width, full)
{
	return full ? line : truncate(line, width);
}

function truncate(text, width)
{
	text = String(text);

	return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

module.exports = { normalise, compare };
