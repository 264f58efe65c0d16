// A tile's quality indicator, from what the protocol reports about a consumer: the server's
// consumerStats (docs/protocol.md#stats; the `outbound-rtp` entry is the stream the server sends
// to this page, with the loss and round-trip time this page's browser reported back) and the
// effective simulcast profile (docs/protocol.md#simulcast-profiles).

const PROFILE_RANK = { none: 0, default: 1, low: 1, medium: 2, high: 3 };

/**
 * RTCP's fraction lost is a fixed-point number in 1/256 (0-255); accept a 0-1 fraction too.
 */
export function lossPercent(fractionLost)
{
	if (typeof fractionLost !== 'number' || fractionLost <= 0)
		return 0;

	return fractionLost <= 1 ? fractionLost * 100 : (fractionLost / 256) * 100;
}

/**
 * @param {object[]|null} stats - the `stats` array of the latest consumerStats, or null before any
 * @param {string|null} effectiveProfile - the consumer's effective profile
 * @returns {{ level: 'good'|'fair'|'poor'|'unknown', bars: number, summary: string }}
 */
export function qualityOf(stats, effectiveProfile)
{
	if (effectiveProfile === 'none')
		return { level: 'poor', bars: 1, summary: 'no stream can be sent to you now (profile none)' };

	const outbound = Array.isArray(stats) ? stats.find((entry) => entry && entry.type === 'outbound-rtp') : null;

	if (!outbound)
		return { level: 'unknown', bars: 0, summary: 'no statistics yet' };

	const loss = lossPercent(outbound.fractionLost);
	const rttMs = typeof outbound.roundTripTime === 'number' ? outbound.roundTripTime : null;
	const kbps = typeof outbound.bitrate === 'number' ? Math.round(outbound.bitrate / 1000) : null;
	const layer = effectiveProfile && effectiveProfile !== 'default' ? effectiveProfile : null;

	let bars = 3;

	if (loss >= 10 || (rttMs !== null && rttMs >= 500) || kbps === 0)
		bars = 1;
	else if (loss >= 2 || (rttMs !== null && rttMs >= 250))
		bars = 2;

	// A simulcast stream below its best layer is at most fair: the server stepped down for losses.
	if (layer && PROFILE_RANK[layer] < PROFILE_RANK.high)
		bars = Math.min(bars, 2);

	const parts = [];

	if (kbps !== null)
		parts.push(`${kbps} kbit/s`);

	parts.push(`${loss.toFixed(1)} % lost`);

	if (rttMs !== null)
		parts.push(`${Math.round(rttMs)} ms round trip`);

	if (layer)
		parts.push(`layer ${layer}`);

	return { level: [ 'unknown', 'poor', 'fair', 'good' ][bars], bars, summary: parts.join(', ') };
}
