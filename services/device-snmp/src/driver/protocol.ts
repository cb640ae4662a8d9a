/**
 * A device's SNMP endpoint from its protocol properties: EdgeX device-snmp's `TCP {Address, Port}` plus this
 * driver's extras in the same map (Version, Community, SNMPv3 USM settings, Timeout, Retries, TrapAddress).
 * Numbers may be strings or numbers. A bad property is a ContractInvalid error naming it.
 */
import { isIP } from 'node:net';
import { EdgeXError, parseDuration } from '@edgex-ts/contracts';
import type { Protocols } from '@edgex-ts/device-sdk';

export type SnmpVersion = '1' | '2c' | '3';
export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
export type AuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type PrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r';

export interface UsmSettings {
  user: string;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  authKey?: string;
  privProtocol?: PrivProtocol;
  privKey?: string;
  context: string;
}

export interface SnmpEndpoint {
  host: string;
  port: number;
  version: SnmpVersion;
  /** The device's community (v1/v2c) when set; resources may name their own. */
  community?: string;
  /** SNMPv3 user (version 3 only). */
  usm?: UsmSettings;
  /** Per attempt. */
  timeoutMs: number;
  /** Re-sends after the first attempt. */
  retries: number;
  /** The address traps of this device come from, when it differs from `host`. */
  trapAddress?: string;
}

/** Request defaults from the Driver section, used when a device does not set its own. */
export interface RequestDefaults {
  timeoutMs: number;
  retries: number;
}

/** EdgeX device-snmp always used community `private` (it ignored the profile's `community` attribute). */
export const DEFAULT_COMMUNITY = 'private';
export const DEFAULT_PORT = 161;

const AUTH_PROTOCOLS: readonly AuthProtocol[] = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'];
const PRIV_PROTOCOLS: readonly PrivProtocol[] = ['des', 'aes', 'aes256b', 'aes256r'];
const LEVELS: readonly SecurityLevel[] = ['noAuthNoPriv', 'authNoPriv', 'authPriv'];

function present(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

function text(value: unknown): string {
  return String(value).trim();
}

/** The `TCP` protocol map (EdgeX's name); the key is matched without regard to case. */
function tcpProperties(protocols: Protocols): Record<string, unknown> | undefined {
  const key = Object.keys(protocols ?? {}).find((k) => k.toLowerCase() === 'tcp');
  return key === undefined ? undefined : protocols[key];
}

export function parseVersion(value: unknown, field: string): SnmpVersion {
  const v = text(value).toLowerCase().replace(/^v/, '');
  if (v === '1' || v === '2c' || v === '3') return v;
  if (v === '2') return '2c';
  throw new EdgeXError('ContractInvalid', `${field} = ${JSON.stringify(value)}: expected 1, 2c or 3`);
}

/** A Go duration (`2s`, `500ms`) or a number of seconds, as a positive number of milliseconds. */
export function parseTimeout(value: unknown, field: string): number {
  const raw = text(value);
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : safeDuration(raw);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new EdgeXError('ContractInvalid', `${field} = ${JSON.stringify(value)}: expected a duration such as 2s or 500ms (or seconds)`);
  return Math.round(ms);
}

function safeDuration(raw: string): number {
  try {
    return parseDuration(raw);
  } catch {
    return NaN;
  }
}

export function parseRetries(value: unknown, field: string): number {
  const n = Number(text(value));
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new EdgeXError('ContractInvalid', `${field} = ${JSON.stringify(value)}: expected an integer 0..10`);
  return n;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const found = allowed.find((a) => a.toLowerCase() === text(value).toLowerCase());
  if (!found) throw new EdgeXError('ContractInvalid', `${field} = ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  return found;
}

function parseUsm(device: string, p: Record<string, unknown>): UsmSettings {
  const field = (k: string) => `device ${device}: protocols.TCP.${k}`;
  const userKey = present(p.SecurityName) ? 'SecurityName' : 'User';
  if (!present(p[userKey])) throw new EdgeXError('ContractInvalid', `${field('SecurityName')}: required for SNMP version 3`);
  const hasAuth = present(p.AuthKey);
  const hasPriv = present(p.PrivKey);
  const level = present(p.SecurityLevel)
    ? oneOf(p.SecurityLevel, LEVELS, field('SecurityLevel'))
    : hasPriv
      ? 'authPriv'
      : hasAuth
        ? 'authNoPriv'
        : 'noAuthNoPriv';
  const usm: UsmSettings = { user: text(p[userKey]), level, context: present(p.Context) ? text(p.Context) : '' };
  if (level !== 'noAuthNoPriv') {
    if (!hasAuth) throw new EdgeXError('ContractInvalid', `${field('AuthKey')}: required for SecurityLevel ${level}`);
    usm.authProtocol = present(p.AuthProtocol) ? oneOf(p.AuthProtocol, AUTH_PROTOCOLS, field('AuthProtocol')) : 'sha';
    usm.authKey = text(p.AuthKey);
  }
  if (level === 'authPriv') {
    if (!hasPriv) throw new EdgeXError('ContractInvalid', `${field('PrivKey')}: required for SecurityLevel authPriv`);
    usm.privProtocol = present(p.PrivProtocol) ? oneOf(p.PrivProtocol, PRIV_PROTOCOLS, field('PrivProtocol')) : 'aes';
    usm.privKey = text(p.PrivKey);
  }
  return usm;
}

/** The device's endpoint; throws ContractInvalid naming the bad property. */
export function parseEndpoint(device: string, protocols: Protocols, defaults: RequestDefaults): SnmpEndpoint {
  const p = tcpProperties(protocols);
  if (!p) throw new EdgeXError('ContractInvalid', `device ${device}: no TCP protocol properties (protocols.TCP.Address and Port)`);
  const field = (k: string) => `device ${device}: protocols.TCP.${k}`;
  if (!present(p.Address)) throw new EdgeXError('ContractInvalid', `${field('Address')}: required (host name or IP address of the SNMP agent)`);
  let port = DEFAULT_PORT;
  if (present(p.Port)) {
    port = Number(text(p.Port));
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new EdgeXError('ContractInvalid', `${field('Port')} = ${JSON.stringify(p.Port)}: expected a port 1..65535`);
  }
  const version = present(p.Version) ? parseVersion(p.Version, field('Version')) : '2c';
  const endpoint: SnmpEndpoint = {
    host: text(p.Address),
    port,
    version,
    timeoutMs: present(p.Timeout) ? parseTimeout(p.Timeout, field('Timeout')) : defaults.timeoutMs,
    retries: present(p.Retries) ? parseRetries(p.Retries, field('Retries')) : defaults.retries,
  };
  if (present(p.Community)) endpoint.community = text(p.Community);
  if (version === '3') endpoint.usm = parseUsm(device, p);
  if (present(p.TrapAddress)) {
    if (!isIP(text(p.TrapAddress)))
      throw new EdgeXError('ContractInvalid', `${field('TrapAddress')} = ${JSON.stringify(p.TrapAddress)}: expected an IP address`);
    endpoint.trapAddress = text(p.TrapAddress);
  }
  return endpoint;
}
