/**
 * Loads a device service's configuration: the SDK's defaults, the service's, then file, Consul, environment
 * and overrides (see loadConfig), with the service's own config sections validated alongside the common ones.
 */
import type { z } from 'zod';
import { parseDuration } from '@edgex-ts/contracts';
import { loadConfig, type DeepPartial } from '@edgex-ts/runtime';
import { deviceServiceConfigSchema, type DeviceServiceConfig } from './config.js';

export type DeviceServiceConfigInput = DeepPartial<z.input<typeof deviceServiceConfigSchema>> & Record<string, unknown>;

export interface DeviceServiceConfigSource {
  /** The service name (the config key in Consul, the prefix of nothing in the environment). */
  name: string;
  defaults?: DeviceServiceConfigInput;
  overrides?: DeviceServiceConfigInput;
  /** Extra top-level sections with their schemas (see StartDeviceServiceOptions.configSections). */
  sections?: Record<string, z.ZodType>;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Defaults every device service shares (EdgeX device-sdk defaults plus where core-metadata lives). */
const SDK_DEFAULTS: DeviceServiceConfigInput = {
  Clients: { 'core-metadata': { Host: 'localhost', Port: 59881, GrpcPort: 49881 } },
};

export function loadDeviceServiceConfig(source: DeviceServiceConfigSource): DeviceServiceConfig {
  const sections = source.sections ?? {};
  const reserved = Object.keys(sections).filter((k) => k in deviceServiceConfigSchema.shape);
  if (reserved.length) throw new TypeError(`configSections: ${reserved.join(', ')} is a section of every device service; pick another name`);
  // The extra sections ride along in the config object; the SDK itself only reads the common ones.
  return loadConfig({
    service: source.name,
    schema: deviceServiceConfigSchema.extend(sections) as unknown as typeof deviceServiceConfigSchema,
    defaults: deepMerge(SDK_DEFAULTS, source.defaults ?? {}) as DeviceServiceConfigInput,
    overrides: source.overrides,
    file: source.file,
    argv: source.argv,
    env: source.env,
  });
}

/** `Device.DeviceDownTimeout` in ms: a Go duration string, or a number of seconds (as EdgeX writes it). */
export function deviceDownTimeoutMs(config: DeviceServiceConfig): number {
  const v = config.Device.DeviceDownTimeout;
  return typeof v === 'number' ? v * 1000 : parseDuration(v);
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return b;
}
