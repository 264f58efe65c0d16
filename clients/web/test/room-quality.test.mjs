import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossPercent, qualityOf } from '../room/quality.js';

const outbound = (fields) => [ { type: 'inbound-rtp', fractionLost: 200 }, { type: 'outbound-rtp', bitrate: 600000, fractionLost: 0, roundTripTime: 20, ...fields } ];

test('fraction lost is read as RTCP fixed point (1/256), or as a fraction', () =>
{
	assert.equal(lossPercent(0), 0);
	assert.equal(lossPercent(undefined), 0);
	assert.equal(lossPercent(64), 25);
	assert.equal(lossPercent(0.05), 5);
});

test('no stats yet is unknown, profile none is poor', () =>
{
	assert.deepEqual(qualityOf(null, null), { level: 'unknown', bars: 0, summary: 'no statistics yet' });
	assert.equal(qualityOf(outbound({}), 'none').level, 'poor');
});

test('the outbound stream decides: loss, round trip and bitrate', () =>
{
	assert.equal(qualityOf(outbound({}), 'default').level, 'good');
	assert.equal(qualityOf(outbound({ fractionLost: 8 }), 'default').level, 'fair');   // 3.1 %
	assert.equal(qualityOf(outbound({ fractionLost: 30 }), 'default').level, 'poor');  // 11.7 %
	assert.equal(qualityOf(outbound({ roundTripTime: 300 }), 'default').level, 'fair');
	assert.equal(qualityOf(outbound({ roundTripTime: 800 }), 'default').level, 'poor');
	assert.equal(qualityOf(outbound({ bitrate: 0 }), 'default').level, 'poor');
});

test('the inbound entry (the sender\'s side) does not count against this receiver', () =>
{
	assert.equal(qualityOf(outbound({}), null).level, 'good');
});

test('a simulcast stream below its best layer is at most fair', () =>
{
	assert.equal(qualityOf(outbound({}), 'high').level, 'good');
	assert.equal(qualityOf(outbound({}), 'medium').level, 'fair');
	assert.equal(qualityOf(outbound({ fractionLost: 30 }), 'low').level, 'poor');
});

test('the summary says what the level is made of', () =>
{
	assert.equal(qualityOf(outbound({ fractionLost: 8, roundTripTime: 12.4 }), 'medium').summary,
		'600 kbit/s, 3.1 % lost, 12 ms round trip, layer medium');
	assert.equal(qualityOf([ { type: 'outbound-rtp', bitrate: 1000 } ], 'default').summary, '1 kbit/s, 0.0 % lost');
});
