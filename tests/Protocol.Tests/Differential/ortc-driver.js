'use strict';

// Runs the real lib/ortc.js of mediasoup 2.6.19 for the differential ORTC test
// (OrtcDifferentialTests.cs). Usage: node --no-opt ortc-driver.js <path to lib/ortc.js>
//
// --no-opt keeps V8's optimising compiler (TurboFan) away: once it has optimised an ortc.js
// function, some of V8's error texts change (a non-iterable `x || []` then reports "undefined is
// not a function" instead of "number 1 is not iterable (...)"), so the reference's answer would
// depend on how many calls came before. Without it the answer is a function of the input alone,
// the same a freshly started reference server gives.
//
// Reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
//   request: {"op": <name>, "args": [...], "undefinedArgs": [<index>...]}
//            undefinedArgs (optional) lists the argument positions to pass as undefined, which
//            JSON cannot carry (an absent key in the peer's request).
//   answer:  {"ok": true, "result": <JSON of the return value>}
//         or {"ok": false, "stage": <op>, "error": {"name": <JS error class>, "message": <text>}}
//
// Ops, each calling ortc.js as the reference server (lib/Room.js, lib/Peer.js) does:
//   generateRoomRtpCapabilities [mediaCodecs]
//   assertCapabilitiesSubset [peerRtpCapabilities, roomRtpCapabilities] -> null
//   getProducerRtpParametersMapping [rtpParameters, roomRtpCapabilities]
//       -> {codecPayloadTypes: [[k, v]...], headerExtensionIds: [[k, v]...]}, the Maps as the
//          reference hands them to the worker (Array.from(map))
//   produce [rtpParameters, roomRtpCapabilities] -> {rtpMapping, consumableRtpParameters}:
//       the mapping, then getConsumableRtpParameters on the very same objects (the Maps' keys are
//       the producer's own values, compared by identity when they are objects). A failure names
//       its stage: getProducerRtpParametersMapping or getConsumableRtpParameters.
//   getConsumerRtpParameters [consumableRtpParameters, peerRtpCapabilities]
//
// SSRCs: ortc.js draws them from utils.randomNumber(); the driver replaces it with a counter that
// restarts at FIRST_SSRC for every request, so the test can draw the same sequence.

const path = require('path');
const readline = require('readline');

const FIRST_SSRC = 10000001;

const ortcPath = process.argv[2];
if (!ortcPath)
{
    process.stderr.write('usage: node ortc-driver.js <path to mediasoup 2.6.19 lib/ortc.js>\n');
    process.exit(2);
}

const ortc = require(path.resolve(ortcPath));
const utils = require(path.join(path.dirname(path.resolve(ortcPath)), 'utils.js'));

let nextSsrc = FIRST_SSRC;

utils.randomNumber = () => nextSsrc++;

class StageError extends Error
{
    constructor(stage, inner)
    {
        super(String(inner && inner.message));
        this.stage = stage;
        this.inner = inner;
    }
}

function inStage(stage, body)
{
    try
    {
        return body();
    }
    catch (error)
    {
        throw new StageError(stage, error);
    }
}

function mappingForWorker(rtpMapping)
{
    return {
        codecPayloadTypes  : Array.from(rtpMapping.mapCodecPayloadTypes),
        headerExtensionIds : Array.from(rtpMapping.mapHeaderExtensionIds)
    };
}

const ops =
{
    generateRoomRtpCapabilities : (mediaCodecs) => ortc.generateRoomRtpCapabilities(mediaCodecs),

    assertCapabilitiesSubset : (peerCaps, roomCaps) =>
    {
        ortc.assertCapabilitiesSubset(peerCaps, roomCaps);

        return null;
    },

    getProducerRtpParametersMapping : (params, roomCaps) =>
        mappingForWorker(ortc.getProducerRtpParametersMapping(params, roomCaps)),

    produce : (params, roomCaps) =>
    {
        const rtpMapping = inStage('getProducerRtpParametersMapping',
            () => ortc.getProducerRtpParametersMapping(params, roomCaps));
        const consumableRtpParameters = inStage('getConsumableRtpParameters',
            () => ortc.getConsumableRtpParameters(params, roomCaps, rtpMapping));

        return { rtpMapping: mappingForWorker(rtpMapping), consumableRtpParameters };
    },

    getConsumerRtpParameters : (consumable, peerCaps) =>
        ortc.getConsumerRtpParameters(consumable, peerCaps)
};

function describe(error)
{
    if (error instanceof Error)
        return { name: error.name, message: error.message };

    return { name: typeof error, message: String(error) };
}

function answer(line)
{
    let request;

    try
    {
        request = JSON.parse(line);
    }
    catch (error)
    {
        return { ok: false, error: { name: 'DriverError', message: `request is not JSON: ${error.message}` } };
    }

    if (!request || !Object.prototype.hasOwnProperty.call(ops, request.op))
        return { ok: false, error: { name: 'DriverError', message: `unknown op: ${request && request.op}` } };

    const args = Array.isArray(request.args) ? request.args.slice() : [];

    for (const index of request.undefinedArgs || [])
    {
        args[index] = undefined;
    }

    nextSsrc = FIRST_SSRC;

    try
    {
        const result = ops[request.op](...args);

        return { ok: true, result: result === undefined ? null : result };
    }
    catch (error)
    {
        if (error instanceof StageError)
            return { ok: false, stage: error.stage, error: describe(error.inner) };

        return { ok: false, stage: request.op, error: describe(error) };
    }
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });

input.on('line', (line) =>
{
    let text;

    try
    {
        // The wire form: what JSON.stringify makes of the value (undefined keys dropped, and so on),
        // as the reference server sends it to clients and to the worker.
        text = JSON.stringify(answer(line));
    }
    catch (error)
    {
        text = JSON.stringify(
            { ok: false, error: { name: 'DriverError', message: `answer not serialisable: ${error.message}` } });
    }

    process.stdout.write(`${text}\n`);
});

input.on('close', () => process.exit(0));
