import {
  deviceProfileWire,
  deviceServiceWire,
  deviceWire,
  provisionWatcherWire,
  type Device,
  type DeviceProfile,
  type DeviceService,
  type ProvisionWatcher,
  type SystemEvent,
} from '@edgex-ts/contracts';

export type SystemEventType = 'device' | 'deviceprofile' | 'deviceservice' | 'provisionwatcher';
export type SystemEventAction = 'add' | 'update' | 'delete';

/** The name core-metadata publishes system events under (source, and owner of profile events). */
export const METADATA_SOURCE = 'core-metadata';

/** A SystemEvent plus the profile name EdgeX appends to its topic (devices, profiles, watchers). */
export interface SystemEventNotice {
  event: SystemEvent;
  profileName?: string;
}

/**
 * Where the domain sends system events. emit() must not throw and must not wait for delivery:
 * a publish failure is the sink's to log; the mutation has already been stored.
 */
export interface SystemEventSink {
  emit(notice: SystemEventNotice): void;
}

export const discardEvents: SystemEventSink = { emit: () => {} };

/** What each type of system event carries in `details`. */
interface DetailsOf {
  device: Device;
  deviceprofile: DeviceProfile;
  deviceservice: DeviceService;
  provisionwatcher: ProvisionWatcher;
}

const WIRE: { [T in SystemEventType]: (dto: DetailsOf[T]) => object } = {
  device: deviceWire,
  deviceprofile: deviceProfileWire,
  deviceservice: deviceServiceWire,
  provisionwatcher: provisionWatcherWire,
};

/** Builds the EdgeX SystemEvent (reference §3.9): details = the full DTO as EdgeX's Go encoding writes it, timestamp in ns. */
export function systemEvent<T extends SystemEventType>(type: T, action: SystemEventAction, owner: string, details: DetailsOf[T]): SystemEvent {
  return {
    apiVersion: 'v3',
    type,
    action,
    source: METADATA_SOURCE,
    owner,
    details: WIRE[type](details),
    timestamp: Date.now() * 1_000_000,
  };
}
