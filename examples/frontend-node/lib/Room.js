'use strict';

// One room of the application: its browsers' protoo connections and its mediasoup Room, whose
// requests and notifications are relayed both ways as mediasoup-demo v2 relays them.

const { EventEmitter } = require('events');
const protoo = require('protoo-server');

class Room extends EventEmitter
{
	constructor(roomId, mediaServer)
	{
		super();
		this._roomId = roomId;
		this._protooRoom = new protoo.Room();
		// The media codecs are the cluster's: a room is named by its id.
		this._mediaRoom = mediaServer.Room(roomId);
		// Set while a newer connection replaces an older one, so that the room outlives the gap.
		this._replacing = false;
		this._closed = false;
	}

	/** A browser connected as peerName; an older connection of the same name is closed first. */
	handleConnection(peerName, transport)
	{
		const older = this._protooRoom.getPeer(peerName);

		if (older)
		{
			this._replacing = true;
			try
			{
				older.close();
			}
			finally
			{
				this._replacing = false;
			}
		}

		const protooPeer = this._protooRoom.createPeer(peerName, transport);

		protooPeer.data.transport = transport;
		protooPeer.data.mediaPeer = null;
		protooPeer.on('request', (request, accept, reject) => this._handleRequest(protooPeer, request, accept, reject));
		protooPeer.on('notification', (notification) => this._handleNotification(protooPeer, notification));
		protooPeer.on('close', () =>
		{
			const { mediaPeer } = protooPeer.data;

			if (mediaPeer && !mediaPeer.closed)
				mediaPeer.close();

			if (this._protooRoom.peers.length === 0 && !this._replacing)
				this.close();
		});
	}

	close()
	{
		if (this._closed)
			return;

		this._closed = true;
		this._protooRoom.close();
		this._mediaRoom.close();
		this.emit('close');
	}

	_handleRequest(protooPeer, request, accept, reject)
	{
		if (request.method !== 'mediasoup-request')
		{
			reject(400, `unknown request.method "${request.method}"`);

			return;
		}

		const mediasoupRequest = request.data;
		const method = mediasoupRequest !== null && typeof mediasoupRequest === 'object' ? mediasoupRequest.method : undefined;
		const refuse = (error) => reject(error.code || 500, String(error));

		switch (method)
		{
			case 'queryRoom':
			{
				this._mediaRoom.receiveRequest(mediasoupRequest).then(accept, refuse);
				break;
			}

			case 'join':
			{
				if (mediasoupRequest.peerName !== protooPeer.id)
				{
					reject(403, 'that is not your corresponding mediasoup Peer name');
					break;
				}
				else if (protooPeer.data.mediaPeer)
				{
					reject(500, 'already have a mediasoup Peer');
					break;
				}

				this._mediaRoom.receiveRequest(mediasoupRequest)
					.then((response) =>
					{
						const mediaPeer = this._mediaRoom.getPeerByName(protooPeer.id);

						accept(response);

						// The browser went away while its join was being answered.
						if (protooPeer.closed)
						{
							mediaPeer.close();

							return;
						}

						protooPeer.data.mediaPeer = mediaPeer;
						this._handleMediaPeer(protooPeer, mediaPeer);
					}, refuse);
				break;
			}

			default:
			{
				const { mediaPeer } = protooPeer.data;

				if (!mediaPeer)
				{
					reject(400, 'no mediasoup Peer');
					break;
				}

				mediaPeer.receiveRequest(mediasoupRequest).then(accept, refuse);
			}
		}
	}

	_handleNotification(protooPeer, notification)
	{
		const { mediaPeer } = protooPeer.data;

		if (notification.method !== 'mediasoup-notification' || !mediaPeer)
			return;

		mediaPeer.receiveNotification(notification.data)
			.catch((error) => console.warn(`room ${this._roomId}, peer "${protooPeer.id}": notification failed: ${error}`));
	}

	_handleMediaPeer(protooPeer, mediaPeer)
	{
		mediaPeer.on('notify', (notification) =>
		{
			protooPeer.notify('mediasoup-notification', notification).catch(() => {});
		});

		// Coordinator ended the peer: its browser's socket closes with the code the gateway would
		// use, so that protoo-client reconnects (and the app joins again) on 4001 but not on 4000.
		mediaPeer.on('close', (originator, appData, ended) =>
		{
			if (ended && !protooPeer.closed)
				closeConnection(protooPeer, ended.code, ended.reason);
		});
	}
}

/** protoo-server closes with 4000 only; the WebSocket connection under it takes any code. */
function closeConnection(protooPeer, code, reason)
{
	const connection = protooPeer.data.transport._connection;

	try
	{
		connection.close(code, reason.slice(0, 120));
	}
	catch (error)
	{
		protooPeer.close();
	}
}

module.exports = Room;
