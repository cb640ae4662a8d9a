/**
 * Provisioning at start (EdgeX device-sdk behaviour): register this device service with core-metadata,
 * then add the profiles and devices from files whose names core-metadata does not know yet (existing
 * ones are left as they are). While core-metadata is unreachable the whole pass is retried with backoff (runtime's retry).
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage, hasErrorKind, type Device, type DeviceProfile, type ProvisionWatcher } from '@edgex-ts/contracts';
import { retry } from '@edgex-ts/runtime';

/** The device-service record registered with core-metadata. */
export interface DeviceServiceRecord {
  name: string;
  baseAddress: string;
  adminState: 'LOCKED' | 'UNLOCKED';
  description?: string;
  labels?: string[];
}

/** What provisioning needs from core-metadata (the SDK's CoreMetadataClient provides it). */
export interface MetadataApi {
  getDeviceService(name: string): Promise<unknown>;
  addDeviceService(service: DeviceServiceRecord): Promise<unknown>;
  updateDeviceService(update: { name: string; baseAddress: string }): Promise<unknown>;
  getDeviceProfile(name: string): Promise<unknown>;
  addDeviceProfile(profile: DeviceProfile): Promise<unknown>;
  getDevice(name: string): Promise<unknown>;
  addDevice(device: Device): Promise<unknown>;
  getProvisionWatcher(name: string): Promise<unknown>;
  addProvisionWatcher(watcher: ProvisionWatcher): Promise<unknown>;
}

export interface ProvisionOptions {
  service: DeviceServiceRecord;
  profiles: DeviceProfile[];
  devices: Device[];
  /** Provision watchers from files (added after the profiles, before the devices). */
  watchers?: ProvisionWatcher[];
  /**
   * Opens a metadata API for one attempt (e.g. resolve the address in the registry and connect). A NotFound
   * from it (core-metadata not registered yet) is retried like an unreachable core-metadata.
   */
  connect: () => Promise<MetadataApi & { close?(): void }>;
  log: Logger;
  signal?: AbortSignal;
  /** First and longest delay between attempts (ms); doubles in between, with jitter. Defaults 1 000 / 30 000. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface ProvisionResult {
  serviceAdded: boolean;
  /** The service was registered with another baseAddress (e.g. a new port) and now has this one. */
  serviceUpdated: boolean;
  profilesAdded: string[];
  devicesAdded: string[];
  watchersAdded: string[];
  /** Items core-metadata rejected (not retried), with the reason. */
  failed: { kind: 'profile' | 'device' | 'provision watcher'; name: string; error: string }[];
  attempts: number;
}

/** True for errors that mean "core-metadata is not reachable (yet)": worth retrying the whole pass. */
export function isUnreachable(err: unknown): boolean {
  if (hasErrorKind(err, 'ServiceUnavailable', 'Communication')) return true;
  const code = (err as { code?: unknown })?.code;
  // raw gRPC status: 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED
  return code === 14 || code === 4 || code === 'ECONNREFUSED';
}

async function exists(get: () => Promise<unknown>): Promise<boolean> {
  return (await found(get)) !== undefined;
}

/** What `get` returns, or undefined when core-metadata says it does not exist. */
async function found<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (hasErrorKind(err, 'NotFound')) return undefined;
    const code = (err as { code?: unknown })?.code;
    if (code === 5) return undefined; // gRPC NOT_FOUND
    throw err;
  }
}

/**
 * Runs provisioning until it succeeds or `signal` aborts (then rejects with the abort reason). While
 * core-metadata is unreachable the whole pass is retried with backoff (with jitter); items core-metadata
 * refuses (e.g. an invalid profile) are logged and reported, not retried.
 */
export async function provision(opts: ProvisionOptions): Promise<ProvisionResult> {
  try {
    return await retry(
      async (attempt) => {
        opts.signal?.throwIfAborted();
        const api = await opts.connect().catch((err: unknown) => {
          // Not (yet) in the registry, e.g. Consul before core-metadata registers: waited for like an unreachable one.
          throw hasErrorKind(err, 'NotFound') ? new EdgeXError('ServiceUnavailable', `core-metadata: ${errorMessage(err)}`, err) : err;
        });
        try {
          const result = await provisionOnce(api, opts);
          result.attempts = attempt;
          opts.log.info(
            {
              profilesAdded: result.profilesAdded.length,
              watchersAdded: result.watchersAdded.length,
              devicesAdded: result.devicesAdded.length,
              failed: result.failed.length,
            },
            `provisioned with core-metadata (attempt ${attempt})`,
          );
          return result;
        } finally {
          api.close?.();
        }
      },
      {
        initialDelayMs: opts.retryMinMs ?? 1_000,
        maxDelayMs: opts.retryMaxMs ?? 30_000,
        signal: opts.signal,
        retryable: isUnreachable,
        onRetry: ({ err, attempt, delayMs }) =>
          opts.log.warn({ attempt, retryInMs: delayMs, err: errorMessage(err) }, `core-metadata not reachable yet, retrying provisioning in ${delayMs} ms`),
      },
    );
  } catch (err) {
    opts.signal?.throwIfAborted();
    throw err;
  }
}

async function provisionOnce(api: MetadataApi, opts: ProvisionOptions): Promise<ProvisionResult> {
  const result: ProvisionResult = {
    serviceAdded: false,
    serviceUpdated: false,
    profilesAdded: [],
    devicesAdded: [],
    watchersAdded: [],
    failed: [],
    attempts: 0,
  };
  const { name, baseAddress } = opts.service;
  const registered = await found(() => api.getDeviceService(name) as Promise<{ baseAddress?: string }>);
  if (!registered) {
    await api.addDeviceService(opts.service);
    result.serviceAdded = true;
    opts.log.info({ baseAddress }, `registered device service ${name} with core-metadata`);
  } else if (registered.baseAddress !== baseAddress) {
    // As device-sdk-go: the record follows where the service listens now (its other fields are the user's).
    await api.updateDeviceService({ name, baseAddress });
    result.serviceUpdated = true;
    opts.log.info({ baseAddress, was: registered.baseAddress }, `updated the baseAddress of device service ${name} in core-metadata`);
  }
  const add = async (
    kind: ProvisionResult['failed'][number]['kind'],
    name: string,
    get: () => Promise<unknown>,
    put: () => Promise<unknown>,
    added: string[],
  ) => {
    try {
      if (await exists(get)) return;
      await put();
      added.push(name);
    } catch (err) {
      if (isUnreachable(err)) throw err;
      if (hasErrorKind(err, 'DuplicateName')) return; // added concurrently
      const error = errorMessage(err);
      result.failed.push({ kind, name, error });
      opts.log.error({ [kind]: name, err: error }, `core-metadata refused ${kind} ${name}`);
    }
  };
  for (const p of opts.profiles) {
    await add(
      'profile',
      p.name,
      () => api.getDeviceProfile(p.name),
      () => api.addDeviceProfile(p),
      result.profilesAdded,
    );
  }
  for (const w of opts.watchers ?? []) {
    await add(
      'provision watcher',
      w.name,
      () => api.getProvisionWatcher(w.name),
      () => api.addProvisionWatcher(w),
      result.watchersAdded,
    );
  }
  for (const d of opts.devices) {
    await add(
      'device',
      d.name,
      () => api.getDevice(d.name),
      () => api.addDevice(d),
      result.devicesAdded,
    );
  }
  return result;
}
