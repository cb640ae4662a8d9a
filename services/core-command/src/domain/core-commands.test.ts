import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { THERMOSTAT_PROFILE, thermostat } from '../test-support/fixtures.js';
import { buildDeviceCoreCommand } from './core-commands.js';

describe('buildDeviceCoreCommand', () => {
  const built = buildDeviceCoreCommand(thermostat('t-1', 'ds'), THERMOSTAT_PROFILE, 'http://localhost:59882');

  it('lists non-hidden commands first, then non-hidden resources no command shadows', () => {
    assert.equal(built.deviceName, 't-1');
    assert.equal(built.profileName, 'Thermostat');
    assert.deepEqual(
      built.coreCommands.map((c) => c.name),
      ['Status', 'Mode', 'Temperature', 'SetPoint', 'Reset', 'Image'],
    );
  });

  it('takes get/set from readWrite, the path from the device and command, the url given', () => {
    const byName = Object.fromEntries(built.coreCommands.map((c) => [c.name, c]));
    assert.deepEqual(byName.Status, {
      name: 'Status',
      get: true,
      set: false,
      path: '/api/v3/device/name/t-1/Status',
      url: 'http://localhost:59882',
      parameters: [
        { resourceName: 'Temperature', valueType: 'Float64' },
        { resourceName: 'SetPoint', valueType: 'Float64' },
      ],
    });
    assert.deepEqual([byName.Reset.get, byName.Reset.set], [false, true]);
    assert.deepEqual([byName.SetPoint.get, byName.SetPoint.set], [true, true]);
    assert.deepEqual(byName.SetPoint.parameters, [{ resourceName: 'SetPoint', valueType: 'Float64' }]);
  });

  it('a command lists every resource it operates on, hidden ones included', () => {
    const mode = built.coreCommands.find((c) => c.name === 'Mode')!;
    assert.deepEqual(mode.parameters, [
      { resourceName: 'Mode', valueType: 'String' },
      { resourceName: 'Secret', valueType: 'String' },
    ]);
  });
});
