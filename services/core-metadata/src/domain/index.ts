import type { DeviceProfile } from '@edgex-ts/contracts';
import type { MetadataStores } from '../store/types.js';
import { DeviceProfiles } from './device-profiles.js';
import { DeviceServices } from './device-services.js';
import { Devices, type DeviceValidator } from './devices.js';
import type { SystemEventSink } from './events.js';
import { ProvisionWatchers } from './provision-watchers.js';

export { DeviceProfiles, type DeviceCommandPatch, type DeviceResourcePatch, type ProfileQuery } from './device-profiles.js';
export { DeviceServices } from './device-services.js';
export { Devices, acceptAllDevices, type DeviceValidator, type DeviceWriteOptions } from './devices.js';
export { ProvisionWatchers } from './provision-watchers.js';
export { parseProfileFile } from './profile-file.js';
export { checkUnits, DEFAULT_UOM_FILE, loadUnitsOfMeasure, unitsOfMeasureJson, type UnitsOfMeasure } from './units-of-measure.js';
export * from './events.js';
export type { ListParams } from './common.js';

/** The core-metadata domain: what REST and gRPC both call. */
export interface MetadataDomain {
  deviceServices: DeviceServices;
  deviceProfiles: DeviceProfiles;
  devices: Devices;
  provisionWatchers: ProvisionWatchers;
}

export interface MetadataDomainDeps {
  stores: MetadataStores;
  /** Where system events go (the bus, or {@link discardEvents}). */
  events: SystemEventSink;
  /** Asks the owning device service about each device written; default: every device is accepted. */
  validator?: DeviceValidator;
  /** Checks a profile before it is stored (UoM validation); default: none. */
  checkProfile?: (profile: DeviceProfile) => void;
}

export function createMetadataDomain({ stores, events, validator, checkProfile }: MetadataDomainDeps): MetadataDomain {
  return {
    deviceServices: new DeviceServices(stores, events),
    deviceProfiles: new DeviceProfiles(stores, events, checkProfile),
    devices: new Devices(stores, events, validator),
    provisionWatchers: new ProvisionWatchers(stores, events),
  };
}
