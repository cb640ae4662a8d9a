/**
 * The part of the `net-snmp` package this driver uses, typed. net-snmp ships no type declarations, so it is
 * loaded with `require` and given this interface, which keeps its types out of the package's public API.
 */
import { createRequire } from 'node:module';
import type * as dgram from 'node:dgram';

/** SNMP syntax tags (net-snmp's `ObjectType`). */
export const ObjectType = {
  Boolean: 1,
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter: 65,
  Gauge: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

export type ObjectTypeName = keyof typeof ObjectType;

export interface Varbind {
  oid: string;
  type: number;
  value: unknown;
}

type ResponseCallback = (error: Error | null, varbinds?: Varbind[]) => void;

export interface Session {
  get(oids: string[], cb: ResponseCallback): void;
  set(varbinds: Varbind[], cb: ResponseCallback): void;
  /** Every OID below `oid`; `feed` may return true to stop early. */
  subtree(oid: string, maxRepetitions: number, feed: (varbinds: Varbind[]) => boolean | void, done: (error: Error | null) => void): void;
  close(): void;
  on(event: 'error' | 'close', listener: (...args: unknown[]) => void): void;
}

export interface SessionOptions {
  port: number;
  retries: number;
  timeout: number;
  backoff?: number;
  version: number;
  transport?: 'udp4' | 'udp6';
  context?: string;
}

export interface UsmUser {
  name: string;
  level: number;
  authProtocol?: number;
  authKey?: string;
  privProtocol?: number;
  privKey?: string;
}

/** A trap or inform as the receiver hands it over. */
export interface Notification {
  pdu: {
    type: number;
    varbinds: Varbind[];
    /** SNMPv1 Trap-PDU fields. */
    enterprise?: string;
    agentAddr?: string;
    generic?: number;
    specific?: number;
    community?: string;
  };
  rinfo: { address: string; port: number; family: string };
}

export interface Receiver {
  close(cb?: (socket: unknown) => void): void;
  getAuthorizer(): { addCommunity(community: string): void };
}

export interface ReceiverOptions {
  port: number;
  address?: string | null;
  transport?: 'udp4' | 'udp6';
  disableAuthorization?: boolean;
  includeAuthentication?: boolean;
  /** Lets the caller see the listening sockets (documented net-snmp option). */
  dgramModule?: { createSocket(type: dgram.SocketType): dgram.Socket };
}

interface NetSnmp {
  createSession(target: string, community: string, options: SessionOptions): Session;
  createV3Session(target: string, user: UsmUser, options: SessionOptions): Session;
  createReceiver(options: ReceiverOptions, callback: (error: Error | null, notification: Notification | null) => void): Receiver;
  Version1: number;
  Version2c: number;
  Version3: number;
  SecurityLevel: Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>;
  AuthProtocols: Record<'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>;
  PrivProtocols: Record<'des' | 'aes' | 'aes256b' | 'aes256r', number>;
  ErrorStatus: Record<number, string>;
  PduType: Record<'Trap' | 'TrapV2' | 'InformRequest', number>;
  RequestFailedError: new (...args: never[]) => Error & { status: number };
  RequestTimedOutError: new (...args: never[]) => Error;
}

export const snmp = createRequire(import.meta.url)('net-snmp') as NetSnmp;
