/**
 * A device's Modbus protocol properties (EdgeX device-modbus `protocols.modbus-tcp` / `modbus-rtu`),
 * numbers given as strings or numbers. Timeout and IdleTimeout are in seconds, as in EdgeX.
 */
import { EdgeXError } from '@edgex-ts/contracts';
import type { Protocols } from '@edgex-ts/device-sdk';

export interface TcpEndpoint {
  kind: 'tcp';
  host: string;
  port: number;
  unitId: number;
  timeoutMs: number;
  idleTimeoutMs: number;
}

export interface RtuEndpoint {
  kind: 'rtu';
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  stopBits: 1 | 2;
  parity: 'none' | 'even' | 'odd';
  unitId: number;
  timeoutMs: number;
  idleTimeoutMs: number;
}

export type Endpoint = TcpEndpoint | RtuEndpoint;

const DEFAULT_TIMEOUT_S = 5;
const DEFAULT_IDLE_TIMEOUT_S = 5;

function invalid(device: string, protocol: string, key: string, value: unknown, expected: string): EdgeXError {
  return new EdgeXError('ContractInvalid', `device ${device}: protocols.${protocol}.${key} = ${JSON.stringify(value)}: expected ${expected}`);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

function num(
  device: string,
  protocol: string,
  props: Record<string, unknown>,
  key: string,
  dflt: number | undefined,
  check: (n: number) => boolean,
  expected: string,
): number {
  const value = props[key];
  if (!present(value)) {
    if (dflt === undefined) throw invalid(device, protocol, key, value, expected);
    return dflt;
  }
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || !check(n)) throw invalid(device, protocol, key, value, expected);
  return n;
}

const isInt = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;

function timeouts(device: string, protocol: string, props: Record<string, unknown>): { timeoutMs: number; idleTimeoutMs: number } {
  const timeout = num(device, protocol, props, 'Timeout', DEFAULT_TIMEOUT_S, (n) => n > 0, 'seconds > 0');
  const idle = num(device, protocol, props, 'IdleTimeout', DEFAULT_IDLE_TIMEOUT_S, (n) => n >= 0, 'seconds >= 0');
  return { timeoutMs: Math.round(timeout * 1000), idleTimeoutMs: Math.round(idle * 1000) };
}

/** The endpoint of a device from its protocols; throws ContractInvalid naming the bad property. */
export function parseEndpoint(device: string, protocols: Protocols): Endpoint {
  const tcp = protocols['modbus-tcp'];
  if (tcp) {
    const p = 'modbus-tcp';
    if (!present(tcp.Address)) throw invalid(device, p, 'Address', tcp.Address, 'a host name or IP address');
    return {
      kind: 'tcp',
      host: String(tcp.Address).trim(),
      port: num(device, p, tcp, 'Port', 502, isInt(1, 65535), 'a port 1..65535'),
      unitId: num(device, p, tcp, 'UnitID', 1, isInt(0, 255), 'a unit id 0..255'),
      ...timeouts(device, p, tcp),
    };
  }
  const rtu = protocols['modbus-rtu'];
  if (rtu) {
    const p = 'modbus-rtu';
    if (!present(rtu.Address)) throw invalid(device, p, 'Address', rtu.Address, 'a serial device path');
    const parityText = present(rtu.Parity) ? String(rtu.Parity).trim().toUpperCase() : 'N';
    const parity = ({ N: 'none', E: 'even', O: 'odd' } as const)[parityText as 'N' | 'E' | 'O'];
    if (!parity) throw invalid(device, p, 'Parity', rtu.Parity, 'N, E or O');
    return {
      kind: 'rtu',
      path: String(rtu.Address).trim(),
      baudRate: num(device, p, rtu, 'BaudRate', 19200, isInt(1, 4_000_000), 'a baud rate'),
      dataBits: num(device, p, rtu, 'DataBits', 8, isInt(5, 8), '5..8') as RtuEndpoint['dataBits'],
      stopBits: num(device, p, rtu, 'StopBits', 1, isInt(1, 2), '1 or 2') as RtuEndpoint['stopBits'],
      parity,
      unitId: num(device, p, rtu, 'UnitID', 1, isInt(0, 255), 'a unit id 0..255'),
      ...timeouts(device, p, rtu),
    };
  }
  throw new EdgeXError('ContractInvalid', `device ${device}: no modbus-tcp or modbus-rtu protocol properties`);
}

/** One connection per TCP endpoint / serial line: devices with different unit ids share it. */
export function connectionKey(e: Endpoint): string {
  return e.kind === 'tcp' ? `tcp://${e.host}:${e.port}` : `rtu://${e.path}`;
}

/** Human-readable endpoint for error messages. */
export function describeEndpoint(e: Endpoint): string {
  return e.kind === 'tcp' ? `${e.host}:${e.port} unit ${e.unitId}` : `${e.path} unit ${e.unitId}`;
}
