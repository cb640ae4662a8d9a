/** EdgeX-shaped request bodies and files for tests. */

export const VIRTUAL_SERVICE = {
  name: 'device-virtual',
  description: 'virtual device service',
  baseAddress: 'http://device-virtual:59900',
  adminState: 'UNLOCKED',
  labels: ['virtual'],
};

/** A profile file in the shape of device-virtual's Random-Integer-Device profile. */
export const INT_PROFILE_YAML = `name: "Random-Integer-Device"
manufacturer: "IOTech"
model: "Device-Virtual-01"
labels:
  - "device-virtual-example"
description: "Example of Device-Virtual"
deviceResources:
  - name: "EnableRandomization_Int8"
    isHidden: true
    description: "used to decide whether to re-generate a random value"
    properties:
      valueType: "Bool"
      readWrite: "W"
      defaultValue: "true"
  - name: "Int8"
    isHidden: false
    description: "Generate random int8 value"
    properties:
      valueType: "Int8"
      readWrite: "RW"
      minimum: -100
      maximum: 100
      defaultValue: "0"
  - name: "Int16"
    isHidden: false
    description: "Generate random int16 value"
    properties:
      valueType: "Int16"
      readWrite: "RW"
      minimum: "-100"
      maximum: "100"
      defaultValue: "0"
deviceCommands:
  - name: "WriteInt8Value"
    isHidden: false
    readWrite: "W"
    resourceOperations:
      - { deviceResource: "Int8" }
      - { deviceResource: "EnableRandomization_Int8", defaultValue: "false" }
`;

export const BOOL_PROFILE = {
  name: 'Random-Boolean-Device',
  manufacturer: 'IOTech',
  model: 'Device-Virtual-01',
  labels: ['device-virtual-example'],
  description: 'Example of Device-Virtual',
  deviceResources: [{ name: 'Bool', isHidden: false, properties: { valueType: 'Bool', readWrite: 'RW', defaultValue: 'true' } }],
  deviceCommands: [],
};

export function virtualDevice(name: string, profileName = 'Random-Integer-Device', extra: Record<string, unknown> = {}) {
  return {
    name,
    description: 'Example of Device Virtual',
    adminState: 'UNLOCKED' as const,
    operatingState: 'UP' as const,
    serviceName: 'device-virtual',
    profileName,
    labels: ['device-virtual-example'],
    protocols: { other: { Address: 'device-virtual-int-01', Port: '300' } },
    autoEvents: [{ interval: '15s', onChange: false, sourceName: 'Int8' }],
    ...extra,
  };
}

export const req = <K extends string>(key: K, value: unknown) => ({ apiVersion: 'v3', [key]: value });
