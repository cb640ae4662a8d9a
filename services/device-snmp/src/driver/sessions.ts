/**
 * SNMP sessions, one per endpoint and credentials (host, port, version, community or USM user, timeout,
 * retries), reused by every request and device that shares them, closed when no device uses them any more.
 * Requests are promises; failures are Errors whose message says what the agent answered (e.g. `notWritable`)
 * or that it did not answer.
 */
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { snmp, type Session, type SessionOptions, type Varbind } from './net-snmp.js';
import { DEFAULT_COMMUNITY, type SnmpEndpoint, type SnmpVersion } from './protocol.js';
import { errorMessage } from '@edgex-ts/contracts';

/** Who to talk to and how: the endpoint with the version and community a request resolved to. */
export interface SessionTarget {
  endpoint: SnmpEndpoint;
  version: SnmpVersion;
  community: string;
}

/** The target of a request: a resource's own `version`/`community` win over the device's, then EdgeX's `private`. */
export function targetOf(endpoint: SnmpEndpoint, resource: { version?: SnmpVersion; community?: string }): SessionTarget {
  return {
    endpoint,
    version: resource.version ?? endpoint.version,
    community: resource.community ?? endpoint.community ?? DEFAULT_COMMUNITY,
  };
}

/** Identifies a session: everything that is fixed when net-snmp creates one. */
export function sessionKey(t: SessionTarget): string {
  const e = t.endpoint;
  const credentials = t.version === '3' ? (e.usm ?? null) : t.community;
  return JSON.stringify([e.host, e.port, t.version, credentials, e.timeoutMs, e.retries]);
}

/** `udp://host:port (v2c)`: for messages and logs; never shows the community or keys. */
export function describeTarget(t: SessionTarget): string {
  const host = isIP(t.endpoint.host) === 6 ? `[${t.endpoint.host}]` : t.endpoint.host;
  return `${host}:${t.endpoint.port}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** An SNMP failure in words: the agent's error status (RFC 3416 names), a timeout, or a transport error. */
export function explainFailure(err: unknown, t: SessionTarget): string {
  if (err instanceof snmp.RequestTimedOutError) {
    const attempts = t.endpoint.retries + 1;
    return `no answer (timed out after ${attempts} attempt${attempts === 1 ? '' : 's'} of ${t.endpoint.timeoutMs} ms)`;
  }
  if (err instanceof snmp.RequestFailedError) {
    // net-snmp's message is "<Status>: <oid>" or "<Status>"
    const [status, oid] = err.message.split(': ');
    return `the agent answered ${lowerFirst(status)}${oid ? ` for ${oid}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Lets at most `limit` requests of a session be on the wire at once; the others wait their turn in order. */
class InFlightLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

interface PooledSession {
  session: Session;
  users: Set<string>;
  limit: InFlightLimit;
}

export class SessionPool {
  private readonly sessions = new Map<string, PooledSession>();

  /**
   * `maxInFlight` caps the requests of one session on the wire at once: a burst of datagrams overflows an
   * agent's receive queue (snmpd on loopback drops some of 500 at once), and each lost one costs a timeout.
   */
  constructor(
    private readonly log: Logger | undefined,
    private readonly maxInFlight = 8,
  ) {}

  /** Sessions open now. */
  get size(): number {
    return this.sessions.size;
  }

  /** The session for `target`, created on first use and remembered as used by `deviceName`. */
  private acquire(deviceName: string, target: SessionTarget): PooledSession {
    const key = sessionKey(target);
    let pooled = this.sessions.get(key);
    if (!pooled) {
      pooled = { session: this.open(target, key), users: new Set(), limit: new InFlightLimit(this.maxInFlight) };
      this.sessions.set(key, pooled);
      this.log?.debug({ agent: describeTarget(target), version: target.version }, 'new SNMP session');
    }
    pooled.users.add(deviceName);
    return pooled;
  }

  private open(t: SessionTarget, key: string): Session {
    const e = t.endpoint;
    const options: SessionOptions = {
      port: e.port,
      timeout: e.timeoutMs,
      retries: e.retries,
      transport: isIP(e.host) === 6 ? 'udp6' : 'udp4',
      version: t.version === '1' ? snmp.Version1 : t.version === '2c' ? snmp.Version2c : snmp.Version3,
    };
    let session: Session;
    if (t.version === '3') {
      const usm = e.usm;
      if (!usm) throw new Error(`${describeTarget(t)}: SNMP version 3 needs a SecurityName`);
      session = snmp.createV3Session(
        e.host,
        {
          name: usm.user,
          level: snmp.SecurityLevel[usm.level],
          ...(usm.authProtocol ? { authProtocol: snmp.AuthProtocols[usm.authProtocol], authKey: usm.authKey } : {}),
          ...(usm.privProtocol ? { privProtocol: snmp.PrivProtocols[usm.privProtocol], privKey: usm.privKey } : {}),
        },
        { ...options, context: usm.context },
      );
    } else {
      session = snmp.createSession(e.host, t.community, options);
    }
    // Without a listener an undecodable datagram would throw from net-snmp's socket handler.
    session.on('error', (err) => this.log?.warn({ agent: describeTarget(t), err: errorMessage(err) }, 'SNMP session error'));
    session.on('close', () => {
      if (this.sessions.get(key)?.session === session) this.sessions.delete(key);
    });
    return session;
  }

  get(deviceName: string, target: SessionTarget, oids: string[]): Promise<Varbind[]> {
    return this.send(deviceName, target, (session, done) => session.get(oids, (err, varbinds) => done(err, varbinds ?? [])));
  }

  set(deviceName: string, target: SessionTarget, varbinds: Varbind[]): Promise<Varbind[]> {
    return this.send(deviceName, target, (session, done) => session.set(varbinds, (err, answer) => done(err, answer ?? [])));
  }

  /** Every varbind below `oid`, in order (GETBULK with v2c/v3, GETNEXT with v1). */
  subtree(deviceName: string, target: SessionTarget, oid: string, maxRepetitions: number): Promise<Varbind[]> {
    const rows: Varbind[] = [];
    return this.send(deviceName, target, (session, done) =>
      session.subtree(
        oid,
        maxRepetitions,
        (varbinds) => {
          rows.push(...varbinds);
        },
        (err) => done(err, rows),
      ),
    );
  }

  /** Runs one net-snmp request on the target's session within its in-flight limit. */
  private send<T>(deviceName: string, target: SessionTarget, start: (session: Session, done: (err: Error | null, result: T) => void) => void): Promise<T> {
    const { session, limit } = this.acquire(deviceName, target);
    return limit.run(
      () =>
        // net-snmp throws for requests it cannot encode: a throw in the executor rejects the promise with it
        new Promise<T>((resolve, reject) => start(session, (err, result) => (err ? reject(err) : resolve(result)))),
    );
  }

  /** Closes the sessions only `deviceName` used. */
  releaseDevice(deviceName: string): void {
    for (const [key, pooled] of this.sessions) {
      pooled.users.delete(deviceName);
      if (pooled.users.size === 0) {
        this.sessions.delete(key);
        closeQuietly(pooled.session);
      }
    }
  }

  closeAll(): void {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const p of all) closeQuietly(p.session);
  }
}

function closeQuietly(session: Session): void {
  try {
    session.close();
  } catch {
    // already closed
  }
}
