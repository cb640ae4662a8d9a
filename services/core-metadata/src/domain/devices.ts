import { DeviceSchema, EdgeXError, parseDto, type Device, type UpdateDevice } from '@edgex-ts/contracts';
import type { DeviceFilter, MetadataStores, PageOf } from '../store/types.js';
import { checkRange, findForUpdate, givenFields, newId, notFound, nowMs, type ListParams } from './common.js';
import { systemEvent, type SystemEventSink } from './events.js';

/**
 * Asks the owning device service whether it can use a device (EdgeX v3 device validation). Rejects with
 * ContractInvalid (the service's reason) or ServiceUnavailable (no answer).
 */
export interface DeviceValidator {
  validate(device: Device): Promise<void>;
}

/** Used when there is no message bus to ask device services over. */
export const acceptAllDevices: DeviceValidator = { validate: async () => {} };

/** EdgeX v4 `bypassValidation`: store without asking the device service (e.g. while it is down). */
export interface DeviceWriteOptions {
  bypassValidation?: boolean;
}

/** Devices: each belongs to an existing device service and uses an existing profile. */
export class Devices {
  constructor(
    private readonly stores: MetadataStores,
    private readonly events: SystemEventSink,
    private readonly validator: DeviceValidator = acceptAllDevices,
  ) {}

  async add(input: Device, opts: DeviceWriteOptions = {}): Promise<Device> {
    if (await this.stores.devices.byName(input.name)) throw new EdgeXError('DuplicateName', `device ${input.name} already exists`);
    await this.checkReferences(input);
    if (!opts.bypassValidation) await this.validator.validate(input);
    const now = nowMs();
    const device: Device = { ...input, id: input.id || newId(), properties: input.properties ?? {}, created: now, modified: now };
    await this.stores.devices.add(device);
    this.publish('add', device);
    return device;
  }

  /** EdgeX UpdateDevice: found by id, else name; omitted fields stay; empty arrays clear. */
  async update(patch: UpdateDevice, opts: DeviceWriteOptions = {}): Promise<Device> {
    const store = this.stores.devices;
    const existing = await findForUpdate(
      'device',
      patch,
      (id) => store.byId(id),
      (n) => store.byName(n),
    );
    const merged = parseDto(DeviceSchema, { ...existing, ...givenFields(patch), id: existing.id }, 'device');
    if (merged.serviceName !== existing.serviceName || merged.profileName !== existing.profileName || merged.parent !== existing.parent) {
      await this.checkReferences(merged);
    }
    if (!opts.bypassValidation) await this.validator.validate(merged);
    const device: Device = { ...merged, properties: merged.properties ?? {}, created: existing.created, modified: nowMs() };
    await store.update(device);
    // The device service that lost the device hears about it too.
    if (existing.serviceName !== device.serviceName) this.publish('update', device, existing.serviceName);
    this.publish('update', device);
    return device;
  }

  async byName(name: string): Promise<Device> {
    const device = await this.stores.devices.byName(name);
    if (!device) throw notFound('device', name);
    return device;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.stores.devices.byName(name)) !== undefined;
  }

  async list(params: ListParams): Promise<PageOf<Device>> {
    return checkRange(await this.stores.devices.list(params), params.offset);
  }

  /**
   * EdgeX v4 `descendantsOf`: the devices below `ancestor` (children, then each child's subtree in turn, as EdgeX
   * orders them), at most `maxLevels` levels down (0 = no limit); with labels, only matching devices are listed and
   * descended into. totalCount counts the whole subtree; an offset past it gives an empty page (no 416, as EdgeX).
   */
  async descendants(ancestor: string, maxLevels: number, params: ListParams): Promise<PageOf<Device>> {
    const visited = new Set([ancestor]);
    const subtree = async (parent: string, levels: number): Promise<Device[]> => {
      if (levels === 0) return [];
      const page = await this.stores.devices.list({ offset: 0, limit: -1, labels: params.labels, parent });
      // A parent cycle (A's parent B, B's parent A) ends the descent instead of looping.
      const children = page.items.filter((d) => !visited.has(d.name));
      for (const child of children) visited.add(child.name);
      const below: Device[] = [];
      for (const child of children) below.push(...(await subtree(child.name, levels - 1)));
      return [...children, ...below];
    };
    const all = await subtree(ancestor, maxLevels === 0 ? Infinity : maxLevels);
    return { totalCount: all.length, items: all.slice(params.offset, params.offset + params.limit) };
  }

  /** Devices of a profile; none (not 404) for an unknown profile, as EdgeX answers. */
  async byProfile(profileName: string, params: ListParams): Promise<PageOf<Device>> {
    return this.filtered({ ...params, profileName });
  }

  /**
   * Devices of a device service; none (not 404) for an unknown service, as EdgeX answers: EdgeX's device SDK
   * asks for its devices before it registers.
   */
  async byService(serviceName: string, params: ListParams): Promise<PageOf<Device>> {
    return this.filtered({ ...params, serviceName });
  }

  private async filtered(filter: DeviceFilter): Promise<PageOf<Device>> {
    return checkRange(await this.stores.devices.list(filter), filter.offset);
  }

  /** Refuses (409, as EdgeX v4) while other devices have it as their parent. */
  async deleteByName(name: string): Promise<void> {
    const device = await this.byName(name);
    const children = await this.stores.devices.count({ parent: name });
    if (children > 0) throw new EdgeXError('StatusConflict', `device ${name} is the parent of ${children} device(s); delete or move them first`);
    if (!(await this.stores.devices.deleteByName(name))) throw notFound('device', name);
    this.publish('delete', device);
  }

  private async checkReferences(device: Device): Promise<void> {
    if (device.parent && device.parent === device.name) {
      throw new EdgeXError('ContractInvalid', `device ${device.name} cannot be its own parent`);
    }
    // EdgeX 3 and 4 answer both with 400 (ContractInvalid): the request names something that is not there.
    if (!(await this.stores.deviceServices.byName(device.serviceName))) {
      throw new EdgeXError('ContractInvalid', `device service ${device.serviceName} does not exist (device ${device.name}.serviceName)`);
    }
    if (device.profileName && !(await this.stores.deviceProfiles.byName(device.profileName))) {
      throw new EdgeXError('ContractInvalid', `device profile ${device.profileName} does not exist (device ${device.name}.profileName)`);
    }
  }

  private publish(action: 'add' | 'update' | 'delete', device: Device, owner = device.serviceName): void {
    this.events.emit({ event: systemEvent('device', action, owner, device), profileName: device.profileName || undefined });
  }
}
