// Number formatting for the dashboard (no DOM).

const BITRATE_UNITS = [ 'bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s' ];
const BYTE_UNITS = [ 'B', 'KiB', 'MiB', 'GiB', 'TiB' ];

function scaled(value, base, units)
{
	let index = 0;

	while (Math.abs(value) >= base && index < units.length - 1)
	{
		value /= base;
		index++;
	}

	const digits = index === 0 || value >= 100 ? 0 : 1;

	return `${value.toFixed(digits)} ${units[index]}`;
}

/** Bits per second, e.g. "37.2 kbit/s"; "—" when unknown. */
export function formatBitrate(bitsPerSecond)
{
	return Number.isFinite(bitsPerSecond) ? scaled(bitsPerSecond, 1000, BITRATE_UNITS) : '—';
}

/** Bytes in binary units, e.g. "24.5 MiB"; "—" when unknown. */
export function formatBytes(bytes)
{
	return Number.isFinite(bytes) ? scaled(bytes, 1024, BYTE_UNITS) : '—';
}

/** A CPU share of one core, e.g. "3.5 %"; "—" when not measured yet. */
export function formatPercent(percent)
{
	return Number.isFinite(percent) ? `${percent.toFixed(1)} %` : '—';
}

/** A count with thousands separated by thin spaces, e.g. "12 345". */
export function formatCount(count)
{
	return Number.isFinite(count) ? Math.round(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : '—';
}

/** How long ago an ISO time was, e.g. "3 s ago", "5 min ago", "2 h ago". */
export function formatAge(iso, now = Date.now())
{
	const then = Date.parse(iso);

	if (!Number.isFinite(then))
		return '—';

	const seconds = Math.max(0, Math.round((now - then) / 1000));

	if (seconds < 60)
		return `${seconds} s ago`;
	if (seconds < 3600)
		return `${Math.floor(seconds / 60)} min ago`;
	if (seconds < 86400)
		return `${Math.floor(seconds / 3600)} h ago`;

	return `${Math.floor(seconds / 86400)} d ago`;
}
