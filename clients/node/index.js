'use strict';

// A Node.js frontend for Coordinator: the mediasoup v2 server API (Room, Peer) over one
// multiplexed WebSocket to the cluster. See README.md.

const { Coordinator } = require('./lib/Coordinator');
const { Room } = require('./lib/Room');
const { Peer } = require('./lib/Peer');
const { RequestError } = require('./lib/errors');

module.exports = { Coordinator, Room, Peer, RequestError };
