import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { newEnvelope, newErrorEnvelope } from '@edgex-ts/runtime';
import { checkDeviceResponse, eventOfResponse } from './device-response.js';
import { commandOptionsOf, queryParamsOf } from './query-params.js';

const EVENT = {
  apiVersion: 'v3',
  id: '6f2d0c4e-2a8e-4d3b-9a43-0c2b9d0f1a11',
  deviceName: 'd',
  profileName: 'p',
  sourceName: 's',
  origin: 1795432200000000000,
  readings: [
    {
      id: '0b0a4a63-8b8c-4f0e-9a9e-2d0d2b7a0c01',
      origin: 1795432200000000000,
      deviceName: 'd',
      resourceName: 's',
      profileName: 'p',
      valueType: 'Int8',
      value: '5',
    },
  ],
};

function kindOf(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EdgeXError);
    return { kind: err.kind, message: err.message };
  }
  assert.fail('expected an EdgeXError');
}

describe('device service answers', () => {
  it('an EventResponse gives its event; an empty payload none', () => {
    const event = eventOfResponse(newEnvelope({ apiVersion: 'v3', statusCode: 200, event: EVENT }), 'GET');
    assert.equal(event?.id, EVENT.id);
    assert.equal(event?.readings[0]?.value, '5');
    assert.equal(eventOfResponse(newEnvelope(new Uint8Array(0)), 'GET'), undefined);
  });

  it('errorCode 1 with a text message is a 500-kind error carrying the message', () => {
    const e = kindOf(() => checkDeviceResponse(newErrorEnvelope('r', 'c', 'driver exploded'), 'GET x'));
    assert.equal(e.kind, 'UnexpectedServerError');
    assert.equal(e.message, 'GET x: driver exploded');
  });

  it('a BaseResponse with an error status keeps that status', () => {
    const env = newEnvelope({ apiVersion: 'v3', statusCode: 423, message: 'device t-1 is locked' }, { errorCode: 1 });
    assert.deepEqual(
      kindOf(() => checkDeviceResponse(env, 'SET x')),
      { kind: 'ServiceLocked', message: 'SET x: device t-1 is locked' },
    );
    const notFound = newEnvelope({ apiVersion: 'v3', statusCode: 404, message: 'nope' });
    assert.equal(kindOf(() => checkDeviceResponse(notFound, 'GET')).kind, 'NotFound');
  });

  it('an invalid event is a server error naming the field', () => {
    const env = newEnvelope({ apiVersion: 'v3', statusCode: 200, event: { ...EVENT, deviceName: '' } });
    const e = kindOf(() => eventOfResponse(env, 'GET'));
    assert.equal(e.kind, 'UnexpectedServerError');
    assert.match(e.message, /event\.deviceName/);
  });
});

describe('command options', () => {
  it('defaults: no push, return the event; other params kept', () => {
    const opts = commandOptionsOf({ foo: 'bar' });
    assert.deepEqual(opts, { pushEvent: false, returnEvent: true, extra: { foo: 'bar' } });
    assert.deepEqual(queryParamsOf(opts), { foo: 'bar', 'ds-pushevent': 'false', 'ds-returnevent': 'true' });
  });

  it('rejects values other than true/false', () => {
    assert.deepEqual(
      kindOf(() => commandOptionsOf({ 'ds-pushevent': 'yes' })),
      {
        kind: 'ContractInvalid',
        message: "ds-pushevent: must be true or false, got 'yes'",
      },
    );
  });
});
