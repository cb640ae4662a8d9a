import type { Device, DeviceProfile } from '@edgex-ts/contracts';
import { API_BASE } from '@edgex-ts/runtime';

/** A resource a core command reads or writes (EdgeX CoreCommandParameter). */
export interface CoreCommandParameter {
  resourceName: string;
  valueType: string;
}

/** One command of a device (EdgeX CoreCommand). */
export interface CoreCommand {
  name: string;
  get: boolean;
  set: boolean;
  path: string;
  url: string;
  parameters: CoreCommandParameter[];
}

/** The commands one device offers (EdgeX DeviceCoreCommand). */
export interface DeviceCoreCommand {
  deviceName: string;
  profileName: string;
  coreCommands: CoreCommand[];
}

/**
 * The commands of `device` per its profile, as EdgeX builds them: the non-hidden device commands, then
 * the non-hidden device resources that no command of the same name shadows. get/set follow readWrite
 * (R / W); path is this API's route for the command; url is core-command's own base URL.
 */
export function buildDeviceCoreCommand(device: Device, profile: DeviceProfile, baseUrl: string): DeviceCoreCommand {
  const valueTypes = new Map(profile.deviceResources.map((r) => [r.name, r.properties.valueType]));
  const command = (name: string, readWrite: string, parameters: CoreCommandParameter[]): CoreCommand => ({
    name,
    get: readWrite.includes('R'),
    set: readWrite.includes('W'),
    path: `${API_BASE}/device/name/${device.name}/${name}`,
    url: baseUrl,
    parameters,
  });
  const commandNames = new Set(profile.deviceCommands.map((c) => c.name));
  const fromCommands = profile.deviceCommands
    .filter((c) => !c.isHidden)
    .map((c) =>
      command(
        c.name,
        c.readWrite,
        c.resourceOperations.map((op) => ({ resourceName: op.deviceResource, valueType: valueTypes.get(op.deviceResource) ?? '' })),
      ),
    );
  const fromResources = profile.deviceResources
    .filter((r) => !r.isHidden && !commandNames.has(r.name))
    .map((r) => command(r.name, r.properties.readWrite, [{ resourceName: r.name, valueType: r.properties.valueType }]));
  return { deviceName: device.name, profileName: device.profileName, coreCommands: [...fromCommands, ...fromResources] };
}
