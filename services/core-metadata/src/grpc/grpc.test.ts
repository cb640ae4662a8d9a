import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CoreMetadataServiceClient, deviceFromProto, deviceServiceToProto, deviceToProto, GRPC_KIND_METADATA_KEY } from '@edgex-ts/contracts';
import { INT_PROFILE_YAML, VIRTUAL_SERVICE, virtualDevice } from '../test-support/fixtures.js';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';
import { unaryCall, type UnaryMethod } from '../../../../test/helpers/grpc.js';

async function rejectsWith(p: Promise<unknown>, code: grpc.status, message: RegExp, kind?: string): Promise<void> {
  await assert.rejects(p, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `code ${err.code} (${err.details})`);
    assert.match(err.details, message);
    if (kind) assert.equal(err.metadata.get(GRPC_KIND_METADATA_KEY)[0], kind);
    return true;
  });
}

describe('core-metadata gRPC', () => {
  const tmp = tempDir();
  let md: TestMetadata;
  let client: CoreMetadataServiceClient;
  const call = <Req, Res>(method: UnaryMethod<Req, Res>, req: Req) => unaryCall(client, method, req);

  before(async () => {
    md = await startTestMetadata({ dbPath: join(tmp.dir, 'md.db') });
    client = new CoreMetadataServiceClient(`127.0.0.1:${md.handle.grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await md?.stop();
    tmp.remove();
  });

  it('adds a service, uploads a profile and adds, updates, lists and deletes a device', async () => {
    const { id } = await call(client.addDeviceService, { service: deviceServiceToProto(VIRTUAL_SERVICE as never) });
    assert.ok(id);
    const up = await call(client.uploadDeviceProfile, { content: INT_PROFILE_YAML, replace: false });
    assert.ok(up.id);

    const added = await call(client.addDevice, { device: deviceToProto(virtualDevice('grpc-dev-1')), bypassValidation: false });
    assert.ok(added.id);
    // REST sees what gRPC wrote.
    const rest = await md.call('GET', '/device/name/grpc-dev-1');
    assert.equal(rest.status, 200);
    assert.equal(rest.body.device.id, added.id);

    await call(client.updateDevice, {
      device: deviceToProto({ name: 'grpc-dev-1', adminState: 'LOCKED' } as never),
      updateMask: ['adminState'],
      bypassValidation: false,
    });
    const got = await call(client.getDevice, { name: 'grpc-dev-1' });
    assert.ok(got.device);
    const dto = deviceFromProto(got.device);
    assert.equal(dto.adminState, 'LOCKED');
    assert.equal(dto.operatingState, 'UP');
    assert.equal(dto.autoEvents?.[0]?.sourceName, 'Int8');

    const list = await call(client.listDevices, { page: { offset: 0, limit: 0 }, labels: [], serviceName: 'device-virtual', profileName: '' });
    assert.equal(list.totalCount, 1);
    const res = await call(client.getDeviceResource, { profileName: 'Random-Integer-Device', resourceName: 'Int8' });
    assert.equal(res.resource?.name, 'Int8');
    const profiles = await call(client.listDeviceProfiles, { page: undefined, labels: ['device-virtual-example'] });
    assert.equal(profiles.totalCount, 1);

    await call(client.deleteDevice, { name: 'grpc-dev-1' });
    await rejectsWith(call(client.getDevice, { name: 'grpc-dev-1' }), grpc.status.NOT_FOUND, /device grpc-dev-1 does not exist/, 'NotFound');
  });

  it('maps EdgeX errors to gRPC statuses', async () => {
    await rejectsWith(
      call(client.addDeviceService, { service: deviceServiceToProto(VIRTUAL_SERVICE as never) }),
      grpc.status.ALREADY_EXISTS,
      /device service device-virtual already exists/,
      'DuplicateName',
    );
    await rejectsWith(
      call(client.addDevice, { device: deviceToProto(virtualDevice('x', 'No-Such-Profile')), bypassValidation: false }),
      grpc.status.INVALID_ARGUMENT,
      /device profile No-Such-Profile does not exist/,
    );
    await rejectsWith(
      call(client.addDevice, { device: deviceToProto(virtualDevice('y\u0001')), bypassValidation: false }),
      grpc.status.INVALID_ARGUMENT,
      /device\.name: must not contain control characters/,
      'ContractInvalid',
    );
    await rejectsWith(call(client.addDevice, { bypassValidation: false }), grpc.status.INVALID_ARGUMENT, /device: is required/);
    await rejectsWith(
      call(client.uploadDeviceProfile, { content: INT_PROFILE_YAML.replace('valueType: "Int8"', 'valueType: "Int9"'), replace: true }),
      grpc.status.INVALID_ARGUMENT,
      /profile\.deviceResources\[1\]\.properties\.valueType/,
    );
    await call(client.addDevice, { device: deviceToProto(virtualDevice('keeper')), bypassValidation: false });
    await rejectsWith(
      call(client.deleteDeviceProfile, { name: 'Random-Integer-Device' }),
      grpc.status.FAILED_PRECONDITION,
      /in use by 1 device/,
      'StatusConflict',
    );
    await rejectsWith(call(client.deleteDeviceService, { name: 'device-virtual' }), grpc.status.FAILED_PRECONDITION, /in use/);
    await rejectsWith(
      call(client.listDevices, { page: { offset: 9, limit: 5 }, labels: [], serviceName: '', profileName: '' }),
      grpc.status.OUT_OF_RANGE,
      /out of range\. length:1 offset:9/,
    );
    await rejectsWith(
      call(client.listDevices, { page: { offset: 0, limit: 100000 }, labels: [], serviceName: '', profileName: '' }),
      grpc.status.INVALID_ARGUMENT,
      /limit/,
    );
    // Still serving.
    const list = await call(client.listDeviceServices, { labels: [] });
    assert.equal(list.totalCount, 1);
  });
});
