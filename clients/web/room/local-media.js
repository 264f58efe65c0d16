// The page's own camera and microphone (getUserMedia), with what went wrong in words.
import { describeMediaError } from './media-errors.js';

// A modest size: every other peer decodes it, and simulcast adds smaller layers below it.
const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } };

async function capture(kind)
{
	const stream = await navigator.mediaDevices.getUserMedia(
		kind === 'audio' ? { audio: true } : { video: VIDEO_CONSTRAINTS });

	return stream.getTracks()[0];
}

/**
 * Opens what is wanted ({ audio, video } booleans). Both at once first (one permission prompt);
 * if that fails, each alone, so a refused camera still leaves the microphone.
 * Returns { tracks: { audio, video } (null when not opened), problems: [message] }.
 */
export async function openLocalMedia({ audio, video })
{
	const tracks = { audio: null, video: null };
	const problems = [];

	if (audio && video)
	{
		try
		{
			const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO_CONSTRAINTS });

			tracks.audio = stream.getAudioTracks()[0] || null;
			tracks.video = stream.getVideoTracks()[0] || null;

			return { tracks, problems };
		}
		catch (error)
		{
			// Fall through: find out which of the two is the problem.
		}
	}

	for (const [ kind, wanted, what ] of [ [ 'audio', audio, 'microphone' ], [ 'video', video, 'camera' ] ])
	{
		if (!wanted)
			continue;

		try
		{
			tracks[kind] = await capture(kind);
		}
		catch (error)
		{
			problems.push(describeMediaError(error, what));
		}
	}

	return { tracks, problems };
}

export function stopTracks(tracks)
{
	for (const track of Object.values(tracks))
	{
		if (track)
			track.stop();
	}
}
