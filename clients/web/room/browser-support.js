// What this browser can do, decided from facts the page gathers (no DOM access here).

/**
 * Why this browser cannot take part at all, or null: { hasPeerConnection, deviceSupported } are
 * whether RTCPeerConnection exists and whether mediasoup-client found a handler for the browser.
 */
export function unsupportedReason({ hasPeerConnection, deviceSupported })
{
	if (!hasPeerConnection)
		return 'This browser has no WebRTC (RTCPeerConnection is missing or disabled), so it cannot join a call.';

	if (!deviceSupported)
		return 'This browser is not supported by mediasoup-client 2 (a recent Chrome, Chromium, Firefox or Safari is).';

	return null;
}

/** Why the camera and microphone cannot be asked for at all, or null. */
export function mediaUnavailableReason({ secureContext, hasMediaDevices })
{
	if (!secureContext)
		return 'The camera and microphone need a secure page: open it over https://, or as http://127.0.0.1 or http://localhost.';

	if (!hasMediaDevices)
		return 'This browser gives this page no access to cameras and microphones.';

	return null;
}

// mediasoup-client 2's device flags whose handlers send simulcast: the Chrome handlers (Chrome,
// Chromium, Opera) munge the SDP, the Firefox handlers use RIDs; Safari's and Edge's do not.
const SIMULCAST_FLAGS = new Set([ 'chrome', 'opera', 'firefox' ]);

/** Whether to send the camera as simulcast, from mediasoup-client's device flag. */
export function simulcastSupported(deviceFlag)
{
	return SIMULCAST_FLAGS.has(deviceFlag);
}
