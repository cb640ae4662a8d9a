import type { SystemEvent } from '@edgex-ts/sdk/contracts';

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

/** Builds the EdgeX SystemEvent (reference §3.9): details = the full DTO, timestamp in ns. */
export function systemEvent(
  type: SystemEventType,
  action: SystemEventAction,
  owner: string,
  details: unknown,
): SystemEvent {
  return {
    apiVersion: 'v3',
    type,
    action,
    source: METADATA_SOURCE,
    owner,
    details,
    timestamp: Date.now() * 1_000_000,
  };
}
