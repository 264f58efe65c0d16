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
 * range that first appear in a received frame are server-chosen: each distinct value becomes
 * "<n1>", "<n2>", ... in order of appearance, also where the client sends it back later.
 */
function normalise(events, { keepSeq = false } = {})
{
	const numbers = new Map();
	const clientNumbers = new Set();
	const out = [];

	for (const event of events)
	{
		let line;

		if (event.frame !== undefined || (event.raw !== undefined && event.kind !== 'binary'))
		{
			let value = event.frame;

			if (value === undefined)
			{
				try { value = JSON.parse(event.raw); }
				catch (e) { value = undefined; }
			}
			if (value === undefined)
			{
				line = `(not JSON) ${truncate(event.raw, 120)}`;
			}
			else
			{
				const received = event.dir === '<';

				if (!received)
					collectNumbers(value, clientNumbers, numbers);
				value = rewrite(value, { received, numbers, clientNumbers, keepSeq, top: true });
				line = JSON.stringify(value);
			}
		}
		else
		{
			line = event.text !== undefined ? `[${event.kind}] ${event.text}` : `[${event.kind}] ${event.raw || ''}`;
		}
		out.push({ step: event.step, conn: event.conn, dir: event.dir, kind: event.kind, line });
	}

	return out;
}

function collectNumbers(value, clientNumbers, numbers)
{
	if (typeof value === 'number')
	{
		if (!numbers.has(value))
			clientNumbers.add(value);
	}
	else if (value && typeof value === 'object')
	{
		for (const item of Object.values(value))
			collectNumbers(item, clientNumbers, numbers);
	}
}

function rewrite(value, ctx, key, parentKey)
{
	if (typeof value === 'number')
	{
		if (Number.isInteger(value) && value >= SERVER_RANDOM_MIN && value <= SERVER_RANDOM_MAX)
		{
			if (numbers(ctx).has(value))
				return numbers(ctx).get(value);
			if (ctx.received && !ctx.clientNumbers.has(value))
			{
				const placeholder = `<n${numbers(ctx).size + 1}>`;

				numbers(ctx).set(value, placeholder);

				return placeholder;
			}
		}
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

function numbers(ctx)
{
	return ctx.numbers;
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

	return { same, report: out.join('\n') };
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
