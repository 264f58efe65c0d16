// A protoo-client transport over one browser WebSocket that tells how it ended. protoo-client's own
// WebSocketTransport hides the close code and reconnects by itself after every code but 4000; the
// page must act on the code instead (docs/protocol.md#close-codes), so it reconnects itself, with a
// new socket, a new protoo Peer and a new mediasoup Room (a closed socket's peer has left the room).
import { EventEmitter } from 'events';
import Message from 'protoo-client/lib/Message';

const SUB_PROTOCOL = 'protoo';

export class ProtooSocket extends EventEmitter
{
	constructor(url)
	{
		super();
		this._closed = false;
		this._opened = false;
		// How the socket ended: { code, reason, opened }, set once.
		this.ending = null;
		this._ws = new WebSocket(url, SUB_PROTOCOL);
		this._ws.onopen = () =>
		{
			this._opened = true;
			this.emit('open');
		};
		this._ws.onmessage = (event) =>
		{
			const message = Message.parse(event.data);

			if (message)
				this.emit('message', message);
		};
		// A WebSocket 'error' is always followed by 'close', which carries what is known.
		this._ws.onerror = () => {};
		this._ws.onclose = (event) => this._end(event.code, event.reason);
	}

	get closed()
	{
		return this._closed;
	}

	send(message)
	{
		if (this._closed)
			return Promise.reject(new Error('transport closed'));

		try
		{
			this._ws.send(JSON.stringify(message));

			return Promise.resolve();
		}
		catch (error)
		{
			return Promise.reject(error);
		}
	}

	/** Closes from this side (leaving): code 1000. */
	close()
	{
		if (this._closed)
			return;

		this._ws.onclose = null;
		this._ws.close(1000, 'left');
		this._end(1000, 'left');
	}

	_end(code, reason)
	{
		if (this._closed)
			return;

		this._closed = true;
		this.ending = { code, reason, opened: this._opened };
		this.emit('close');
	}
}
