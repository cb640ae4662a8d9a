// The shared protobuf models (edgex.common.v1), gathered under one name: `commonV1` in index.ts.
export { Event, Reading, BinaryValue } from './gen/edgex/common/v1/event.js';
export {
  Device,
  DeviceService,
  AutoEvent,
  AutoEventRetention,
  ProtocolProperties,
  ProvisionWatcher,
  DiscoveredDevice,
  BlockingValues,
} from './gen/edgex/common/v1/device.js';
export { DeviceProfile, DeviceResource, DeviceCommand, ResourceOperation, ResourceProperties } from './gen/edgex/common/v1/profile.js';
export {
  AdminState,
  OperatingState,
  adminStateFromJSON,
  adminStateToJSON,
  operatingStateFromJSON,
  operatingStateToJSON,
} from './gen/edgex/common/v1/states.js';
export { Page } from './gen/edgex/common/v1/paging.js';
