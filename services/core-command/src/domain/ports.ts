import type { Device, DeviceProfile, DeviceService } from '@edgex-ts/contracts';
import type { MessageEnvelope } from '@edgex-ts/runtime';

/** What the command domain reads from core-metadata. Errors are EdgeXErrors (NotFound, ServiceUnavailable, …). */
export interface MetadataLookup {
  device(name: string): Promise<Device>;
  devices(page: { offset: number; limit: number }): Promise<{ devices: Device[]; totalCount: number }>;
  profile(name: string): Promise<DeviceProfile>;
  deviceService(name: string): Promise<DeviceService>;
}

export type CommandMethod = 'get' | 'set';

/** One command request to a device service. */
export interface DeviceCommandRequest {
  serviceName: string;
  deviceName: string;
  commandName: string;
  method: CommandMethod;
  /** SET: resource → value; GET: none. */
  values?: Record<string, unknown>;
  queryParams: Record<string, string>;
  correlationID?: string;
  /** The caller's request id, reused toward the device service when it is free (as EdgeX forwards the request). */
  requestID?: string;
}

/** Carries a command to the owning device service and brings back its answer (ServiceUnavailable on timeout). */
export interface DeviceCommandChannel {
  send(request: DeviceCommandRequest): Promise<MessageEnvelope>;
}
