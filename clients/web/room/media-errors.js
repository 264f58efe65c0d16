// What went wrong getting the camera or microphone, in words (getUserMedia's DOMException names).

/**
 * @param {{ name?: string, message?: string }} error - what getUserMedia threw
 * @param {string} what - "camera and microphone", "microphone", …
 */
export function describeMediaError(error, what)
{
	switch (error && error.name)
	{
		case 'NotAllowedError':
		case 'PermissionDeniedError':
			return `Access to the ${what} was refused. Allow it in the browser's site settings and join again.`;
		case 'NotFoundError':
		case 'DevicesNotFoundError':
			return `No ${what} was found.`;
		case 'NotReadableError':
		case 'TrackStartError':
			return `The ${what} is in use by another application or could not be started.`;
		case 'OverconstrainedError':
			return `The ${what} cannot capture in the requested format.`;
		case 'SecurityError':
			return `The browser does not allow the ${what} on this page.`;
		default:
			return `The ${what} could not be opened${error && error.message ? `: ${error.message}` : ''}.`;
	}
}
