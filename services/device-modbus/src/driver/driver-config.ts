/**
 * The Modbus driver's settings from the service's `Driver` section (strings, as EdgeX keeps them):
 * `MaxQueuedRequests` (an integer ≥ 1), `ReconnectBackoff` and `ReconnectBackoffMax` (Go durations).
 * A bad value is a ContractInvalid error naming the key.
 */
import { EdgeXError, parseDuration } from '@edgex-ts/contracts';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection.js';

/**
 * The `Driver` section's defaults, as strings: listed in the config so `/api/v3/config` shows them and
 * `DRIVER_MAXQUEUEDREQUESTS` etc. can override them (the runtime maps env onto keys it knows).
 */
export const DRIVER_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  MaxQueuedRequests: String(DEFAULT_CONNECTION_LIMITS.maxQueued),
  ReconnectBackoff: `${DEFAULT_CONNECTION_LIMITS.backoffInitialMs}ms`,
  ReconnectBackoffMax: `${DEFAULT_CONNECTION_LIMITS.backoffMaxMs / 1000}s`,
};

function durationOf(key: string, raw: string): number {
  let ms: number;
  try {
    ms = parseDuration(raw.trim());
  } catch {
    ms = NaN;
  }
  if (!Number.isFinite(ms) || ms < 0) throw new EdgeXError('ContractInvalid', `Driver.${key} = '${raw}': expected a duration such as 100ms or 10s`);
  return ms;
}

export function connectionLimitsOf(driverConfig: Readonly<Record<string, string>>): Partial<ConnectionLimits> {
  const out: Partial<ConnectionLimits> = {};
  const max = driverConfig.MaxQueuedRequests;
  if (max !== undefined) {
    const n = Number(max.trim());
    if (!Number.isInteger(n) || n < 1) throw new EdgeXError('ContractInvalid', `Driver.MaxQueuedRequests = '${max}': expected an integer >= 1`);
    out.maxQueued = n;
  }
  if (driverConfig.ReconnectBackoff !== undefined) out.backoffInitialMs = durationOf('ReconnectBackoff', driverConfig.ReconnectBackoff);
  if (driverConfig.ReconnectBackoffMax !== undefined) out.backoffMaxMs = durationOf('ReconnectBackoffMax', driverConfig.ReconnectBackoffMax);
  return out;
}
