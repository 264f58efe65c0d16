// Types of coordinator-frontend: the mediasoup v2 server API over one frontend connection to a
// Coordinator cluster. See README.md.

import { EventEmitter } from 'events';

/** A mediasoup message as the client sent it (`method`, `target`, and that method's fields). */
export type MediasoupRequest = { method: string; [field: string]: unknown };
export type MediasoupNotification = { method: string; notification: true; [field: string]: unknown };

/** A grant a frontend gives a peer's session: the same names as in join tokens. */
export type Grant = 'publish' | 'subscribe' | 'spy';

export interface CoordinatorOptions
{
	/** The frontend endpoint, e.g. ws://127.0.0.1:4443/frontend. */
	url: string;
	/** A frontend token (outside development mode), or a function giving one at each (re)connection. */
	token?: string | (() => string | Promise<string>);
	/** Send the token as ?token= instead of an Authorization: Bearer header. Default false. */
	tokenInQuery?: boolean;
	/** The grants of every session, or a function of the peer. Default: publish, subscribe, spy (all that mediasoup v2 allowed). */
	grants?: Grant[] | ((roomId: string, peerName: string) => Grant[] | Promise<Grant[]>);
	/** A request not answered within this many ms rejects with 408. Default 15000 (Coordinator's own deadline is 8000). */
	requestTimeout?: number;
	/** Frames that may wait while the connection is not open; over it a request rejects with 503. Default 10000. */
	maxPendingFrames?: number;
	/** WebSocket handshake timeout in ms. Default 10000. */
	handshakeTimeout?: number;
	/** A ping every this many ms; a connection that misses one pong is cut. 0: no pings. Default 10000. */
	pingInterval?: number;
	/** The largest frame accepted from Coordinator, in bytes. Default 16 MiB. */
	maxPayload?: number;
	/** Reconnection back-off in ms: minDelay × factor^attempt, at most maxDelay, with jitter. Default 250, 10000, 2. */
	reconnect?: { minDelay?: number; maxDelay?: number; factor?: number };
}

/** How Coordinator ended a session: the close code a browser socket would have got, and why. */
export interface SessionEnd
{
	/** 4000: the peer was closed or replaced, do not reconnect; 4001: reconnect and join again. */
	code: number;
	reason: string;
}

/**
 * A failed request. `code` and `message` are the errorCode and errorReason of Coordinator's
 * answer (or the SDK's own: 408 no answer in time, 503 not carried); `String(error)` is the
 * reason exactly.
 */
export class RequestError extends Error
{
	readonly code: number;
}

/** One frontend connection to Coordinator; stands where a v2 server has its mediasoup Server. */
export class Coordinator extends EventEmitter
{
	constructor(options: CoordinatorOptions | string);

	readonly connected: boolean;
	readonly closed: boolean;
	readonly rooms: Room[];

	/** The Room of that id on this frontend (the same object until it is closed). */
	Room(roomId: string): Room;

	/** Closes every Room (their peers leave) and the connection, for good. */
	close(): void;

	on(event: 'open', listener: () => void): this;
	on(event: 'disconnected', listener: (reason: string) => void): this;
	on(event: 'close', listener: () => void): this;
}

export class Room extends EventEmitter
{
	/** The room id. */
	readonly id: string;
	readonly closed: boolean;
	/** This frontend's joined peers of the room, in join order. */
	readonly peers: Peer[];

	getPeerByName(name: string): Peer | undefined;

	/** `queryRoom` or `join` (which opens the session of request.peerName; options.grants overrides the Coordinator's). */
	receiveRequest(request: MediasoupRequest, options?: { grants?: Grant[] }): Promise<any>;

	/** Closes every session of this room on this frontend. */
	close(appData?: unknown): void;

	on(event: 'newpeer', listener: (peer: Peer) => void): this;
	on(event: 'close', listener: (appData?: unknown) => void): this;
}

export class Peer extends EventEmitter
{
	readonly name: string;
	readonly closed: boolean;
	appData: unknown;
	readonly spy: boolean;
	readonly rtpCapabilities: unknown;
	/** The id of the peer's session on the frontend connection. */
	readonly sessionId: string;

	toJson(): { name: string; appData: unknown };

	receiveRequest(request: MediasoupRequest): Promise<any>;
	receiveNotification(notification: MediasoupNotification): Promise<void>;
	close(appData?: unknown): void;

	/** A notification to relay to the client as it is; `seq` is Coordinator's number for it (undefined for the SDK's own `closed`). */
	on(event: 'notify', listener: (notification: MediasoupNotification, seq: number | undefined) => void): this;
	/**
	 * 'local': close() or the Room's close(); 'remote': the client's `leave` (with its appData), or
	 * Coordinator ended the session (then `ended` says how).
	 */
	on(event: 'close', listener: (originator: 'local' | 'remote', appData?: unknown, ended?: SessionEnd) => void): this;
}
