/**
 * The SNMP driver's settings from the service's `Driver` section (strings, as EdgeX keeps them). A bad value
 * is a ContractInvalid error naming the key.
 */
import { isIP } from 'node:net';
import { EdgeXError } from '@edgex-ts/contracts';
import { parseRetries, parseTimeout, type RequestDefaults } from './protocol.js';

export interface SnmpDriverSettings extends RequestDefaults {
  /** UDP port of the trap listener; 0 = no listener. */
  trapPort: number;
  trapBindAddress: string;
  /** Communities a v1/v2c trap must carry; empty = any. */
  trapCommunities: string[];
  /** GETBULK max-repetitions of a walk. */
  maxRepetitions: number;
  /** Requests of one session on the wire at once. */
  maxInFlight: number;
}

/** The `Driver` section's defaults as the service config shows them (and env variables can override them). */
export const DRIVER_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  Timeout: '2s',
  Retries: '1',
  MaxRepetitions: '20',
  MaxInFlight: '8',
  TrapPort: '162',
  TrapBindAddress: '0.0.0.0',
  TrapCommunities: '',
};

function intIn(key: string, raw: string, min: number, max: number): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new EdgeXError('ContractInvalid', `Driver.${key} = '${raw}': expected an integer ${min}..${max}`);
  return n;
}

export function driverSettingsOf(config: Readonly<Record<string, string>>): SnmpDriverSettings {
  const s: SnmpDriverSettings = {
    timeoutMs: 2000,
    retries: 1,
    maxRepetitions: 20,
    maxInFlight: 8,
    trapPort: 162,
    trapBindAddress: '0.0.0.0',
    trapCommunities: [],
  };
  if (config.Timeout !== undefined) s.timeoutMs = parseTimeout(config.Timeout, 'Driver.Timeout');
  if (config.Retries !== undefined) s.retries = parseRetries(config.Retries, 'Driver.Retries');
  if (config.TrapPort !== undefined) s.trapPort = intIn('TrapPort', config.TrapPort, 0, 65535);
  if (config.TrapBindAddress !== undefined) {
    const a = config.TrapBindAddress.trim();
    if (!isIP(a)) throw new EdgeXError('ContractInvalid', `Driver.TrapBindAddress = '${config.TrapBindAddress}': expected an IP address such as 0.0.0.0`);
    s.trapBindAddress = a;
  }
  if (config.TrapCommunities !== undefined) {
    s.trapCommunities = config.TrapCommunities.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
  }
  if (config.MaxRepetitions !== undefined) s.maxRepetitions = intIn('MaxRepetitions', config.MaxRepetitions, 1, 1000);
  if (config.MaxInFlight !== undefined) s.maxInFlight = intIn('MaxInFlight', config.MaxInFlight, 1, 1000);
  return s;
}

export const DRIVER_DEFAULTS: SnmpDriverSettings = driverSettingsOf(DRIVER_CONFIG_DEFAULTS);
