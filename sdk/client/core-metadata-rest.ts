/**
 * core-metadata through EdgeX's v3 REST API, as EdgeX's Go clients call it (go-mod-core-contracts v4
 * `clients/http/{deviceservice,deviceprofile,device,provisionwatcher}.go`): the same paths, batch bodies and
 * query parameters, so it works against EdgeX's core-metadata as well as ours.
 */
import type { z } from 'zod';
import {
  DeviceProfileSchema,
  DeviceResourceSchema,
  DeviceSchema,
  DeviceServiceSchema,
  EdgeXError,
  ProvisionWatcherSchema,
  parseDto,
  type Device,
  type DeviceProfile,
  type DeviceResource,
  type DeviceService,
  type ProvisionWatcher,
  type UpdateDevice,
  type UpdateDeviceService,
  type UpdateProvisionWatcher,
  errorMessage,
} from '@edgex-ts/contracts';
import type { CoreMetadataApi, DeviceWriteOptions, LabelPageOptions, ListDevicesOptions } from './core-metadata.js';
import { restPath, RestClient, type Query, type RestClientOptions } from './rest-call.js';

const DEVICE_SERVICE = '/deviceservice';
const DEVICE_PROFILE = '/deviceprofile';
const DEVICE = '/device';
const PROVISION_WATCHER = '/provisionwatcher';

/** Typed, promise-based client of core-metadata's EdgeX v3 REST API, speaking EdgeX DTOs. */
export class CoreMetadataRestClient implements CoreMetadataApi {
  private readonly rest: RestClient;

  /** `baseUrl` e.g. `http://core-metadata:59881`. */
  constructor(baseUrl: string, options?: RestClientOptions) {
    this.rest = new RestClient(baseUrl, 'core-metadata', options);
  }

  // ----- device services -----

  async addDeviceService(service: DeviceService): Promise<string> {
    return (await this.rest.batchOne('POST', DEVICE_SERVICE, { service })).id ?? '';
  }
  async updateDeviceService(update: UpdateDeviceService, fieldsChanged?: string[]): Promise<void> {
    await this.rest.batchOne('PATCH', DEVICE_SERVICE, { service: onlyFields(update, fieldsChanged) });
  }
  async getDeviceService(name: string): Promise<DeviceService> {
    const res = await this.rest.call<{ service?: unknown }>('GET', restPath(`${DEVICE_SERVICE}/name`, name));
    return answered(DeviceServiceSchema, res?.service, 'service');
  }
  async listDeviceServices(opts: LabelPageOptions = {}): Promise<{ services: DeviceService[]; totalCount: number }> {
    const res = await this.rest.call<{ services?: unknown[]; totalCount?: number }>('GET', `${DEVICE_SERVICE}/all`, { query: labelPage(opts) });
    return { services: answeredList(DeviceServiceSchema, res?.services, 'services'), totalCount: res?.totalCount ?? 0 };
  }
  async deleteDeviceService(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath(`${DEVICE_SERVICE}/name`, name));
  }

  // ----- device profiles -----

  async addDeviceProfile(profile: DeviceProfile): Promise<string> {
    return (await this.rest.batchOne('POST', DEVICE_PROFILE, { profile })).id ?? '';
  }
  /** Replaces the whole profile of that name. */
  async updateDeviceProfile(profile: DeviceProfile): Promise<void> {
    await this.rest.batchOne('PUT', DEVICE_PROFILE, { profile });
  }
  /** Adds (or with replace, replaces) a profile given as YAML or JSON text (multipart form field `file`). */
  async uploadDeviceProfile(content: string, replace = false): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([content], { type: 'application/x-yaml' }), 'profile.yaml');
    const res = await this.rest.call<{ id?: string }>(replace ? 'PUT' : 'POST', `${DEVICE_PROFILE}/uploadfile`, { form });
    return res?.id ?? '';
  }
  async getDeviceProfile(name: string): Promise<DeviceProfile> {
    const res = await this.rest.call<{ profile?: unknown }>('GET', restPath(`${DEVICE_PROFILE}/name`, name));
    return answered(DeviceProfileSchema, res?.profile, 'profile');
  }
  async listDeviceProfiles(opts: LabelPageOptions = {}): Promise<{ profiles: DeviceProfile[]; totalCount: number }> {
    const res = await this.rest.call<{ profiles?: unknown[]; totalCount?: number }>('GET', `${DEVICE_PROFILE}/all`, { query: labelPage(opts) });
    return { profiles: answeredList(DeviceProfileSchema, res?.profiles, 'profiles'), totalCount: res?.totalCount ?? 0 };
  }
  async deleteDeviceProfile(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath(`${DEVICE_PROFILE}/name`, name));
  }
  async getDeviceResource(profileName: string, resourceName: string): Promise<DeviceResource> {
    const path = `${restPath('/deviceresource/profile', profileName)}${restPath('/resource', resourceName)}`;
    const res = await this.rest.call<{ resource?: unknown }>('GET', path);
    return answered(DeviceResourceSchema, res?.resource, 'resource');
  }

  // ----- devices -----

  /** `bypassValidation`: store without asking the owning device service to validate the device (EdgeX v4). */
  async addDevice(device: Device, opts: DeviceWriteOptions = {}): Promise<string> {
    return (await this.rest.batchOne('POST', DEVICE, { device }, validationQuery(opts))).id ?? '';
  }
  /** Changes the fields present in `update` (found by id, else name); `fieldsChanged` limits them to those named. */
  async updateDevice(update: UpdateDevice, fieldsChanged?: string[], opts: DeviceWriteOptions = {}): Promise<void> {
    await this.rest.batchOne('PATCH', DEVICE, { device: onlyFields(update, fieldsChanged) }, validationQuery(opts));
  }
  async getDevice(name: string): Promise<Device> {
    const res = await this.rest.call<{ device?: unknown }>('GET', restPath(`${DEVICE}/name`, name));
    return answered(DeviceSchema, res?.device, 'device');
  }
  /** EdgeX lists devices of one service, of one profile, or all (by labels): one of these filters at a time. */
  async listDevices(opts: ListDevicesOptions = {}): Promise<{ devices: Device[]; totalCount: number }> {
    const res = await this.rest.call<{ devices?: unknown[]; totalCount?: number }>('GET', ...listRoute(DEVICE, opts));
    return { devices: answeredList(DeviceSchema, res?.devices, 'devices'), totalCount: res?.totalCount ?? 0 };
  }
  async deleteDevice(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath(`${DEVICE}/name`, name));
  }

  // ----- provision watchers -----

  async addProvisionWatcher(watcher: ProvisionWatcher): Promise<string> {
    return (await this.rest.batchOne('POST', PROVISION_WATCHER, { provisionWatcher: watcher })).id ?? '';
  }
  async updateProvisionWatcher(update: UpdateProvisionWatcher, fieldsChanged?: string[]): Promise<void> {
    await this.rest.batchOne('PATCH', PROVISION_WATCHER, { provisionWatcher: onlyFields(update, fieldsChanged) });
  }
  async getProvisionWatcher(name: string): Promise<ProvisionWatcher> {
    const res = await this.rest.call<{ provisionWatcher?: unknown }>('GET', restPath(`${PROVISION_WATCHER}/name`, name));
    return answered(ProvisionWatcherSchema, res?.provisionWatcher, 'provisionWatcher');
  }
  async listProvisionWatchers(opts: ListDevicesOptions = {}): Promise<{ provisionWatchers: ProvisionWatcher[]; totalCount: number }> {
    const res = await this.rest.call<{ provisionWatchers?: unknown[]; totalCount?: number }>('GET', ...listRoute(PROVISION_WATCHER, opts));
    return { provisionWatchers: answeredList(ProvisionWatcherSchema, res?.provisionWatchers, 'provisionWatchers'), totalCount: res?.totalCount ?? 0 };
  }
  async deleteProvisionWatcher(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath(`${PROVISION_WATCHER}/name`, name));
  }

  /** Nothing to release: each call is its own request. */
  close(): void {}
}

/** `offset`, `limit` (-1 = as many as the service allows) and `labels` (comma-separated), as EdgeX's clients send them. */
function labelPage(opts: LabelPageOptions): Query {
  return { offset: opts.offset ?? 0, limit: opts.limit ?? -1, labels: opts.labels?.length ? opts.labels.join(',') : undefined };
}

function validationQuery(opts: DeviceWriteOptions): Query | undefined {
  return opts.bypassValidation ? { bypassValidation: 'true' } : undefined;
}

/** `/service/name/{name}`, `/profile/name/{name}` or `/all` under `route`, with the page; refuses filters EdgeX cannot combine. */
function listRoute(route: string, opts: ListDevicesOptions): [string, { query: Query }] {
  const filters = [opts.serviceName && 'serviceName', opts.profileName && 'profileName', opts.labels?.length && 'labels'].filter(Boolean);
  if (filters.length > 1) {
    throw new EdgeXError('ContractInvalid', `core-metadata REST API lists by one of serviceName, profileName or labels, not by ${filters.join(' and ')}`);
  }
  if (opts.serviceName) return [restPath(`${route}/service/name`, opts.serviceName), { query: labelPage({ offset: opts.offset, limit: opts.limit }) }];
  if (opts.profileName) return [restPath(`${route}/profile/name`, opts.profileName), { query: labelPage({ offset: opts.offset, limit: opts.limit }) }];
  return [`${route}/all`, { query: labelPage(opts) }];
}

/** The update with only its identity (id, name) and the named fields, when fields are named. */
function onlyFields<T extends { id?: string; name?: string }>(update: T, fields: string[] | undefined): Partial<T> {
  if (!fields) return update;
  const keep = new Set(['id', 'name', ...fields]);
  return Object.fromEntries(Object.entries(update).filter(([k]) => keep.has(k))) as Partial<T>;
}

/** A DTO from core-metadata's answer, read as liberally as our schemas read EdgeX's JSON. */
function answered<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  if (value === undefined || value === null) throw new EdgeXError('UnexpectedServerError', `core-metadata answered without ${field}`);
  try {
    return parseDto(schema, value, field);
  } catch (err) {
    throw new EdgeXError('UnexpectedServerError', `core-metadata answered an unreadable ${field}: ${errorMessage(err)}`, err);
  }
}

function answeredList<S extends z.ZodType>(schema: S, values: unknown[] | null | undefined, field: string): z.output<S>[] {
  return (values ?? []).map((v, i) => answered(schema, v, `${field}[${i}]`));
}
