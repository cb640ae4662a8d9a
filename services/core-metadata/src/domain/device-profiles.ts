import {
  DeviceProfileSchema,
  EdgeXError,
  parseDto,
  type DeviceCommand,
  type DeviceProfile,
  type DeviceProfileTagsRequest,
  type DeviceResource,
  type UpdateDeviceProfileBasicInfo,
} from '@edgex-ts/contracts';
import type { MetadataStores, PageOf } from '../store/types.js';
import { checkRange, findForUpdate, givenFields, newId, notFound, nowMs, type ListParams } from './common.js';
import { METADATA_SOURCE, systemEvent, type SystemEventSink } from './events.js';
import { parseProfileFile } from './profile-file.js';

/** PATCH /deviceprofile/resource: only these fields of a resource may change. */
export interface DeviceResourcePatch {
  name: string;
  description?: string;
  isHidden?: boolean;
}

/** PATCH /deviceprofile/deviceCommand: only these fields of a command may change. */
export interface DeviceCommandPatch {
  name: string;
  isHidden?: boolean;
}

export interface ProfileQuery extends ListParams {
  manufacturer?: string;
  model?: string;
}

/** Device profiles with their resources and commands. */
export class DeviceProfiles {
  constructor(
    private readonly stores: MetadataStores,
    private readonly events: SystemEventSink,
    /** Checks a profile about to be stored beyond its schema (units of measure); throws to refuse it. */
    private readonly checkProfile: (profile: DeviceProfile) => void = () => undefined,
  ) {}

  async add(input: DeviceProfile): Promise<DeviceProfile> {
    this.checkProfile(input);
    const store = this.stores.deviceProfiles;
    if (await store.byName(input.name)) throw new EdgeXError('DuplicateName', `device profile ${input.name} already exists`);
    const now = nowMs();
    const profile: DeviceProfile = { ...input, id: input.id || newId(), created: now, modified: now };
    await store.add(profile);
    this.events.emit({ event: systemEvent('deviceprofile', 'add', METADATA_SOURCE, profile), profileName: profile.name });
    return profile;
  }

  /** PUT /deviceprofile: replaces the whole profile of that name (id and created are kept). */
  async replace(input: DeviceProfile): Promise<DeviceProfile> {
    const existing = await this.byName(input.name);
    return this.store(existing, { ...input, id: existing.id });
  }

  /** uploadfile: YAML or JSON text; `replace` updates an existing profile of that name. */
  async upload(text: string, replace: boolean): Promise<DeviceProfile> {
    const profile = parseProfileFile(text);
    return replace ? this.replace(profile) : this.add(profile);
  }

  async updateBasicInfo(patch: UpdateDeviceProfileBasicInfo): Promise<DeviceProfile> {
    const store = this.stores.deviceProfiles;
    const existing = await findForUpdate(
      'device profile',
      patch,
      (id) => store.byId(id),
      (n) => store.byName(n),
    );
    return this.store(existing, { ...existing, ...givenFields(patch), id: existing.id, name: existing.name });
  }

  async byName(name: string): Promise<DeviceProfile> {
    const profile = await this.stores.deviceProfiles.byName(name);
    if (!profile) throw notFound('device profile', name);
    return profile;
  }

  async list(query: ProfileQuery): Promise<PageOf<DeviceProfile>> {
    return checkRange(await this.stores.deviceProfiles.list(query), query.offset);
  }

  /** Refuses (409) while devices or provision watchers use the profile. */
  async deleteByName(name: string): Promise<void> {
    const profile = await this.byName(name);
    const devices = await this.stores.devices.count({ profileName: name });
    if (devices > 0) {
      throw new EdgeXError('StatusConflict', `device profile ${name} is in use by ${devices} device(s); delete them first`);
    }
    const watchers = await this.stores.provisionWatchers.count({ profileName: name });
    if (watchers > 0) {
      throw new EdgeXError('StatusConflict', `device profile ${name} is in use by ${watchers} provision watcher(s); delete them first`);
    }
    if (!(await this.stores.deviceProfiles.deleteByName(name))) throw notFound('device profile', name);
    this.events.emit({ event: systemEvent('deviceprofile', 'delete', METADATA_SOURCE, profile), profileName: name });
  }

  async resource(profileName: string, resourceName: string): Promise<DeviceResource> {
    const profile = await this.byName(profileName);
    const resource = profile.deviceResources.find((r) => r.name === resourceName);
    if (!resource) throw new EdgeXError('NotFound', `device resource ${resourceName} does not exist in device profile ${profileName}`);
    return resource;
  }

  async addResource(profileName: string, resource: DeviceResource): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    if (profile.deviceResources.some((r) => r.name === resource.name)) {
      throw new EdgeXError('ContractInvalid', `device resource ${resource.name} already exists in device profile ${profileName}`);
    }
    return this.store(profile, { ...profile, deviceResources: [...profile.deviceResources, resource] });
  }

  async updateResource(profileName: string, patch: DeviceResourcePatch): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    const index = profile.deviceResources.findIndex((r) => r.name === patch.name);
    if (index < 0) throw new EdgeXError('NotFound', `device resource ${patch.name} does not exist in device profile ${profileName}`);
    const deviceResources = [...profile.deviceResources];
    deviceResources[index] = { ...deviceResources[index], ...givenFields(patch) };
    return this.store(profile, { ...profile, deviceResources });
  }

  /** Refuses (409) while a device command of the profile operates on the resource. */
  async deleteResource(profileName: string, resourceName: string): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    if (!profile.deviceResources.some((r) => r.name === resourceName)) {
      throw new EdgeXError('NotFound', `device resource ${resourceName} does not exist in device profile ${profileName}`);
    }
    const users = profile.deviceCommands.filter((c) => c.resourceOperations.some((op) => op.deviceResource === resourceName));
    if (users.length > 0) {
      throw new EdgeXError(
        'StatusConflict',
        `device resource ${resourceName} is used by device command(s) ${users.map((c) => c.name).join(', ')} of device profile ${profileName}`,
      );
    }
    return this.store(profile, { ...profile, deviceResources: profile.deviceResources.filter((r) => r.name !== resourceName) });
  }

  async addCommand(profileName: string, command: DeviceCommand): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    if (profile.deviceCommands.some((c) => c.name === command.name)) {
      throw new EdgeXError('ContractInvalid', `device command ${command.name} already exists in device profile ${profileName}`);
    }
    return this.store(profile, { ...profile, deviceCommands: [...profile.deviceCommands, command] });
  }

  async updateCommand(profileName: string, patch: DeviceCommandPatch): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    const index = profile.deviceCommands.findIndex((c) => c.name === patch.name);
    if (index < 0) throw new EdgeXError('NotFound', `device command ${patch.name} does not exist in device profile ${profileName}`);
    const deviceCommands = [...profile.deviceCommands];
    deviceCommands[index] = { ...deviceCommands[index], ...givenFields(patch) };
    return this.store(profile, { ...profile, deviceCommands });
  }

  async deleteCommand(profileName: string, commandName: string): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    if (!profile.deviceCommands.some((c) => c.name === commandName)) {
      throw new EdgeXError('NotFound', `device command ${commandName} does not exist in device profile ${profileName}`);
    }
    return this.store(profile, { ...profile, deviceCommands: profile.deviceCommands.filter((c) => c.name !== commandName) });
  }

  /**
   * EdgeX v4 PATCH …/tags: the given tags are merged into those of the named resources and commands (objects key by
   * key, deeper objects merged too; other values replaced). Names the profile does not have are passed over, as EdgeX does.
   */
  async mergeTags(profileName: string, patch: DeviceProfileTagsRequest): Promise<DeviceProfile> {
    const profile = await this.byName(profileName);
    const merged = <T extends { name: string; tags?: Record<string, unknown> }>(
      items: T[],
      updates: { name: string; tags: Record<string, unknown> }[] = [],
    ): T[] =>
      items.map((item) => {
        const update = updates.find((u) => u.name === item.name);
        return update ? { ...item, tags: mergeObjects(item.tags ?? {}, update.tags) } : item;
      });
    return this.store(profile, {
      ...profile,
      deviceResources: merged(profile.deviceResources, patch.deviceResources),
      deviceCommands: merged(profile.deviceCommands, patch.deviceCommands),
    });
  }

  /** Basic info of the profiles (EdgeX v4), each with the number of devices using it. */
  async basicInfos(params: ListParams): Promise<PageOf<DeviceProfile & { linkedDeviceCount: number }>> {
    const page = await this.list(params);
    const items = await Promise.all(page.items.map(async (p) => ({ ...p, linkedDeviceCount: await this.stores.devices.count({ profileName: p.name }) })));
    return { totalCount: page.totalCount, items };
  }

  /** Validates the changed profile as a whole, stores it and tells core-metadata's and every user's listeners. */
  private async store(existing: DeviceProfile, changed: DeviceProfile): Promise<DeviceProfile> {
    const valid = parseDto(DeviceProfileSchema, changed, 'profile');
    this.checkProfile(valid);
    const profile: DeviceProfile = { ...valid, id: existing.id, created: existing.created, modified: nowMs() };
    if (!(await this.stores.deviceProfiles.update(profile))) throw notFound('device profile', profile.name);
    await this.publishUpdate(profile);
    return profile;
  }

  /** One update event for core-metadata, plus one per device service whose devices use the profile. */
  private async publishUpdate(profile: DeviceProfile): Promise<void> {
    this.events.emit({ event: systemEvent('deviceprofile', 'update', METADATA_SOURCE, profile), profileName: profile.name });
    const { items } = await this.stores.devices.list({ offset: 0, limit: -1, profileName: profile.name });
    for (const owner of new Set(items.map((d) => d.serviceName))) {
      this.events.emit({ event: systemEvent('deviceprofile', 'update', owner, profile), profileName: profile.name });
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `into` with `from` merged in: objects on both sides merged key by key, anything else taken from `from`. */
function mergeObjects(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const out = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeObjects(current, value) : value;
  }
  return out;
}
