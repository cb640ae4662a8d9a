import { EdgeXError, ProvisionWatcherSchema, parseDto, type ProvisionWatcher, type UpdateProvisionWatcher } from '@edgex-ts/contracts';
import type { MetadataStores, PageOf, ProvisionWatcherFilter } from '../store/types.js';
import { checkRange, findForUpdate, givenFields, newId, notFound, nowMs, type ListParams } from './common.js';
import { systemEvent, type SystemEventSink } from './events.js';

/** Provision watchers: belong to an existing device service; their discovered profile must exist. */
export class ProvisionWatchers {
  constructor(
    private readonly stores: MetadataStores,
    private readonly events: SystemEventSink,
  ) {}

  async add(input: ProvisionWatcher): Promise<ProvisionWatcher> {
    const store = this.stores.provisionWatchers;
    if (await store.byName(input.name)) throw new EdgeXError('DuplicateName', `provision watcher ${input.name} already exists`);
    await this.checkReferences(input);
    const now = nowMs();
    const watcher: ProvisionWatcher = { ...input, id: input.id || newId(), created: now, modified: now };
    await store.add(watcher);
    this.publish('add', watcher);
    return watcher;
  }

  async update(patch: UpdateProvisionWatcher): Promise<ProvisionWatcher> {
    const store = this.stores.provisionWatchers;
    const existing = await findForUpdate(
      'provision watcher',
      patch,
      (id) => store.byId(id),
      (n) => store.byName(n),
    );
    // discoveredDevice is merged field by field, as EdgeX does (Go always sends it, with null for "unchanged").
    const discoveredDevice = { ...existing.discoveredDevice, ...givenFields(patch.discoveredDevice ?? {}) };
    const merged = parseDto(ProvisionWatcherSchema, { ...existing, ...givenFields(patch), discoveredDevice, id: existing.id }, 'provisionWatcher');
    if (merged.serviceName !== existing.serviceName || merged.discoveredDevice.profileName !== existing.discoveredDevice.profileName) {
      await this.checkReferences(merged);
    }
    const watcher: ProvisionWatcher = { ...merged, created: existing.created, modified: nowMs() };
    await store.update(watcher);
    if (existing.serviceName !== watcher.serviceName) this.publish('update', watcher, existing.serviceName);
    this.publish('update', watcher);
    return watcher;
  }

  async byName(name: string): Promise<ProvisionWatcher> {
    const watcher = await this.stores.provisionWatchers.byName(name);
    if (!watcher) throw notFound('provision watcher', name);
    return watcher;
  }

  async list(params: ListParams): Promise<PageOf<ProvisionWatcher>> {
    return this.filtered(params);
  }

  /** Watchers of a device service; none (not 404) for an unknown service, as EdgeX answers. */
  async byService(serviceName: string, params: ListParams): Promise<PageOf<ProvisionWatcher>> {
    return this.filtered({ ...params, serviceName });
  }

  /** Watchers whose discovered devices get that profile; none (not 404) for an unknown profile, as EdgeX answers. */
  async byProfile(profileName: string, params: ListParams): Promise<PageOf<ProvisionWatcher>> {
    return this.filtered({ ...params, profileName });
  }

  private async filtered(filter: ProvisionWatcherFilter): Promise<PageOf<ProvisionWatcher>> {
    return checkRange(await this.stores.provisionWatchers.list(filter), filter.offset);
  }

  async deleteByName(name: string): Promise<void> {
    const watcher = await this.byName(name);
    if (!(await this.stores.provisionWatchers.deleteByName(name))) throw notFound('provision watcher', name);
    this.publish('delete', watcher);
  }

  private async checkReferences(w: ProvisionWatcher): Promise<void> {
    if (!(await this.stores.deviceServices.byName(w.serviceName))) {
      throw new EdgeXError('NotFound', `device service ${w.serviceName} does not exist (provision watcher ${w.name}.serviceName)`);
    }
    const profile = w.discoveredDevice.profileName;
    if (profile && !(await this.stores.deviceProfiles.byName(profile))) {
      throw new EdgeXError('NotFound', `device profile ${profile} does not exist (provision watcher ${w.name}.discoveredDevice.profileName)`);
    }
  }

  private publish(action: 'add' | 'update' | 'delete', w: ProvisionWatcher, owner = w.serviceName): void {
    this.events.emit({
      event: systemEvent('provisionwatcher', action, owner, w),
      profileName: w.discoveredDevice.profileName || undefined,
    });
  }
}
