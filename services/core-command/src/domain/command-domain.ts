import { EdgeXError, resourcesMatching, type Device, type DeviceProfile, type DeviceService, type Event } from '@edgex-ts/contracts';
import type { MessageEnvelope } from '@edgex-ts/runtime';
import { buildDeviceCoreCommand, type DeviceCoreCommand } from './core-commands.js';
import { checkDeviceResponse, eventOfResponse } from './device-response.js';
import type { CommandMethod, DeviceCommandChannel, MetadataLookup } from './ports.js';
import { queryParamsOf, type CommandOptions } from './query-params.js';
import { regexCommandAllowed } from './resource-pattern.js';

/** What a GET brought back. */
export interface GetResult {
  /** The event read; undefined when returnEvent is false or the device service sent none. */
  event: Event | undefined;
  /**
   * The device service's answer as it came (JSON, or CBOR for Binary readings): the bus passes it on
   * unchanged, as EdgeX's core-command forwards the device service's envelope.
   */
  answer: MessageEnvelope;
}

/** Who asked, for the request to the device service: EdgeX passes the caller's ids on. */
export interface RequestIds {
  correlationID?: string;
  requestID?: string;
}

export interface CommandDomain {
  /** A page of devices (core-metadata's order) with their commands; totalCount counts all devices. */
  list(page: { offset: number; limit: number }): Promise<{ deviceCoreCommands: DeviceCoreCommand[]; totalCount: number }>;
  byDeviceName(deviceName: string): Promise<DeviceCoreCommand>;
  /** Reads a command of a device through its device service. */
  issueGet(deviceName: string, commandName: string, opts: CommandOptions, ids?: RequestIds): Promise<GetResult>;
  /** Writes `values` (resource → value) through the device service; returns its answer as it came (for the bus). */
  issueSet(deviceName: string, commandName: string, values: Record<string, unknown>, opts: CommandOptions, ids?: RequestIds): Promise<MessageEnvelope>;
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

/**
 * The readWrite of what `name` names in the profile: a device command, else a device resource, else (`pattern`
 * allowed) every resource the name matches as a regular expression. 404 when it names nothing.
 */
function readWritesOf(profile: DeviceProfile, name: string, pattern: boolean): string[] {
  const command = profile.deviceCommands.find((c) => c.name === name);
  if (command) return [command.readWrite];
  const resource = profile.deviceResources.find((r) => r.name === name);
  if (resource) return [resource.properties.readWrite];
  if (pattern) return resourcesMatching(profile, name).map((r) => r.properties.readWrite);
  throw new EdgeXError('NotFound', `command ${name} not found: no device command or resource of that name in profile ${profile.name}`);
}

/** Core-command's rules over core-metadata (lookups) and the device services (the command round trip). */
export function createCommandDomain(deps: CommandDomainDeps): CommandDomain {
  const { metadata, channel } = deps;

  const commandsOf = (device: Device, profile: DeviceProfile) => buildDeviceCoreCommand(device, profile, deps.baseUrl());

  /**
   * The device, ready for `method` on `commandName`: 404 unknown device/command, 423 locked/down, 405 wrong
   * direction. As EdgeX's device SDK resolves the request core-command forwards, the name is a device command
   * or a device resource of the profile, hidden ones included (hiding only keeps them out of the listings); a
   * GET of any other name reads the resources it matches as a regular expression, unless ds-regexcmd=false.
   */
  async function target(deviceName: string, commandName: string, method: CommandMethod, opts: CommandOptions): Promise<Device> {
    const device = await metadata.device(deviceName);
    const [profile, service] = await Promise.all([metadata.profile(device.profileName), metadata.deviceService(device.serviceName)]);
    const readWrites = readWritesOf(profile, commandName, method === 'get' && regexCommandAllowed(opts.extra));
    checkAvailable(device, service);
    const letter = method === 'get' ? 'R' : 'W';
    if (!readWrites.some((rw) => rw.includes(letter))) {
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

    async issueGet(deviceName, commandName, opts, ids = {}) {
      const device = await target(deviceName, commandName, 'get', opts);
      const answer = await channel.send({
        serviceName: device.serviceName,
        deviceName,
        commandName,
        method: 'get',
        queryParams: queryParamsOf(opts),
        ...ids,
      });
      const event = eventOfResponse(answer, `GET ${commandName} of device ${deviceName} (device service ${device.serviceName})`);
      return { event: opts.returnEvent ? event : undefined, answer };
    },

    async issueSet(deviceName, commandName, values, opts, ids = {}) {
      const device = await target(deviceName, commandName, 'set', opts);
      const answer = await channel.send({
        serviceName: device.serviceName,
        deviceName,
        commandName,
        method: 'set',
        values,
        queryParams: queryParamsOf(opts),
        ...ids,
      });
      checkDeviceResponse(answer, `SET ${commandName} of device ${deviceName} (device service ${device.serviceName})`);
      return answer;
    },
  };
}
