import { EdgeXError, type Device, type DeviceProfile, type DeviceService, type Event } from '@edgex-ts/sdk/contracts';
import { buildDeviceCoreCommand, type DeviceCoreCommand } from './core-commands.js';
import { checkDeviceResponse, eventOfResponse } from './device-response.js';
import type { CommandMethod, DeviceCommandChannel, MetadataLookup } from './ports.js';
import { queryParamsOf, type CommandOptions } from './query-params.js';

export interface CommandDomain {
  /** A page of devices (core-metadata's order) with their commands; totalCount counts all devices. */
  list(page: { offset: number; limit: number }): Promise<{ deviceCoreCommands: DeviceCoreCommand[]; totalCount: number }>;
  byDeviceName(deviceName: string): Promise<DeviceCoreCommand>;
  /** Reads a command of a device through its device service; undefined when returnEvent is false (or no event came). */
  issueGet(deviceName: string, commandName: string, opts: CommandOptions, correlationID?: string): Promise<Event | undefined>;
  /** Writes `values` (resource → value) through the device service. */
  issueSet(
    deviceName: string,
    commandName: string,
    values: Record<string, unknown>,
    opts: CommandOptions,
    correlationID?: string,
  ): Promise<void>;
}

export interface CommandDomainDeps {
  metadata: MetadataLookup;
  channel: DeviceCommandChannel;
  /** core-command's own base URL (the `url` of every core command), known once the REST port is. */
  baseUrl: () => string;
}

/** The device may take commands: 423 when it or its device service is LOCKED, or it is DOWN. */
function checkAvailable(device: Device, service: DeviceService): void {
  if (device.adminState === 'LOCKED') throw new EdgeXError('ServiceLocked', `device ${device.name} is locked (adminState LOCKED)`);
  if (device.operatingState === 'DOWN') throw new EdgeXError('ServiceLocked', `device ${device.name} is down (operatingState DOWN)`);
  if (service.adminState === 'LOCKED') {
    throw new EdgeXError('ServiceLocked', `device service ${service.name} of device ${device.name} is locked (adminState LOCKED)`);
  }
}

/** Core-command's rules over core-metadata (lookups) and the device services (the command round trip). */
export function createCommandDomain(deps: CommandDomainDeps): CommandDomain {
  const { metadata, channel } = deps;

  const commandsOf = (device: Device, profile: DeviceProfile) => buildDeviceCoreCommand(device, profile, deps.baseUrl());

  /** The device, ready for `method` on `commandName`: 404 unknown device/command, 423 locked/down, 405 wrong direction. */
  async function target(deviceName: string, commandName: string, method: CommandMethod): Promise<Device> {
    const device = await metadata.device(deviceName);
    const [profile, service] = await Promise.all([metadata.profile(device.profileName), metadata.deviceService(device.serviceName)]);
    const command = commandsOf(device, profile).coreCommands.find((c) => c.name === commandName);
    if (!command) throw new EdgeXError('NotFound', `command ${commandName} not found for device ${deviceName} (profile ${device.profileName})`);
    checkAvailable(device, service);
    if (!command[method]) {
      throw new EdgeXError('NotAllowed', `command ${commandName} of device ${deviceName} is not ${method === 'get' ? 'readable' : 'writable'}`);
    }
    return device;
  }

  return {
    async list(page) {
      const { devices, totalCount } = await metadata.devices(page);
      const profiles = new Map<string, Promise<DeviceProfile>>();
      const profileOf = (name: string) => {
        let p = profiles.get(name);
        if (!p) profiles.set(name, (p = metadata.profile(name)));
        return p;
      };
      const deviceCoreCommands = await Promise.all(devices.map(async (d) => commandsOf(d, await profileOf(d.profileName))));
      return { deviceCoreCommands, totalCount };
    },

    async byDeviceName(deviceName) {
      const device = await metadata.device(deviceName);
      return commandsOf(device, await metadata.profile(device.profileName));
    },

    async issueGet(deviceName, commandName, opts, correlationID) {
      const device = await target(deviceName, commandName, 'get');
      const answer = await channel.send({
        serviceName: device.serviceName,
        deviceName,
        commandName,
        method: 'get',
        queryParams: queryParamsOf(opts),
        ...(correlationID ? { correlationID } : {}),
      });
      const event = eventOfResponse(answer, `GET ${commandName} of device ${deviceName} (device service ${device.serviceName})`);
      return opts.returnEvent ? event : undefined;
    },

    async issueSet(deviceName, commandName, values, opts, correlationID) {
      const device = await target(deviceName, commandName, 'set');
      const answer = await channel.send({
        serviceName: device.serviceName,
        deviceName,
        commandName,
        method: 'set',
        values,
        queryParams: queryParamsOf(opts),
        ...(correlationID ? { correlationID } : {}),
      });
      checkDeviceResponse(answer, `SET ${commandName} of device ${deviceName} (device service ${device.serviceName})`);
    },
  };
}
