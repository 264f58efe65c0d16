// Imported first by app.js, so it runs before any library module is evaluated. That order matters:
// the `debug` module reads localStorage.debug when it loads, and mediasoup-client / protoo-client bind
// console.info/warn/error into their loggers when their modules load.
import { reportError } from './report.js';

const query = new URLSearchParams(location.search);

// Errors and warnings are always on: the tests require zero client errors, so they must be visible.
// ?debug=<namespaces> (the driver's --verbose) turns on the full debug output.
localStorage.debug = query.get('debug')
	|| 'mediasoup-client:ERROR*,mediasoup-client:WARN*,protoo-client:ERROR*,protoo-client:WARN*';

// The debug module writes "%c" colour directives and "%o" placeholders; rewrite every console line
// into plain text so the driver's log (and its error list) is readable.
for (const level of [ 'debug', 'log', 'info', 'warn', 'error' ])
{
	const original = console[level].bind(console);

	console[level] = (...args) =>
	{
		const text = formatConsoleArguments(args);

		original(text);

		if (level === 'error')
			reportError('console.error', text);
	};
}

function formatConsoleArguments(args)
{
	if (typeof args[0] !== 'string')
		return args.map(describe).join(' ');

	const rest = args.slice(1);
	const head = args[0].replace(/%([csdifoOj%])/g, (match, directive) =>
	{
		if (directive === '%')
			return '%';

		if (rest.length === 0)
			return match;

		const value = rest.shift();

		return directive === 'c' ? '' : describe(value);
	});

	return [ head, ...rest.map(describe) ].join(' ').trim();
}

export function describe(value)
{
	if (value instanceof Error)
		return value.stack || `${value.name}: ${value.message}`;

	if (typeof value === 'string')
		return value;

	try
	{
		const json = JSON.stringify(value, (key, nested) => (nested instanceof Error ? String(nested) : nested));

		return json === undefined ? String(value) : truncate(json, 2000);
	}
	catch (error)
	{
		return String(value);
	}
}

function truncate(text, limit)
{
	return text.length <= limit ? text : `${text.slice(0, limit)}…(${text.length - limit} more)`;
}
