/** The shipped example profile and device load with the SDK and parse with the driver. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDevices, loadProfiles, type Protocols } from '@edgex-ts/device-sdk';
import { RES_DIR, SERVICE_NAME, parseEndpoint, parseResource } from './index.js';

test('res/: the example profile and device are valid for the Modbus driver', async () => {
  const profiles = await loadProfiles(`${RES_DIR}profiles`);
  const devices = await loadDevices(`${RES_DIR}devices`, SERVICE_NAME);
  assert.equal(profiles.length, 1);
  assert.equal(devices.length, 1);
  const profile = profiles[0].value;
  const device = devices[0].value;
  assert.equal(device.profileName, profile.name);
  assert.deepEqual(parseEndpoint(device.name, device.protocols as Protocols), {
    kind: 'tcp',
    host: '127.0.0.1',
    port: 1502,
    unitId: 1,
    timeoutMs: 5000,
    idleTimeoutMs: 5000,
  });
  const specs = profile.deviceResources.map((r) =>
    parseResource({ deviceResourceName: r.name, attributes: r.attributes ?? {}, valueType: r.properties.valueType }),
  );
  assert.deepEqual(
    specs.map((s) => [s.resourceName, s.table, s.address, s.bit, s.count]),
    [
      ['SwitchA', 'COILS', 0, undefined, 1],
      ['DoorOpen', 'DISCRETE_INPUTS', 0, undefined, 1],
      ['Temperature', 'INPUT_REGISTERS', 0, undefined, 1],
      ['SetPoint', 'HOLDING_REGISTERS', 0, undefined, 2],
      ['RunHours', 'HOLDING_REGISTERS', 2, undefined, 2],
      ['Mode', 'HOLDING_REGISTERS', 4, undefined, 1],
      ['AlarmFlag', 'HOLDING_REGISTERS', 5, 3, 1],
      ['DeviceName', 'HOLDING_REGISTERS', 10, undefined, 4],
    ],
  );
});
