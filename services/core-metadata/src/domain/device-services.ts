import { DeviceServiceSchema, EdgeXError, parseDto, type DeviceService, type UpdateDeviceService } from '@edgex-ts/contracts';
import type { MetadataStores, PageOf } from '../store/types.js';
import { checkRange, findForUpdate, givenFields, newId, notFound, nowMs, type ListParams } from './common.js';
import { systemEvent, type SystemEventSink } from './events.js';

/** Device services: the rules of adding, patching, listing and removing them. */
export class DeviceServices {
  constructor(
    private readonly stores: MetadataStores,
    private readonly events: SystemEventSink,
  ) {}

  async add(input: DeviceService): Promise<DeviceService> {
    const store = this.stores.deviceServices;
    if (await store.byName(input.name)) throw new EdgeXError('DuplicateName', `device service ${input.name} already exists`);
    const now = nowMs();
    const service: DeviceService = { ...input, id: input.id || newId(), created: now, modified: now };
    await store.add(service);
    this.publish('add', service);
    return service;
  }

  async update(patch: UpdateDeviceService): Promise<DeviceService> {
    const store = this.stores.deviceServices;
    const existing = await findForUpdate(
      'device service',
      patch,
      (id) => store.byId(id),
      (n) => store.byName(n),
    );
    const merged = parseDto(DeviceServiceSchema, { ...existing, ...givenFields(patch), id: existing.id }, 'service');
    const service: DeviceService = { ...merged, created: existing.created, modified: nowMs() };
    await store.update(service);
    this.publish('update', service);
    return service;
  }

  async byName(name: string): Promise<DeviceService> {
    const service = await this.stores.deviceServices.byName(name);
    if (!service) throw notFound('device service', name);
    return service;
  }

  async list(params: ListParams): Promise<PageOf<DeviceService>> {
    return checkRange(await this.stores.deviceServices.list(params), params.offset);
  }

  /** Refuses (409) while devices or provision watchers still belong to the service. */
  async deleteByName(name: string): Promise<void> {
    const service = await this.byName(name);
    const devices = await this.stores.devices.count({ serviceName: name });
    if (devices > 0) {
      throw new EdgeXError('StatusConflict', `device service ${name} is in use by ${devices} device(s); delete them first`);
    }
    const watchers = await this.stores.provisionWatchers.count({ serviceName: name });
    if (watchers > 0) {
      throw new EdgeXError('StatusConflict', `device service ${name} is in use by ${watchers} provision watcher(s); delete them first`);
    }
    if (!(await this.stores.deviceServices.deleteByName(name))) throw notFound('device service', name);
    this.publish('delete', service);
  }

  private publish(action: 'add' | 'update' | 'delete', service: DeviceService): void {
    this.events.emit({ event: systemEvent('deviceservice', action, service.name, service) });
  }
}
