// Sends client-side events and errors to the driver (driver.mjs exposes window.__driverReport through
// Playwright's exposeBinding). The driver keeps them per page name, so they survive a page reload.
// Everything is also kept in window.testLog for a page opened by hand without the driver.

window.testLog = window.testLog || [];

function send(entry)
{
	window.testLog.push(entry);

	if (typeof window.__driverReport === 'function')
	{
		// The binding returns a promise; a page that is closing may never see it settle.
		window.__driverReport(entry).catch(() => {});
	}
}

export function reportEvent(type, fields = {})
{
	send({ kind: 'event', event: { type, at: Date.now(), ...fields } });
}

export function reportError(source, message)
{
	send({ kind: 'error', error: { source, message: String(message), at: Date.now() } });
}
