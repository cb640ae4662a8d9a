import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CoreCommandServiceClient, GRPC_KIND_METADATA_KEY, corecommandV1, eventFromProto } from '@edgex-ts/contracts';
import { DEVICES, startCommandWorld, type CommandWorld } from '../test-support/harness.js';
import { edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';
import { unaryCall, type UnaryMethod } from '../../../../test/helpers/grpc.js';

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
  const call = <Req, Res>(method: UnaryMethod<Req, Res>, req: Req) => unaryCall(client, method, req);
  // fromPartial fills what a test leaves out of a request (flags false, no query parameters).
  const issueGet = (req: corecommandV1.DeepPartial<corecommandV1.IssueGetCommandRequest>) =>
    call(client.issueGetCommand, corecommandV1.IssueGetCommandRequest.fromPartial(req));
  const issueSet = (req: corecommandV1.DeepPartial<corecommandV1.IssueSetCommandRequest>) =>
    call(client.issueSetCommand, corecommandV1.IssueSetCommandRequest.fromPartial(req));
  before(async () => {
    w = await startCommandWorld();
    client = new CoreCommandServiceClient(`127.0.0.1:${w.command.grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await w?.stop();
  });

  it('ListDeviceCoreCommands pages devices; GetDeviceCoreCommand gives one', async () => {
    const page = await call(client.listDeviceCoreCommands, { page: { offset: 0, limit: 3 } });
    assert.equal(page.totalCount, DEVICES.length);
    assert.equal(page.deviceCoreCommands.length, 3);
    const one = await call(client.getDeviceCoreCommand, { deviceName: 't-1' });
    const status = one.deviceCoreCommand?.coreCommands[0];
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
    await rejectsWith(call(client.getDeviceCoreCommand, { deviceName: 'nope' }), grpc.status.NOT_FOUND, /nope/);
    await rejectsWith(call(client.getDeviceCoreCommand, { deviceName: '' }), grpc.status.INVALID_ARGUMENT, /device_name/);
  });

  it('IssueGetCommand returns the event; push/return flags and query params reach the device service', async () => {
    const res = await issueGet({ deviceName: 't-1', commandName: 'Status', pushEvent: true, queryParams: { unit: 'F' } });
    assert.ok(res.event);
    const event = eventFromProto(res.event);
    assert.equal(event.deviceName, 't-1');
    assert.equal(event.readings[0]?.value, '2.150000e+01');
    assert.deepEqual(w.peer.received.at(-1)!.queryParams, { 'ds-pushevent': 'true', 'ds-returnevent': 'true', unit: 'F' });

    const none = await issueGet({ deviceName: 't-1', commandName: 'Status', returnEvent: false });
    assert.equal(none.event, undefined);
    assert.equal(w.peer.received.at(-1)!.queryParams['ds-returnevent'], 'false');
  });

  it("IssueGetCommand of a Binary resource: the device service's CBOR answer comes back as the event's binary value", async () => {
    const res = await issueGet({ deviceName: 't-1', commandName: 'Image' });
    assert.ok(res.event);
    const event = eventFromProto(res.event);
    assert.equal(event.readings[0]?.valueType, 'Binary');
    assert.equal(event.readings[0]?.mediaType, 'image/png');
    assert.equal(event.readings[0]?.binaryValue, JSON.parse(edgexCbor.eventJson).readings[0].binaryValue);
  });

  it('IssueSetCommand sends the values', async () => {
    await issueSet({ deviceName: 't-2', commandName: 'Mode', values: { Mode: 'eco', Secret: 'x' } });
    const got = w.peer.received.at(-1)!;
    assert.deepEqual([got.deviceName, got.commandName, got.method], ['t-2', 'Mode', 'set']);
    assert.deepEqual(JSON.parse(got.payload), { Mode: 'eco', Secret: 'x' });
  });

  it('errors map to gRPC statuses with the EdgeX kind', async () => {
    await rejectsWith(issueGet({ deviceName: 't-1', commandName: 'Nope' }), grpc.status.NOT_FOUND, /Nope/);
    await rejectsWith(issueGet({ deviceName: 't-locked', commandName: 'Status' }), grpc.status.FAILED_PRECONDITION, /locked/, 'ServiceLocked');
    await rejectsWith(issueSet({ deviceName: 't-silent', commandName: 'Mode', values: { Mode: 'x' } }), grpc.status.UNAVAILABLE, /silent-ds/);
    await rejectsWith(issueGet({ deviceName: 't-broken', commandName: 'Status' }), grpc.status.INTERNAL, /driver exploded/);
  });
});
