import {
  CoreMetadataServiceClient,
  deviceFromProto,
  deviceProfileFromProto,
  deviceProfileToProto,
  deviceResourceFromProto,
  deviceServiceFromProto,
  deviceServiceToProto,
  deviceServiceUpdateToProto,
  deviceToProto,
  deviceUpdateToProto,
  EdgeXError,
  provisionWatcherFromProto,
  provisionWatcherToProto,
  provisionWatcherUpdateToProto,
} from '@edgex-ts/contracts';
import type {
  Device,
  DeviceProfile,
  DeviceResource,
  DeviceService,
  ProvisionWatcher,
  UpdateDevice,
  UpdateDeviceService,
  UpdateProvisionWatcher,
} from '@edgex-ts/contracts';
import { GrpcClient, toPage, type GrpcClientOptions, type PageOptions } from './grpc-call.js';

export interface LabelPageOptions extends PageOptions {
  labels?: string[];
}
export interface ListDevicesOptions extends LabelPageOptions {
  serviceName?: string;
  profileName?: string;
}
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new EdgeXError('UnexpectedServerError', `core-metadata answered without ${what}`);
  return value;
}

export interface DeviceWriteOptions {
  /** Store without asking the owning device service to validate (EdgeX v4 `bypassValidation`). */
  bypassValidation?: boolean;
}

/**
 * What a client of core-metadata offers, whatever it speaks: gRPC ({@link CoreMetadataClient}) or EdgeX's v3 REST
 * API ({@link CoreMetadataRestClient}). Failures are EdgeXErrors (NotFound, DuplicateName, ServiceUnavailable, …).
 */
export interface CoreMetadataApi {
  addDeviceService(service: DeviceService): Promise<string>;
  updateDeviceService(update: UpdateDeviceService, fieldsChanged?: string[]): Promise<void>;
  getDeviceService(name: string): Promise<DeviceService>;
  listDeviceServices(opts?: LabelPageOptions): Promise<{ services: DeviceService[]; totalCount: number }>;
  deleteDeviceService(name: string): Promise<void>;
  addDeviceProfile(profile: DeviceProfile): Promise<string>;
  updateDeviceProfile(profile: DeviceProfile): Promise<void>;
  uploadDeviceProfile(content: string, replace?: boolean): Promise<string>;
  getDeviceProfile(name: string): Promise<DeviceProfile>;
  listDeviceProfiles(opts?: LabelPageOptions): Promise<{ profiles: DeviceProfile[]; totalCount: number }>;
  deleteDeviceProfile(name: string): Promise<void>;
  getDeviceResource(profileName: string, resourceName: string): Promise<DeviceResource>;
  addDevice(device: Device, opts?: DeviceWriteOptions): Promise<string>;
  updateDevice(update: UpdateDevice, fieldsChanged?: string[], opts?: DeviceWriteOptions): Promise<void>;
  getDevice(name: string): Promise<Device>;
  listDevices(opts?: ListDevicesOptions): Promise<{ devices: Device[]; totalCount: number }>;
  deleteDevice(name: string): Promise<void>;
  addProvisionWatcher(watcher: ProvisionWatcher): Promise<string>;
  updateProvisionWatcher(update: UpdateProvisionWatcher, fieldsChanged?: string[]): Promise<void>;
  getProvisionWatcher(name: string): Promise<ProvisionWatcher>;
  listProvisionWatchers(opts?: ListDevicesOptions): Promise<{ provisionWatchers: ProvisionWatcher[]; totalCount: number }>;
  deleteProvisionWatcher(name: string): Promise<void>;
  close(): void;
}

/** Typed, promise-based client of core-metadata's gRPC API, speaking EdgeX DTOs. */
export class CoreMetadataClient extends GrpcClient<CoreMetadataServiceClient> implements CoreMetadataApi {
  constructor(address: string, options?: GrpcClientOptions) {
    super(CoreMetadataServiceClient, address, options);
  }

  // ----- device services -----

  async addDeviceService(service: DeviceService): Promise<string> {
    return (await this.unary(this.raw.addDeviceService, { service: deviceServiceToProto(service) })).id;
  }
  async updateDeviceService(update: UpdateDeviceService, fieldsChanged?: string[]): Promise<void> {
    const { service, updateMask } = deviceServiceUpdateToProto(update);
    await this.unary(this.raw.updateDeviceService, { service, updateMask: fieldsChanged ?? updateMask });
  }
  async getDeviceService(name: string): Promise<DeviceService> {
    const res = await this.unary(this.raw.getDeviceService, { name });
    return deviceServiceFromProto(required(res.service, 'service'));
  }
  async listDeviceServices(opts: LabelPageOptions = {}): Promise<{ services: DeviceService[]; totalCount: number }> {
    const res = await this.unary(this.raw.listDeviceServices, { page: toPage(opts), labels: opts.labels ?? [] });
    return { services: res.services.map(deviceServiceFromProto), totalCount: res.totalCount };
  }
  async deleteDeviceService(name: string): Promise<void> {
    await this.unary(this.raw.deleteDeviceService, { name });
  }

  // ----- device profiles -----

  async addDeviceProfile(profile: DeviceProfile): Promise<string> {
    return (await this.unary(this.raw.addDeviceProfile, { profile: deviceProfileToProto(profile) })).id;
  }
  /** Replaces the whole profile of that name. */
  async updateDeviceProfile(profile: DeviceProfile): Promise<void> {
    await this.unary(this.raw.updateDeviceProfile, { profile: deviceProfileToProto(profile) });
  }
  /** Adds (or with replace, replaces) a profile given as YAML or JSON text. */
  async uploadDeviceProfile(content: string, replace = false): Promise<string> {
    return (await this.unary(this.raw.uploadDeviceProfile, { content, replace })).id;
  }
  async getDeviceProfile(name: string): Promise<DeviceProfile> {
    const res = await this.unary(this.raw.getDeviceProfile, { name });
    return deviceProfileFromProto(required(res.profile, 'profile'));
  }
  async listDeviceProfiles(opts: LabelPageOptions = {}): Promise<{ profiles: DeviceProfile[]; totalCount: number }> {
    const res = await this.unary(this.raw.listDeviceProfiles, { page: toPage(opts), labels: opts.labels ?? [] });
    return { profiles: res.profiles.map(deviceProfileFromProto), totalCount: res.totalCount };
  }
  async deleteDeviceProfile(name: string): Promise<void> {
    await this.unary(this.raw.deleteDeviceProfile, { name });
  }
  async getDeviceResource(profileName: string, resourceName: string): Promise<DeviceResource> {
    const res = await this.unary(this.raw.getDeviceResource, { profileName, resourceName });
    return deviceResourceFromProto(required(res.resource, 'resource'));
  }

  // ----- devices -----

  /** `bypassValidation`: store without asking the owning device service to validate the device. */
  async addDevice(device: Device, opts: DeviceWriteOptions = {}): Promise<string> {
    return (await this.unary(this.raw.addDevice, { device: deviceToProto(device), bypassValidation: opts.bypassValidation ?? false })).id;
  }
  /**
   * Changes the fields present in `update` (found by id, else name). `fieldsChanged` overrides the
   * update mask, e.g. to clear a field: updateDevice({ name, labels: [] }) already clears labels.
   */
  async updateDevice(update: UpdateDevice, fieldsChanged?: string[], opts: DeviceWriteOptions = {}): Promise<void> {
    const { device, updateMask } = deviceUpdateToProto(update);
    await this.unary(this.raw.updateDevice, {
      device,
      updateMask: fieldsChanged ?? updateMask,
      bypassValidation: opts.bypassValidation ?? false,
    });
  }
  async getDevice(name: string): Promise<Device> {
    const res = await this.unary(this.raw.getDevice, { name });
    return deviceFromProto(required(res.device, 'device'));
  }
  async listDevices(opts: ListDevicesOptions = {}): Promise<{ devices: Device[]; totalCount: number }> {
    const res = await this.unary(this.raw.listDevices, {
      page: toPage(opts),
      labels: opts.labels ?? [],
      serviceName: opts.serviceName ?? '',
      profileName: opts.profileName ?? '',
    });
    return { devices: res.devices.map(deviceFromProto), totalCount: res.totalCount };
  }
  async deleteDevice(name: string): Promise<void> {
    await this.unary(this.raw.deleteDevice, { name });
  }

  // ----- provision watchers -----

  async addProvisionWatcher(watcher: ProvisionWatcher): Promise<string> {
    return (await this.unary(this.raw.addProvisionWatcher, { provisionWatcher: provisionWatcherToProto(watcher) })).id;
  }
  async updateProvisionWatcher(update: UpdateProvisionWatcher, fieldsChanged?: string[]): Promise<void> {
    const { provisionWatcher, updateMask } = provisionWatcherUpdateToProto(update);
    await this.unary(this.raw.updateProvisionWatcher, { provisionWatcher, updateMask: fieldsChanged ?? updateMask });
  }
  async getProvisionWatcher(name: string): Promise<ProvisionWatcher> {
    const res = await this.unary(this.raw.getProvisionWatcher, { name });
    return provisionWatcherFromProto(required(res.provisionWatcher, 'provisionWatcher'));
  }
  async listProvisionWatchers(opts: ListDevicesOptions = {}): Promise<{ provisionWatchers: ProvisionWatcher[]; totalCount: number }> {
    const res = await this.unary(this.raw.listProvisionWatchers, {
      page: toPage(opts),
      labels: opts.labels ?? [],
      serviceName: opts.serviceName ?? '',
      profileName: opts.profileName ?? '',
    });
    return { provisionWatchers: res.provisionWatchers.map(provisionWatcherFromProto), totalCount: res.totalCount };
  }
  async deleteProvisionWatcher(name: string): Promise<void> {
    await this.unary(this.raw.deleteProvisionWatcher, { name });
  }
}
