import type { Device, DeviceProfile } from '@edgex-ts/contracts';

/** A profile with a hidden resource, a resource shadowed by a command, read-only, write-only and RW entries, and a Binary one. */
export const THERMOSTAT_PROFILE: DeviceProfile = {
  name: 'Thermostat',
  manufacturer: 'Acme',
  model: 'T-1',
  labels: [],
  deviceResources: [
    { name: 'Temperature', isHidden: false, properties: { valueType: 'Float64', readWrite: 'R', units: 'C' } },
    { name: 'SetPoint', isHidden: false, properties: { valueType: 'Float64', readWrite: 'RW' } },
    { name: 'Mode', isHidden: false, properties: { valueType: 'String', readWrite: 'RW' } },
    { name: 'Secret', isHidden: true, properties: { valueType: 'String', readWrite: 'RW' } },
    { name: 'Reset', isHidden: false, properties: { valueType: 'Bool', readWrite: 'W' } },
    { name: 'Image', isHidden: false, properties: { valueType: 'Binary', readWrite: 'R', mediaType: 'image/png' } },
  ],
  deviceCommands: [
    {
      name: 'Status',
      isHidden: false,
      readWrite: 'R',
      resourceOperations: [{ deviceResource: 'Temperature' }, { deviceResource: 'SetPoint' }],
    },
    // Same name as a resource: the command shadows the resource of that name.
    { name: 'Mode', isHidden: false, readWrite: 'RW', resourceOperations: [{ deviceResource: 'Mode' }, { deviceResource: 'Secret' }] },
    { name: 'Hidden', isHidden: true, readWrite: 'RW', resourceOperations: [{ deviceResource: 'SetPoint' }] },
  ],
};

export function thermostat(name: string, serviceName: string, extra: Partial<Device> = {}): Device {
  return {
    name,
    serviceName,
    profileName: THERMOSTAT_PROFILE.name,
    adminState: 'UNLOCKED',
    operatingState: 'UP',
    protocols: { other: { Address: name } },
    ...extra,
  };
}
