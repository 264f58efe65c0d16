import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge, formatBitrate, formatBytes, formatCount, formatPercent } from '../dashboard/format.js';

test('bitrates scale by 1000 with one decimal below 100', () =>
{
	assert.equal(formatBitrate(0), '0 bit/s');
	assert.equal(formatBitrate(999), '999 bit/s');
	assert.equal(formatBitrate(37_240), '37.2 kbit/s');
	assert.equal(formatBitrate(2_500_000), '2.5 Mbit/s');
	assert.equal(formatBitrate(150_000), '150 kbit/s');
	assert.equal(formatBitrate(null), '—');
	assert.equal(formatBitrate(undefined), '—');
});

test('memory scales by 1024', () =>
{
	assert.equal(formatBytes(512), '512 B');
	assert.equal(formatBytes(25_690_112), '24.5 MiB');
	assert.equal(formatBytes(null), '—');
});

test('CPU, counts and ages', () =>
{
	assert.equal(formatPercent(3.456), '3.5 %');
	assert.equal(formatPercent(null), '—');
	assert.equal(formatCount(12345), '12\u2009345');
	assert.equal(formatCount(7), '7');
	const now = Date.parse('2026-12-06T12:00:00Z');
	assert.equal(formatAge('2026-12-06T11:59:57Z', now), '3 s ago');
	assert.equal(formatAge('2026-12-06T11:55:00Z', now), '5 min ago');
	assert.equal(formatAge('2026-12-06T09:00:00Z', now), '3 h ago');
	assert.equal(formatAge('2026-12-06T12:00:05Z', now), '0 s ago', 'a clock slightly ahead is not in the future');
	assert.equal(formatAge('not a time', now), '—');
});
