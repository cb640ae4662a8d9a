import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { CoreCommandServiceClient, GRPC_KIND_METADATA_KEY, eventFromProto } from '@edgex-ts/contracts';
import { DEVICES, startCommandWorld, type CommandWorld } from '../test-support/harness.js';
import { edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';

async function rejectsWith(p: Promise<unknown>, code: grpc.status, message: RegExp, kind?: string): Promise<void> {
  await assert.rejects(p, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `code ${err.code} (${err.details})`);
    assert.match(err.details, message);
    if (kind) assert.equal(err.metadata.get(GRPC_KIND_METADATA_KEY)[0], kind);
    return true;
  });
}

describe('core-command gRPC (real Mosquitto, core-metadata and a device-service peer)', () => {
  let w: CommandWorld;
  let client: CoreCommandServiceClient;
  let call: (method: string, req: unknown) => Promise<any>;
  before(async () => {
    w = await startCommandWorld();
    client = new CoreCommandServiceClient(`127.0.0.1:${w.command.grpcPort}`, grpc.credentials.createInsecure());
    call = (method, req) => {
      const fn = (client as unknown as Record<string, Function>)[method].bind(client);
      // The raw client encodes whole messages: maps must be present.
      const whole = method.startsWith('issue') ? { queryParams: {}, ...(req as object) } : req;
      return promisify(fn)(whole) as Promise<any>;
    };
  });
  after(async () => {
    client?.close();
    await w?.stop();
  });

  it('ListDeviceCoreCommands pages devices; GetDeviceCoreCommand gives one', async () => {
    const page = await call('listDeviceCoreCommands', { page: { offset: 0, limit: 3 } });
    assert.equal(page.totalCount, DEVICES.length);
    assert.equal(page.deviceCoreCommands.length, 3);
    const one = await call('getDeviceCoreCommand', { deviceName: 't-1' });
    const status = one.deviceCoreCommand.coreCommands[0];
    assert.deepEqual(status, {
      name: 'Status',
      get: true,
      set: false,
      path: '/api/v3/device/name/t-1/Status',
      url: w.url,
      parameters: [
        { resourceName: 'Temperature', valueType: 'Float64' },
        { resourceName: 'SetPoint', valueType: 'Float64' },
      ],
    });
    await rejectsWith(call('getDeviceCoreCommand', { deviceName: 'nope' }), grpc.status.NOT_FOUND, /nope/);
    await rejectsWith(call('getDeviceCoreCommand', { deviceName: '' }), grpc.status.INVALID_ARGUMENT, /device_name/);
  });

  it('IssueGetCommand returns the event; push/return flags and query params reach the device service', async () => {
    const res = await call('issueGetCommand', { deviceName: 't-1', commandName: 'Status', pushEvent: true, queryParams: { unit: 'F' } });
    const event = eventFromProto(res.event);
    assert.equal(event.deviceName, 't-1');
    assert.equal(event.readings[0]?.value, '2.150000e+01');
    assert.deepEqual(w.peer.received.at(-1)!.queryParams, { 'ds-pushevent': 'true', 'ds-returnevent': 'true', unit: 'F' });

    const none = await call('issueGetCommand', { deviceName: 't-1', commandName: 'Status', returnEvent: false });
    assert.equal(none.event, undefined);
    assert.equal(w.peer.received.at(-1)!.queryParams['ds-returnevent'], 'false');
  });

  it("IssueGetCommand of a Binary resource: the device service's CBOR answer comes back as the event's binary value", async () => {
    const res = await call('issueGetCommand', { deviceName: 't-1', commandName: 'Image' });
    const event = eventFromProto(res.event);
    assert.equal(event.readings[0]?.valueType, 'Binary');
    assert.equal(event.readings[0]?.mediaType, 'image/png');
    assert.equal(event.readings[0]?.binaryValue, JSON.parse(edgexCbor.eventJson).readings[0].binaryValue);
  });

  it('IssueSetCommand sends the values', async () => {
    await call('issueSetCommand', { deviceName: 't-2', commandName: 'Mode', values: { Mode: 'eco', Secret: 'x' } });
    const got = w.peer.received.at(-1)!;
    assert.deepEqual([got.deviceName, got.commandName, got.method], ['t-2', 'Mode', 'set']);
    assert.deepEqual(JSON.parse(got.payload), { Mode: 'eco', Secret: 'x' });
  });

  it('errors map to gRPC statuses with the EdgeX kind', async () => {
    await rejectsWith(call('issueGetCommand', { deviceName: 't-1', commandName: 'Nope' }), grpc.status.NOT_FOUND, /Nope/);
    await rejectsWith(call('issueGetCommand', { deviceName: 't-locked', commandName: 'Status' }), grpc.status.FAILED_PRECONDITION, /locked/, 'ServiceLocked');
    await rejectsWith(call('issueSetCommand', { deviceName: 't-silent', commandName: 'Mode', values: { Mode: 'x' } }), grpc.status.UNAVAILABLE, /silent-ds/);
    await rejectsWith(call('issueGetCommand', { deviceName: 't-broken', commandName: 'Status' }), grpc.status.INTERNAL, /driver exploded/);
  });
});
