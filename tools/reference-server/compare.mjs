#!/usr/bin/env node
// Sends the same scripted frames to two servers of the mediasoup-demo v2 wire contract and diffs what
// comes back: responses, notifications, socket closes and refused handshakes, with random values
// (server-chosen ids, SSRCs, ICE credentials, DTLS fingerprints, ports) replaced by placeholders
// numbered in order of appearance. See README.md in this folder ("Checking it against another server").
//
//   node compare.mjs ws://127.0.0.1:4701 ws://127.0.0.1:4702          # every scenario; exit 1 on a difference
//   node compare.mjs A B --only producers,replace                      # some scenarios
//   node compare.mjs A --print                                         # one server's normalised transcripts
//   node compare.mjs A B --quiet-ms 200                                # how long a socket must stay quiet per step
//   node compare.mjs A B --ignore-fields seq                           # drop a field of every protoo frame received
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

// ---- command line ---------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const urls = [];
const options = { only: null, print: false, quietMs: 150, timeoutMs: 4000, ignoreFields: [] };
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === '--only') options.only = new Set(argv[++i].split(','));
  else if (arg === '--print') options.print = true;
  else if (arg === '--ignore-fields') options.ignoreFields = argv[++i].split(',');
  else if (arg === '--quiet-ms') options.quietMs = Number(argv[++i]);
  else if (arg === '--timeout-ms') options.timeoutMs = Number(argv[++i]);
  else if (arg === '-h' || arg === '--help') usage(0);
  else if (arg.startsWith('ws://') || arg.startsWith('wss://')) urls.push(arg.replace(/\/+$/, ''));
  else usage(2, `unknown argument ${arg}`);
}
if (urls.length === 0 || urls.length > 2 || (urls.length === 1 && !options.print)) usage(2);

function usage(code, message) {
  if (message) console.error(message);
  console.error('usage: node compare.mjs <ws://server A> <ws://server B> [--only s1,s2] [--ignore-fields f1,f2] [--quiet-ms 150] [--timeout-ms 4000]\n' +
    '       node compare.mjs <ws://server> --print [--only s1,s2]');
  process.exit(code);
}

// ---- a scripted protoo client -----------------------------------------------------------------------

/** The frames one socket received, in order, as transcript lines. */
class Session {
  constructor(transcript, label) {
    this.transcript = transcript;
    this.label = label;
    this.nextId = 1;
    this.pending = new Map();
    this.notifications = [];
    this.lastFrameAt = Date.now();
    this.closed = null;
  }

  static async open(base, transcript, label, { query, protocol = 'protoo' }) {
    const session = new Session(transcript, label);
    const url = query === undefined ? `${base}/` : `${base}/?${new URLSearchParams(query)}`;
    const ws = new WebSocket(url, protocol === null ? [] : [protocol]);
    session.ws = ws;
    const outcome = await new Promise((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_request, response) => {
        const reason = response.headers['x-websocket-reject-reason'];
        resolve(`refused ${response.statusCode} ${JSON.stringify(response.statusMessage)}${reason ? ` (${reason})` : ''}`);
        response.resume();
      });
      ws.once('error', (error) => resolve(`error ${error.message}`));
    });
    if (outcome !== 'open') {
      transcript.push(`${label} connect: ${outcome}`);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      return null;
    }
    transcript.push(`${label} connect: open (sub-protocol ${JSON.stringify(ws.protocol)})`);
    ws.on('message', (data) => session.onFrame(data.toString()));
    ws.on('close', (code, reason) => {
      session.closed = { code, reason: reason.toString() };
      session.lastFrameAt = Date.now();
      if (!session.closing) transcript.push(`${label} closed by the server: ${code} ${JSON.stringify(reason.toString())}`);
    });
    ws.on('error', () => {});
    return session;
  }

  onFrame(text) {
    this.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.transcript.push(`${this.label} <- (not JSON) ${text}`);
      return;
    }
    for (const field of options.ignoreFields) delete frame[field];
    if (frame.response && this.pending.has(frame.id)) {
      const { resolve, sent } = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      this.transcript.push(`${this.label} <- ${sent} ${JSON.stringify(frame)}`);
      resolve(frame);
      return;
    }
    if (frame.notification && frame.data) this.notifications.push(frame.data);
    this.transcript.push(`${this.label} <- ${JSON.stringify(frame)}`);
  }

  /** A protoo request; resolves with the response frame, or null when none came in time. */
  request(method, data) {
    const id = this.nextId++;
    return this.sendRequest({ request: true, id, method, data }, `${method}${data?.method ? ` ${data.method}` : ''}`);
  }

  sendRequest(frame, description) {
    const sent = `[${frame.id}] ${description}:`;
    const answered = new Promise((resolve) => this.pending.set(frame.id, { resolve, sent }));
    this.send(JSON.stringify(frame));
    return Promise.race([answered, delay(options.timeoutMs).then(() => {
      if (!this.pending.delete(frame.id)) return answered;
      this.transcript.push(`${this.label} <- ${sent} (no response in ${options.timeoutMs} ms)`);
      return null;
    })]);
  }

  /** A mediasoup request inside a protoo request (the demo's envelope). */
  ms(data) {
    return this.request('mediasoup-request', data);
  }

  /** A mediasoup notification inside a protoo notification. */
  notify(data, method = 'mediasoup-notification') {
    this.send(JSON.stringify({ notification: true, method, data }));
  }

  send(text) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
    else this.transcript.push(`${this.label} (cannot send: socket ${this.closed ? 'closed' : 'not open'})`);
  }

  /** The server-chosen id of the n-th consumer (0-based) this socket learnt of, in notification or join order. */
  consumerId(index) {
    return this.consumers[index]?.id;
  }

  get consumers() {
    const fromJoin = (this.joinResponse?.data?.peers ?? []).flatMap((p) => p.consumers ?? []);
    const fromNotifications = this.notifications.filter((n) => n.method === 'newConsumer');
    return [...fromJoin, ...fromNotifications];
  }

  close() {
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }

  waitClosed() {
    if (this.closed || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return Promise.race([new Promise((resolve) => this.ws.once('close', resolve)), delay(options.timeoutMs)]);
  }
}

/** Closes a socket, then waits for what the server tells the others. */
async function closeAndSettle(session, others) {
  session.close();
  await session.waitClosed();
  await settle(others, { expectFrame: true });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no socket received anything for options.quietMs (at most options.timeoutMs). With
 * expectFrame, first waits (at most 1 s) for one more frame at any of them: for a socket closed by the
 * script, whose consequences the server may send later than the script's quiet period.
 */
async function settle(sessions, { expectFrame = false } = {}) {
  const live = sessions.filter(Boolean);
  if (expectFrame) {
    const before = live.map((s) => s.lastFrameAt);
    const until = Date.now() + 1000;
    while (Date.now() < until && live.every((s, i) => s.lastFrameAt === before[i])) await delay(10);
  }
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const last = Math.max(0, ...sessions.filter(Boolean).map((s) => s.lastFrameAt));
    const quietFor = Date.now() - last;
    if (quietFor >= options.quietMs || Date.now() >= deadline) return;
    await delay(options.quietMs - quietFor);
  }
}

// ---- payloads (what a mediasoup-client v2 sends; capabilities taken from the room itself) -----------

/** Join capabilities: the room's own codecs and header extensions, as a client whose browser supports all of them would send. */
function capsFrom(queryResponse) {
  const room = queryResponse.data.rtpCapabilities;
  return {
    codecs: room.codecs.map((c) => ({ ...c })),
    headerExtensions: room.headerExtensions.map((h) => ({ ...h })),
    fecMechanisms: [],
  };
}

const AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
const MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const TOFFSET = 'urn:ietf:params:rtp-hdrext:toffset';
const ORIENTATION = 'urn:3gpp:video-orientation';

/** The SSRCs the scripts send, which read the same in both transcripts (the consumers' own are random). */
const SENT_SSRCS = new Set();

function audioParameters(ssrc, cname) {
  SENT_SSRCS.add(ssrc);
  return {
    muxId: undefined,
    codecs: [{ name: 'opus', mimeType: 'audio/opus', clockRate: 48000, payloadType: 111, channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 }, rtcpFeedback: [{ type: 'transport-cc' }] }],
    headerExtensions: [{ uri: AUDIO_LEVEL, id: 1 }, { uri: ABS_SEND_TIME, id: 2 }, { uri: MID, id: 9 }],
    encodings: [{ ssrc }],
    rtcp: { cname, reducedSize: true, mux: true },
  };
}

function videoParameters(ssrc, cname, encodings) {
  SENT_SSRCS.add(ssrc).add(ssrc + 1);
  return {
    codecs: [
      { name: 'VP8', mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, parameters: {},
        rtcpFeedback: [{ type: 'goog-remb' }, { type: 'ccm', parameter: 'fir' }, { type: 'nack' }, { type: 'nack', parameter: 'pli' }] },
      { name: 'rtx', mimeType: 'video/rtx', clockRate: 90000, payloadType: 97, parameters: { apt: 96 } },
    ],
    headerExtensions: [{ uri: TOFFSET, id: 14 }, { uri: ABS_SEND_TIME, id: 2 }, { uri: ORIENTATION, id: 13 }, { uri: MID, id: 9 }],
    encodings: encodings ?? [{ ssrc, rtx: { ssrc: ssrc + 1 } }],
    rtcp: { cname, reducedSize: true, mux: true },
  };
}

const clientDtls = (role) => ({ role, fingerprints: [{ algorithm: 'sha-256',
  value: 'E5:F5:CA:A7:2D:93:E6:16:AC:21:09:9F:23:51:62:8C:D0:66:E9:0C:22:54:2B:82:0C:DF:E0:C5:2C:7E:CD:53' }] });

// Client-chosen ids: fixed, so that they read the same in both transcripts.
const T = { aSend: 1001, aRecv: 1002, bSend: 2001, bRecv: 2002, cRecv: 3002 };
const P = { aAudio: 5001, aVideo: 5002, bAudio: 6001 };

/** Connects `peer` to `room` and joins with the room's own capabilities; returns the session. */
async function joined(base, transcript, room, peer, extra = {}, label = peer) {
  const s = await Session.open(base, transcript, label, { query: { roomId: room, peerName: peer } });
  const query = await s.ms({ method: 'queryRoom', target: 'room' });
  s.caps = capsFrom(query);
  s.joinResponse = await s.ms({ method: 'join', target: 'room', peerName: peer, rtpCapabilities: s.caps, spy: false, appData: { name: peer }, ...extra });
  return s;
}

// ---- the scenarios ------------------------------------------------------------------------------------

const scenarios = {
  /** Handshakes refused: no sub-protocol, no roomId, no peerName; a good one. */
  async handshake(base, t, room) {
    await Session.open(base, t, 'no-protocol', { query: { roomId: room, peerName: 'x' }, protocol: null });
    await Session.open(base, t, 'other-protocol', { query: { roomId: room, peerName: 'x' }, protocol: 'sip' });
    await Session.open(base, t, 'no-query', { query: undefined });
    await Session.open(base, t, 'no-peerName', { query: { roomId: room } });
    await Session.open(base, t, 'no-roomId', { query: { peerName: 'x' } });
    await Session.open(base, t, 'empty-peerName', { query: { roomId: room, peerName: '' } });
    const ok = await Session.open(base, t, 'ok', { query: { roomId: room, peerName: 'x' } });
    ok.close();
    await ok.waitClosed();
  },

  /** queryRoom, two joins, newPeer, a late joiner's peers list, leave and socket close. */
  async join(base, t, room) {
    const a = await joined(base, t, room, 'alice');
    const b = await joined(base, t, room, 'bob', { appData: { displayName: 'Bob', device: { flag: true } } });
    await settle([a, b], { expectFrame: true });
    const spy = await joined(base, t, room, 'spy', { spy: true });
    await settle([a, b, spy]);
    const c = await joined(base, t, room, 'carol', { appData: undefined });
    await settle([a, b, spy, c], { expectFrame: true });
    b.notify({ method: 'leave', target: 'peer', notification: true, appData: { reason: 'bye' } });
    await settle([a, b, spy, c], { expectFrame: true });
    // After leave the socket is still open; a request there has no mediasoup peer any more.
    await b.ms({ method: 'createTransport', target: 'peer', id: T.bSend, direction: 'send', options: {} });
    await closeAndSettle(spy, [a, b, c]);
    await closeAndSettle(c, [a, b]);
    for (const s of [a, b]) { s.close(); await s.waitClosed(); }
  },

  /** What is refused before and around join. */
  async joinErrors(base, t, room) {
    const a = await Session.open(base, t, 'alice', { query: { roomId: room, peerName: 'alice' } });
    // Peer-targeted request and notification before join.
    await a.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    a.notify({ method: 'leave', target: 'peer', notification: true });
    await a.ms({ method: 'leave', target: 'peer' });
    const query = await a.ms({ method: 'queryRoom', target: 'room' });
    // queryRoom addressed to the peer, and another method addressed to the room.
    await a.ms({ method: 'queryRoom', target: 'peer' });
    await a.ms({ method: 'fooRoom', target: 'room' });
    const caps = capsFrom(query);
    await a.ms({ method: 'join', target: 'room', peerName: 'mallory', rtpCapabilities: caps });
    await a.ms({ method: 'join', target: 'room', rtpCapabilities: caps });
    await a.ms({ method: 'join', target: 'room', peerName: 'alice' });
    await a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: { codecs: [{ kind: 'audio', name: 'PCMA', mimeType: 'audio/PCMA', clockRate: 8000, preferredPayloadType: 8 }], headerExtensions: [] } });
    await a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps, notification: true });
    await a.ms({ target: 'room', peerName: 'alice', rtpCapabilities: caps });
    await a.ms({ method: 42, target: 'room' });
    await a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps, appData: { n: 1 } });
    // Joined: a second join on the same socket (also under another name), and a request whose payload says it is a notification.
    await a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps });
    await a.ms({ method: 'join', target: 'room', peerName: 'mallory', rtpCapabilities: caps });
    await a.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {}, notification: true });
    await a.ms({ method: 'fooPeer', target: 'peer' });
    await a.ms({ target: 'peer' });
    await settle([a]);
    a.close();
    await a.waitClosed();
  },

  /** Two joins sent at once on one socket; a join after leave; a socket closed right after its join. */
  async joinRaces(base, t, room) {
    const watcher = await joined(base, t, room, 'watcher');
    const a = await Session.open(base, t, 'alice', { query: { roomId: room, peerName: 'alice' } });
    const caps = watcher.caps;
    await Promise.all([
      a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps }),
      a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps }),
    ]);
    await settle([watcher, a], { expectFrame: true });
    a.notify({ method: 'leave', target: 'peer', notification: true });
    await settle([watcher, a], { expectFrame: true });
    await a.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: caps });
    a.notify({ method: 'leave', target: 'peer', notification: true });
    await a.ms({ method: 'queryRoom', target: 'room' });
    await settle([watcher, a], { expectFrame: true });
    await closeAndSettle(a, [watcher]);
    const b = await Session.open(base, t, 'bob', { query: { roomId: room, peerName: 'bob' } });
    b.send(JSON.stringify({ request: true, id: 1, method: 'mediasoup-request', data: { method: 'join', target: 'room', peerName: 'bob', rtpCapabilities: caps } }));
    await closeAndSettle(b, [watcher]);
    watcher.close();
    await watcher.waitClosed();
  },

  /** The only peer of a room replaced by a new socket: the room lives on. */
  async replaceAlone(base, t, room) {
    const a1 = await joined(base, t, room, 'alice');
    await a1.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    const a2 = await Session.open(base, t, 'alice#2', { query: { roomId: room, peerName: 'alice' } });
    await a1.waitClosed();
    a2.joinResponse = await a2.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: a1.caps });
    await a2.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    const b = await joined(base, t, room, 'bob');
    await settle([a2, b], { expectFrame: true });
    await closeAndSettle(a2, [b]);
    await closeAndSettle(b, []);
  },

  /** The WebSocket size limits: one frame, and one message in two frames. */
  async limits(base, t, room) {
    const padded = (total, id) => {
      const text = JSON.stringify({ request: true, id, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room', pad: '' } });
      return text.replace('"pad":""', `"pad":"${'x'.repeat(total - text.length)}"`);
    };
    for (const [label, total, fragmented] of [['frame-960000', 960000, false], ['frame-960001', 960001, false], ['message-960000', 960000, true], ['message-960001', 960001, true]]) {
      const s = await Session.open(base, t, label, { query: { roomId: room, peerName: label } });
      const text = padded(total, 1);
      s.pending.set(1, { resolve: () => {}, sent: `[1] ${total} bytes${fragmented ? ' in two frames' : ''}:` });
      if (fragmented) {
        const half = Math.floor(text.length / 2);
        s.ws.send(text.slice(0, half), { fin: false });
        s.ws.send(text.slice(half), { fin: true });
      } else {
        s.ws.send(text);
      }
      await Promise.race([s.waitClosed(), settle([s])]);
      await settle([s]);
      s.close();
      await s.waitClosed();
    }
  },

  /** The protoo envelope itself: other methods, malformed frames, then a good request still answered. */
  async envelope(base, t, room) {
    const a = await Session.open(base, t, 'alice', { query: { roomId: room, peerName: 'alice' } });
    await a.request('change-display-name', { displayName: 'x' });
    await a.request('mediasoup-request', undefined);
    await a.request('mediasoup-request', null);
    await a.request('mediasoup-request', 'queryRoom');
    await a.request('mediasoup-request', [1, 2]);
    a.notify({ method: 'queryRoom' }, 'other-notification');
    a.notify(undefined);
    a.send('not json');
    a.send('[1,2,3]');
    a.send(JSON.stringify({ request: true, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room' } }));
    a.send(JSON.stringify({ request: true, id: 'seven', method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room' } }));
    a.send(JSON.stringify({ response: true, id: 99, ok: true, data: {} }));
    await a.sendRequest({ request: true, id: 0.5, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room' } }, 'fractional id');
    await a.sendRequest({ request: true, id: -3, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room' } }, 'negative id');
    await a.sendRequest({ request: 1, id: 77, method: 'mediasoup-request', data: { method: 'queryRoom', target: 'room' } }, 'request: 1');
    await settle([a]);
    await a.ms({ method: 'queryRoom', target: 'room' });
    a.close();
    await a.waitClosed();
  },

  /** WebRTC and plain transports, their errors, restart, update and close. */
  async transports(base, t, room) {
    const a = await joined(base, t, room, 'alice');
    const ct = (extra) => a.ms({ method: 'createTransport', target: 'peer', direction: 'send', options: { udp: true, tcp: true }, ...extra });
    await ct({ id: T.aSend, dtlsParameters: clientDtls('server') });
    await ct({ id: T.aRecv, direction: 'recv' });
    await ct({ id: 1003, options: { udp: true, tcp: false, preferUdp: true, preferIPv4: true } });
    await ct({ id: 1004, options: { udp: false, tcp: true, preferTcp: true } });
    await ct({ id: 1005, options: { udp: false, tcp: false } });
    await ct({ id: T.aSend });
    await ct({ id: 1.5 });
    await ct({ id: 1006, dtlsParameters: { role: 'server' } });
    await ct({ id: 1007, dtlsParameters: { role: 'server', fingerprints: [{ algorithm: 'md5', value: 'AA' }] } });
    await ct({ id: 1008, dtlsParameters: { role: 'boss', fingerprints: clientDtls().fingerprints } });
    await ct({ id: 1009, dtlsParameters: { role: 'server', fingerprints: [7] } });
    await ct({ id: 1010, plainRtpParameters: { ip: '127.0.0.1', port: 40000 }, options: {} });
    await ct({ id: 1011, plainRtpParameters: { ip: '127.0.0.1', port: 40002 }, options: undefined });
    await a.ms({ method: 'restartTransport', target: 'peer', id: T.aSend });
    await a.ms({ method: 'restartTransport', target: 'peer', id: 9999 });
    await a.ms({ method: 'restartTransport', target: 'peer', id: 1010 });
    a.notify({ method: 'updateTransport', target: 'peer', notification: true, id: T.aRecv, dtlsParameters: clientDtls('client') });
    await settle([a]);
    await ct({ id: 1012 });
    // A second updateTransport fails (remote DTLS already set), which closes the transport: transportClosed.
    a.notify({ method: 'updateTransport', target: 'peer', notification: true, id: T.aRecv, dtlsParameters: clientDtls('client') });
    await settle([a], { expectFrame: true });
    a.notify({ method: 'updateTransport', target: 'peer', notification: true, id: 9999, dtlsParameters: clientDtls('client') });
    a.notify({ method: 'closeTransport', target: 'peer', notification: true, id: 1003, appData: { x: 1 } });
    a.notify({ method: 'enableTransportStats', target: 'peer', notification: true, id: 9999, interval: 1000 });
    await settle([a]);
    await a.ms({ method: 'restartTransport', target: 'peer', id: 1003 });
    await ct({ id: 1003 });
    a.close();
    await a.waitClosed();
  },

  /** Producers and the consumers they make at another peer: pause, resume, profiles, close, errors. */
  async producers(base, t, room) {
    const a = await joined(base, t, room, 'alice');
    const b = await joined(base, t, room, 'bob');
    await settle([a, b]);
    const ct = (s, id, direction, extra = {}) => s.ms({ method: 'createTransport', target: 'peer', id, direction, options: {}, ...extra });
    await ct(a, T.aSend, 'send', { dtlsParameters: clientDtls('server') });
    await ct(b, T.bRecv, 'recv');
    b.notify({ method: 'updateTransport', target: 'peer', notification: true, id: T.bRecv, dtlsParameters: clientDtls('client') });
    await settle([a, b], { expectFrame: true });
    const cp = (s, extra) => s.ms({ method: 'createProducer', target: 'peer', transportId: T.aSend, paused: false, ...extra });
    await cp(a, { id: P.aAudio, kind: 'audio', rtpParameters: audioParameters(11110001, 'alice-cname'), appData: { source: 'mic' } });
    await settle([a, b], { expectFrame: true });
    await cp(a, { id: P.aVideo, kind: 'video', rtpParameters: videoParameters(11110011, 'alice-cname'), paused: true, appData: { source: 'webcam' } });
    await settle([a, b], { expectFrame: true });
    // Producer errors, each in the order the checks run.
    await cp(a, { id: 5003, kind: 'depth', rtpParameters: audioParameters(11110021, 'x') });
    await cp(a, { id: 5004, kind: 'data', rtpParameters: audioParameters(11110022, 'x') });
    await cp(a, { id: 5005, kind: 'audio', rtpParameters: { codecs: [{ name: 'G722', mimeType: 'audio/G722', clockRate: 8000, payloadType: 9 }], encodings: [{ ssrc: 1 }] } });
    await cp(a, { id: 5006, kind: 'audio' });
    await cp(a, { id: 5007, kind: 'audio', rtpParameters: audioParameters(11110023, 'x'), transportId: 4242 });
    await cp(a, { id: P.aAudio, kind: 'audio', rtpParameters: audioParameters(11110024, 'x') });
    await cp(a, { id: 5008, kind: 'audio', rtpParameters: audioParameters(11110001, 'x') });
    await cp(a, { id: 5009, kind: 'audio', rtpParameters: { ...audioParameters(11110025, 'x'), codecs: [] } });
    await settle([a, b]);
    // Consumers at bob: enable, then errors.
    const [audioConsumer, videoConsumer] = [b.consumerId(0), b.consumerId(1)];
    const ec = (id, extra = {}) => b.ms({ method: 'enableConsumer', target: 'peer', id, transportId: T.bRecv, paused: false, preferredProfile: 'default', ...extra });
    await ec(audioConsumer);
    await ec(videoConsumer, { paused: true, preferredProfile: 'low' });
    await ec(audioConsumer);
    await ec(424242);
    await ec(audioConsumer, { transportId: 4242 });
    await settle([a, b]);
    // Producer pause/resume fan out; consumer pause/resume and profile changes do not.
    a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: P.aAudio, appData: { why: 'mute' } });
    await settle([a, b], { expectFrame: true });
    a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: P.aAudio });
    a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: P.aAudio });
    await settle([a, b], { expectFrame: true });
    a.notify({ method: 'resumeProducer', target: 'peer', notification: true, id: P.aVideo });
    await settle([a, b], { expectFrame: true });
    b.notify({ method: 'pauseConsumer', target: 'peer', notification: true, id: audioConsumer });
    b.notify({ method: 'resumeConsumer', target: 'peer', notification: true, id: audioConsumer });
    b.notify({ method: 'setConsumerPreferredProfile', target: 'peer', notification: true, id: videoConsumer, profile: 'high' });
    b.notify({ method: 'setConsumerPreferredProfile', target: 'peer', notification: true, id: videoConsumer, profile: 'bogus' });
    a.notify({ method: 'updateProducer', target: 'peer', notification: true, id: P.aAudio, rtpParameters: {} });
    a.notify({ method: 'pauseProducer', target: 'peer', notification: true, id: 9999 });
    await settle([a, b]);
    // A late joiner gets the producers as consumers in its join response (paused:false there).
    const c = await joined(base, t, room, 'carol');
    await settle([a, b, c], { expectFrame: true });
    await ct(c, T.cRecv, 'recv');
    await c.ms({ method: 'enableConsumer', target: 'peer', id: c.consumerId(1), transportId: T.cRecv });
    // Closing a producer closes its consumers; closing a transport closes its producers.
    a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: P.aAudio, appData: { x: 1 } });
    await settle([a, b, c], { expectFrame: true });
    a.notify({ method: 'closeProducer', target: 'peer', notification: true, id: P.aAudio });
    a.notify({ method: 'closeTransport', target: 'peer', notification: true, id: T.aSend });
    await settle([a, b, c], { expectFrame: true });
    // bob publishes; alice and carol consume; then bob's socket closes.
    await ct(b, T.bSend, 'send', { dtlsParameters: clientDtls('server') });
    await b.ms({ method: 'createProducer', target: 'peer', id: P.bAudio, kind: 'audio', transportId: T.bSend, rtpParameters: audioParameters(22220001, 'bob-cname') });
    await settle([a, b, c], { expectFrame: true });
    await closeAndSettle(b, [a, c]);
    await closeAndSettle(a, [c]);
    await closeAndSettle(c, []);
  },

  /** A second socket with the same roomId and peerName replaces the first. */
  async replace(base, t, room) {
    const a1 = await joined(base, t, room, 'alice');
    const b = await joined(base, t, room, 'bob');
    await settle([a1, b]);
    await a1.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {}, dtlsParameters: clientDtls('server') });
    await a1.ms({ method: 'createProducer', target: 'peer', id: P.aAudio, kind: 'audio', transportId: T.aSend, rtpParameters: audioParameters(11110001, 'alice-cname') });
    await settle([a1, b], { expectFrame: true });
    const a2 = await Session.open(base, t, 'alice#2', { query: { roomId: room, peerName: 'alice' } });
    await a1.waitClosed();
    await settle([a1, a2, b], { expectFrame: true });
    // The new socket has no mediasoup peer until it joins; the old one's objects are gone.
    await a2.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    const query = await a2.ms({ method: 'queryRoom', target: 'room' });
    a2.joinResponse = await a2.ms({ method: 'join', target: 'room', peerName: 'alice', rtpCapabilities: capsFrom(query), appData: { again: true } });
    await settle([a2, b], { expectFrame: true });
    await a2.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    await a2.ms({ method: 'createProducer', target: 'peer', id: P.aAudio, kind: 'audio', transportId: T.aSend, rtpParameters: audioParameters(11110001, 'alice-cname') });
    await settle([a2, b], { expectFrame: true });
    // Replaced again, before the replacing socket joins.
    const a3 = await Session.open(base, t, 'alice#3', { query: { roomId: room, peerName: 'alice' } });
    await a2.waitClosed();
    await settle([a2, a3, b], { expectFrame: true });
    // A peer with the same name in another room is another peer.
    const other = await joined(base, t, `${room}-other`, 'bob', {}, 'bob@other');
    await settle([a3, b, other]);
    await closeAndSettle(a3, [b, other]);
    await closeAndSettle(b, [other]);
    await closeAndSettle(other, []);
  },

  /** A room lives on while its last peer reconnects: a new join into the same room name still works. */
  async roomReuse(base, t, room) {
    const a = await joined(base, t, room, 'alice');
    await a.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    await a.ms({ method: 'createProducer', target: 'peer', id: P.aAudio, kind: 'audio', transportId: T.aSend, rtpParameters: audioParameters(11110001, 'alice-cname') });
    a.close();
    await a.waitClosed();
    await delay(options.quietMs);
    // Same ids again in the same room name: refused only if the old objects were still there.
    const b = await joined(base, t, room, 'bob');
    await b.ms({ method: 'createTransport', target: 'peer', id: T.aSend, direction: 'send', options: {} });
    await b.ms({ method: 'createProducer', target: 'peer', id: P.aAudio, kind: 'audio', transportId: T.aSend, rtpParameters: audioParameters(11110001, 'bob-cname') });
    b.close();
    await b.waitClosed();
  },
};

// ---- normalisation -------------------------------------------------------------------------------

/** Replaces server-chosen and random values by placeholders numbered per kind in order of appearance. */
function normalise(lines) {
  const maps = new Map();
  const placeholder = (kind, value) => {
    if (!maps.has(kind)) maps.set(kind, new Map());
    const map = maps.get(kind);
    if (!map.has(value)) map.set(value, `<${kind}${map.size + 1}>`);
    return map.get(value);
  };
  const sentIds = new Set([...Object.values(T), ...Object.values(P), 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 9999, 4242, 424242]);
  const walk = (value, key, parent) => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key, parent));
    if (value && typeof value === 'object') {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, k, value);
      return out;
    }
    if (key === 'usernameFragment' || key === 'password') return placeholder('ice', value);
    if (key === 'value' && parent && 'algorithm' in parent) return placeholder(`fp-${parent.algorithm}-`, value);
    if (key === 'port' && typeof value === 'number') return placeholder('port', value);
    if (key === 'ssrc' && typeof value === 'number' && !SENT_SSRCS.has(value)) return placeholder('ssrc', value);
    // Header extension ids are small; the server's random ids (consumers) are not.
    if (key === 'id' && typeof value === 'number' && value > 255 && !sentIds.has(value) && parent && !('request' in parent || 'response' in parent)) return placeholder('id', value);
    if (typeof value === 'string') return value.replace(/\b\d{6,10}\b/g, (n) => (sentIds.has(Number(n)) || SENT_SSRCS.has(Number(n)) ? n : placeholder('id', Number(n))));
    return value;
  };
  return lines.map((line) => line.replace(/\{.*\}$/, (json) => {
    try {
      return JSON.stringify(walk(JSON.parse(json)));
    } catch {
      return json;
    }
  }));
}

// ---- run -----------------------------------------------------------------------------------------

async function runScenario(name, base, room) {
  const transcript = [];
  try {
    await scenarios[name](base, transcript, room);
  } catch (error) {
    transcript.push(`(scenario failed: ${error.stack})`);
  }
  return normalise(bySocket(transcript));
}

/** The lines only in A ("-") and only in B ("+"), by longest common subsequence, in transcript order. */
function diff(left, right) {
  const n = left.length;
  const m = right.length;
  const common = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = left[i] === right[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i] === right[j]) {
      i++;
      j++;
    } else if (j >= m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
      out.push(`  - A: ${left[i++]}`);
    } else {
      out.push(`  + B: ${right[j++]}`);
    }
  }
  return out;
}

/** Lines per socket label, so that interleaving between sockets does not count as a difference. */
function bySocket(lines) {
  const groups = new Map();
  for (const line of lines) {
    const label = line.startsWith('(') ? '(run)' : line.split(' ')[0];
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(line);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([, ls]) => ls);
}

const names = Object.keys(scenarios).filter((n) => !options.only || options.only.has(n));
const runId = randomBytes(3).toString('hex');
let differing = 0;
for (const name of names) {
  const room = `cmp-${runId}-${name}`;
  const transcripts = [];
  for (const base of urls) transcripts.push(await runScenario(name, base, room));
  if (options.print) {
    console.log(`== ${name} (${urls[0]})`);
    for (const line of transcripts[0]) console.log(`  ${line.length > 600 ? `${line.slice(0, 600)}…` : line}`);
    if (urls.length === 1) continue;
  }
  const differences = diff(transcripts[0], transcripts[1]);
  if (differences.length === 0) {
    console.log(`same       ${name} (${transcripts[0].length} lines)`);
  } else {
    differing++;
    console.log(`DIFFERENT  ${name}: ${differences.length} lines differ (- only in A, + only in B)`);
    for (const d of differences) console.log(d);
  }
}
if (urls.length === 2) console.log(differing === 0 ? `no differences in ${names.length} scenarios` : `${differing} of ${names.length} scenarios differ (A = ${urls[0]}, B = ${urls[1]})`);
process.exit(differing === 0 ? 0 : 1);
