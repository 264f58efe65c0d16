import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaUnavailableReason, simulcastSupported, unsupportedReason } from '../room/browser-support.js';
import { describeMediaError } from '../room/media-errors.js';

test('no WebRTC, or a browser mediasoup-client 2 has no handler for, cannot join', () =>
{
	assert.match(unsupportedReason({ hasPeerConnection: false, deviceSupported: false }), /no WebRTC/);
	assert.match(unsupportedReason({ hasPeerConnection: true, deviceSupported: false }), /not supported by mediasoup-client/);
	assert.equal(unsupportedReason({ hasPeerConnection: true, deviceSupported: true }), null);
});

test('camera and microphone need a secure context', () =>
{
	assert.match(mediaUnavailableReason({ secureContext: false, hasMediaDevices: false }), /https:\/\/.*127\.0\.0\.1/);
	assert.match(mediaUnavailableReason({ secureContext: true, hasMediaDevices: false }), /no access/);
	assert.equal(mediaUnavailableReason({ secureContext: true, hasMediaDevices: true }), null);
});

test('simulcast follows the device flag', () =>
{
	assert.equal(simulcastSupported('chrome'), true);
	assert.equal(simulcastSupported('firefox'), true);
	assert.equal(simulcastSupported('opera'), true);
	assert.equal(simulcastSupported('safari'), false);
	assert.equal(simulcastSupported('msedge'), false);
	assert.equal(simulcastSupported(undefined), false);
});

test('getUserMedia errors are explained by name', () =>
{
	assert.match(describeMediaError({ name: 'NotAllowedError' }, 'camera'), /Access to the camera was refused/);
	assert.match(describeMediaError({ name: 'NotFoundError' }, 'microphone'), /No microphone was found/);
	assert.match(describeMediaError({ name: 'NotReadableError' }, 'camera'), /in use/);
	assert.equal(describeMediaError({ name: 'Weird', message: 'odd' }, 'camera'), 'The camera could not be opened: odd.');
});
