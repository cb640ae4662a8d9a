/**
 * The device-command pipeline shared by the bus handler and the REST routes (reference §5.2):
 * checks the service and device states, resolves the command, reads or writes through the driver with the
 * transforms, and reports read outcomes to the device health tracker. Throws EdgeXError: NotFound (404),
 * ServiceLocked (423: service or device LOCKED, device DOWN), ContractInvalid (400), driver failures as the
 * driver's kind or UnexpectedServerError (500).
 */
import { EdgeXError, type Device, type DeviceProfile, type DeviceResource, type Event } from '@edgex-ts/contracts';
import { driverFailureText, type CommandRequest, type CommandValue, type ProtocolDriver } from './driver.js';
import { buildEvent, processReadValues, resolveReadSource } from './read.js';
import { AssertionError, processWriteValue } from './transforms/index.js';

export interface CommandExecutorOptions {
  serviceName: string;
  driver: ProtocolDriver;
  getDevice(name: string): Device | undefined;
  getProfile(name: string): DeviceProfile | undefined;
  /** True while the device service itself is LOCKED. */
  serviceLocked(): boolean;
  readingUnits(): boolean;
  dataTransform(): boolean;
  /** Outcome of every driver read (probe reads included); `markDown` for a failed assertion. */
  onReadOutcome(deviceName: string, outcome: { ok: true } | { ok: false; markDown: boolean; err: unknown }): void;
}

/** A writable target resolved against a profile: one entry per resource (operation). */
interface WriteTarget {
  resource: DeviceResource;
  opDefault?: string;
  mappings?: Record<string, string>;
}

function writable(rw: string | undefined): boolean {
  return rw !== undefined && rw.includes('W');
}

/** Wraps a driver failure: EdgeXErrors keep their kind, anything else is a 500 naming the device. */
function driverError(deviceName: string, what: string, err: unknown): EdgeXError {
  if (err instanceof EdgeXError) return err;
  return new EdgeXError('UnexpectedServerError', `${deviceName}: driver ${what} failed: ${driverFailureText(err)}`, err);
}

export class CommandExecutor {
  constructor(private readonly opts: CommandExecutorOptions) {}

  /** The device and profile, or NotFound; ServiceLocked when the service or device is LOCKED or DOWN. */
  private target(deviceName: string, { forProbe = false } = {}): { device: Device; profile: DeviceProfile } {
    const device = this.opts.getDevice(deviceName);
    if (!device) throw new EdgeXError('NotFound', `device ${deviceName} is not known to ${this.opts.serviceName}`);
    if (!forProbe) {
      if (this.opts.serviceLocked()) throw new EdgeXError('ServiceLocked', `device service ${this.opts.serviceName} is LOCKED`);
      if (device.adminState === 'LOCKED') throw new EdgeXError('ServiceLocked', `device ${deviceName} is LOCKED`);
      if (device.operatingState === 'DOWN') throw new EdgeXError('ServiceLocked', `device ${deviceName} is DOWN`);
    }
    const profile = this.opts.getProfile(device.profileName);
    if (!profile) throw new EdgeXError('ServiceLocked', `device ${deviceName}: profile ${device.profileName} is not known to ${this.opts.serviceName}`);
    return { device, profile };
  }

  /**
   * GET: reads `commandName` (a device command, else a device resource; with `regex`, else the resources it
   * matches as a regular expression, as EdgeX's `ds-regexcmd`) and returns the Event.
   */
  async read(deviceName: string, commandName: string, { probe = false, regex = false } = {}): Promise<Event> {
    const { device, profile } = this.target(deviceName, { forProbe: probe });
    const source = resolveReadSource(profile, commandName, { regex });
    let values: CommandValue[];
    try {
      values = await this.opts.driver.handleReadCommands(device.name, device.protocols, source.requests);
    } catch (err) {
      // A request the driver refuses as invalid (a profile attribute, a protocol property) says nothing about
      // the device's health: only failures to talk to it count toward Device.AllowedFails.
      if (!(err instanceof EdgeXError && err.kind === 'ContractInvalid')) this.opts.onReadOutcome(deviceName, { ok: false, markDown: false, err });
      throw driverError(deviceName, `read of ${commandName}`, err);
    }
    let processed: CommandValue[];
    try {
      processed = processReadValues(source, values, this.opts.dataTransform());
    } catch (err) {
      if (err instanceof AssertionError) this.opts.onReadOutcome(deviceName, { ok: false, markDown: true, err });
      throw err;
    }
    this.opts.onReadOutcome(deviceName, { ok: true });
    return buildEvent(device, profile, source, processed, { readingUnits: this.opts.readingUnits() });
  }

  /**
   * Builds the event for values a driver pushed on its own (see DeviceServiceSdk.pushAsyncReadings):
   * the same transforms and event shape as a GET of `sourceName`. A DOWN device is accepted (it evidently
   * talks) and counted as a success; a LOCKED device or service is refused.
   */
  asyncEvent(deviceName: string, values: CommandValue[], sourceName?: string): Event {
    const { device, profile } = this.target(deviceName, { forProbe: true });
    if (this.opts.serviceLocked()) throw new EdgeXError('ServiceLocked', `device service ${this.opts.serviceName} is LOCKED`);
    if (device.adminState === 'LOCKED') throw new EdgeXError('ServiceLocked', `device ${deviceName} is LOCKED`);
    if (!Array.isArray(values)) throw new EdgeXError('ContractInvalid', `async readings of ${deviceName}: values: expected an array of CommandValue`);
    if (values.length === 0) throw new EdgeXError('ContractInvalid', `async readings of ${deviceName}: no values`);
    values.forEach((v, i) => {
      if (v === null || typeof v !== 'object' || typeof v.deviceResourceName !== 'string') {
        throw new EdgeXError('ContractInvalid', `async readings of ${deviceName}: values[${i}]: expected a CommandValue with a deviceResourceName`);
      }
    });
    const name = sourceName ?? values[0].deviceResourceName;
    if (sourceName === undefined && values.some((v) => v.deviceResourceName !== name)) {
      throw new EdgeXError('ContractInvalid', `async readings of ${deviceName}: values of several resources need a sourceName (a device command)`);
    }
    const source = resolveReadSource(profile, name);
    const processed = processReadValues(source, values, this.opts.dataTransform());
    this.opts.onReadOutcome(deviceName, { ok: true });
    return buildEvent(device, profile, source, processed, { readingUnits: this.opts.readingUnits() });
  }

  /**
   * SET: writes `params` (`{resourceName: value}`, values usually strings) to `commandName`; omitted
   * resources take their defaultValue. Every value is validated before the driver is called.
   */
  async write(deviceName: string, commandName: string, params: unknown): Promise<void> {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new EdgeXError('ContractInvalid', `SET ${deviceName}/${commandName}: the body must be a JSON object {resourceName: value}`);
    }
    const body = params as Record<string, unknown>;
    const { device, profile } = this.target(deviceName);
    const targets = this.resolveWrite(profile, commandName);
    const dataTransform = this.opts.dataTransform();
    const values = targets.map((t) =>
      processWriteValue({
        resourceName: t.resource.name,
        props: t.resource.properties,
        given: body[t.resource.name],
        opDefault: t.opDefault,
        mappings: t.mappings,
        dataTransform,
      }),
    );
    const requests: CommandRequest[] = targets.map((t) => ({
      deviceResourceName: t.resource.name,
      attributes: { ...(t.resource.attributes ?? {}) },
      valueType: t.resource.properties.valueType,
    }));
    try {
      await this.opts.driver.handleWriteCommands(device.name, device.protocols, requests, values);
    } catch (err) {
      throw driverError(deviceName, `write of ${commandName}`, err);
    }
  }

  private resolveWrite(profile: DeviceProfile, name: string): WriteTarget[] {
    const resources = new Map((profile.deviceResources ?? []).map((r) => [r.name, r]));
    const command = (profile.deviceCommands ?? []).find((c) => c.name === name);
    if (command) {
      if (!writable(command.readWrite)) {
        throw new EdgeXError('ContractInvalid', `profile ${profile.name}: deviceCommand ${name} is not writable (readWrite ${command.readWrite})`);
      }
      return command.resourceOperations.map((op) => {
        const resource = resources.get(op.deviceResource);
        if (!resource) throw new EdgeXError('NotFound', `profile ${profile.name}: deviceCommand ${name} names unknown deviceResource ${op.deviceResource}`);
        if (!writable(resource.properties.readWrite)) {
          throw new EdgeXError(
            'ContractInvalid',
            `profile ${profile.name}: deviceResource ${resource.name} is not writable (readWrite ${resource.properties.readWrite})`,
          );
        }
        return { resource, opDefault: op.defaultValue, mappings: op.mappings };
      });
    }
    const resource = resources.get(name);
    if (!resource) throw new EdgeXError('NotFound', `profile ${profile.name} has no deviceCommand or deviceResource named ${name}`);
    if (!writable(resource.properties.readWrite)) {
      throw new EdgeXError('ContractInvalid', `profile ${profile.name}: deviceResource ${name} is not writable (readWrite ${resource.properties.readWrite})`);
    }
    return [{ resource }];
  }
}
