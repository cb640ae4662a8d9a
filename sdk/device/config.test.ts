import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@edgex-ts/runtime';
import { deviceServiceConfigSchema } from './config.js';

const device = (Device: Record<string, unknown>) => deviceServiceConfigSchema.safeParse({ Device });

test('Device.DeviceDownTimeout: seconds as EdgeX writes them (also as an env string) or a Go duration; anything else names the key', () => {
  assert.equal(device({ DeviceDownTimeout: 30 }).data?.Device.DeviceDownTimeout, 30);
  assert.equal(device({ DeviceDownTimeout: '30' }).data?.Device.DeviceDownTimeout, 30, 'DEVICE_DEVICEDOWNTIMEOUT=30');
  assert.equal(device({ DeviceDownTimeout: '1m30s' }).data?.Device.DeviceDownTimeout, '1m30s');
  const bad = device({ DeviceDownTimeout: 'soon' });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues[0].path, ['Device', 'DeviceDownTimeout']);
});

test('Device.Discovery.Interval must be a Go duration', () => {
  assert.equal(device({ Discovery: { Interval: '10m' } }).data?.Device.Discovery.Interval, '10m');
  const bad = device({ Discovery: { Interval: 'hourly' } });
  assert.deepEqual(bad.error?.issues[0].path, ['Device', 'Discovery', 'Interval']);
});

test('EdgeX keys a device service in an EdgeX deployment uses: Clients.core-metadata.Protocol and Service.EnableNameFieldEscape', () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ service: 'device-x', schema: deviceServiceConfigSchema, argv: [], env });
  const defaults = load({});
  assert.equal(defaults.Service.EnableNameFieldEscape, false);
  assert.equal(defaults.Clients['core-metadata'], undefined, 'the SDK supplies core-metadata at localhost:59881 over http');
  const fromEnv = load({ CLIENTS_CORE_METADATA_PROTOCOL: 'grpc', CLIENTS_CORE_METADATA_HOST: 'md', SERVICE_ENABLENAMEFIELDESCAPE: 'true' });
  assert.equal(fromEnv.Clients['core-metadata']?.Protocol, 'grpc');
  assert.equal(fromEnv.Service.EnableNameFieldEscape, true);
  assert.throws(
    () => load({ CLIENTS_CORE_METADATA_PROTOCOL: 'ftp' }),
    /Clients\.core-metadata\.Protocol = "ftp" \(from env CLIENTS_CORE_METADATA_PROTOCOL\): .*"http"\|"https"\|"grpc"/,
  );
});
