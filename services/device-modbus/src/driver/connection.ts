/**
 * One Modbus connection per TCP endpoint or serial line, framing by `modbus-serial`. Requests are
 * serialized (one in flight), each bounded by the device's Timeout; any transport failure (timeout,
 * refused, closed by the peer, malformed answer) drops the connection so that a later request
 * reconnects. A Modbus exception answer leaves the connection up. The connection is closed after
 * IdleTimeout without requests.
 *
 * Two bounds keep a dead or misbehaving peer from piling work up: at most `maxQueued` requests wait
 * or run on one connection (more are refused at once as busy), and after a transport failure no new
 * connection is tried before a backoff that doubles with every consecutive failure (up to a maximum, with
 * jitter: the SDK's backoffDelay); requests in that window fail at once with the last failure. (Not a retry
 * loop: nothing is retried on its own, the next request reconnects once the window is over.)
 */
import { connect, type Socket } from 'node:net';
import ModbusSerial from 'modbus-serial';
import type { ModbusRTU } from 'modbus-serial/ModbusRTU.js';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { backoffDelay } from '@edgex-ts/device-sdk';
import { describeEndpoint, type Endpoint } from './protocol.js';

/** What a client operation sees: the modbus-serial client, already addressed to the unit. */
export type ClientOp<T> = (client: ModbusRTU) => Promise<T>;

const MODBUS_EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

/** Thrown for a Modbus exception response (the request reached the device, which refused it). */
export class ModbusException extends Error {
  constructor(readonly code: number) {
    super(`Modbus exception ${code} (${MODBUS_EXCEPTIONS[code] ?? 'unknown'})`);
  }
}

class TransportFailure extends Error {}

/**
 * The kind of a failed exchange with a device. EdgeX's device SDK answers any driver read or write failure
 * with a server error (500), and clients of core-command rely on that status; the message says what failed.
 */
const DEVICE_FAILURE = 'UnexpectedServerError' as const;

/** How much one connection may hold and how it backs off (see the module comment). */
export interface ConnectionLimits {
  /** Requests waiting or running on one connection; more are refused as busy. */
  maxQueued: number;
  /** Wait after the first transport failure before reconnecting; doubled per further failure (a random part of each wait, up to half, is left out). */
  backoffInitialMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxQueued: 512, backoffInitialMs: 100, backoffMaxMs: 10_000 };

/** modbus-serial is CommonJS (`module.exports = ModbusRTU`); its typings describe an ESM default. */
const ModbusClient = ModbusSerial as unknown as new () => ModbusRTU;

export class ModbusConnection {
  private client: ModbusRTU | undefined;
  private connecting: Promise<ModbusRTU> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private closedSignal: (() => void) | undefined;
  private closed = false;
  /** The last dropped client's port closing: a serial line is opened again only once it is free. */
  private releasing: Promise<void> = Promise.resolve();
  /** Requests waiting or running. */
  private queued = 0;
  /** Consecutive transport failures, the last one, and when a reconnect may be tried again. */
  private failures = 0;
  private lastFailure = '';
  private retryAt = 0;
  /** Modbus requests sent over this connection (for observability and tests). */
  requestCount = 0;
  /** Requests refused because the connection was busy. */
  refusedBusy = 0;

  constructor(
    readonly key: string,
    private readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  ) {}

  /**
   * Runs `op` for `endpoint` after every earlier request of this connection, with the endpoint's
   * timeout. `what` describes the request for error messages ("device D: read HOLDING_REGISTERS 0 (+4)").
   * Errors are EdgeXErrors (500, as EdgeX) naming `what` and the endpoint; ServiceUnavailable (503) when busy.
   */
  run<T>(endpoint: Endpoint, what: string, op: ClientOp<T>): Promise<T> {
    if (this.queued >= this.limits.maxQueued) {
      this.refusedBusy++;
      return Promise.reject(
        new EdgeXError(
          'ServiceUnavailable',
          `${what} at ${describeEndpoint(endpoint)}: busy, ${this.queued} requests already queued on ${this.key} (limit Driver.MaxQueuedRequests = ${this.limits.maxQueued})`,
        ),
      );
    }
    this.queued++;
    const result = this.tail.then(() => this.execute(endpoint, what, op)).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Closes the connection; later requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.drop();
    await this.releasing;
  }

  private async execute<T>(endpoint: Endpoint, what: string, op: ClientOp<T>): Promise<T> {
    if (this.closed) throw new EdgeXError(DEVICE_FAILURE, `${what}: the Modbus connection ${this.key} is closed`);
    clearTimeout(this.idleTimer);
    const where = describeEndpoint(endpoint);
    if (!this.client?.isOpen && Date.now() < this.retryAt) {
      throw new EdgeXError(
        DEVICE_FAILURE,
        `${what} at ${where}: not reconnecting for ${this.retryAt - Date.now()} ms more after ${this.failures} consecutive failure${this.failures === 1 ? '' : 's'} (last: ${this.lastFailure})`,
      );
    }
    try {
      const client = await this.withTimeout(endpoint.timeoutMs, this.connect(endpoint), 'connect');
      client.setID(endpoint.unitId);
      client.setTimeout(endpoint.timeoutMs);
      this.requestCount++;
      const lost = new Promise<never>((_, reject) => {
        this.closedSignal = () => reject(new TransportFailure('connection closed by the peer'));
      });
      try {
        const result = await this.withTimeout(endpoint.timeoutMs, Promise.race([op(client), lost]), 'answer');
        this.failures = 0;
        return result;
      } finally {
        this.closedSignal = undefined;
      }
    } catch (err) {
      const modbusCode = (err as { modbusCode?: unknown })?.modbusCode;
      if (typeof modbusCode === 'number') {
        // The device answered: the link works, only this request was refused.
        this.failures = 0;
        throw new EdgeXError(DEVICE_FAILURE, `${what} at ${where}: ${new ModbusException(modbusCode).message}`, err);
      }
      this.drop();
      this.recordTransportFailure(messageOf(err));
      throw new EdgeXError(DEVICE_FAILURE, `${what} at ${where}: ${messageOf(err)}`, err);
    } finally {
      this.armIdle(endpoint.idleTimeoutMs);
    }
  }

  private recordTransportFailure(message: string): void {
    this.failures++;
    this.lastFailure = message;
    this.retryAt = Date.now() + backoffDelay({ initialDelayMs: this.limits.backoffInitialMs, maxDelayMs: this.limits.backoffMaxMs }, this.failures);
  }

  private connect(endpoint: Endpoint): Promise<ModbusRTU> {
    if (this.client?.isOpen) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.drop();
    const connecting = this.releasing.then(() => this.open(endpoint));
    this.connecting = connecting;
    return connecting;
  }

  private open(endpoint: Endpoint): Promise<ModbusRTU> {
    const client = new ModbusClient();
    // modbus-serial relays port errors as events; a failure is handled through the pending request.
    client.on('error', () => undefined);
    const lost = () => {
      // A dropped client (or one still connecting) is no longer ours: its close means nothing.
      if (this.client !== client) return;
      this.client = undefined;
      this.releasing = release(client);
      this.closedSignal?.();
    };
    client.on('close', lost);
    let opened: Promise<void>;
    if (endpoint.kind === 'tcp') {
      // Our own socket: modbus-serial's TCP port does not report a connection reset as a close, so a request
      // sent as the peer goes away would wait for its timeout.
      opened = connectSocket(endpoint.host, endpoint.port).then((socket) => {
        socket.on('close', lost);
        return client.linkTCP(socket, { port: endpoint.port });
      });
    } else {
      serialClients.add(client);
      // Loaded with the first serial line: serial support is a native, optional dependency (as for modbus-serial),
      // so a TCP-only gateway runs without it.
      opened = import('./serial-binding.js').then(({ hangUpAwareBinding }) =>
        client.connectRTUBuffered(endpoint.path, {
          baudRate: endpoint.baudRate,
          dataBits: endpoint.dataBits,
          stopBits: endpoint.stopBits,
          parity: endpoint.parity,
          binding: hangUpAwareBinding,
        } as Parameters<ModbusRTU['connectRTUBuffered']>[1]),
      );
    }
    return opened.then(
      () => {
        this.connecting = undefined;
        this.client = client;
        return client;
      },
      (err: unknown) => {
        this.connecting = undefined;
        this.releasing = release(client);
        throw new TransportFailure(`cannot connect: ${messageOf(err)}`);
      },
    );
  }

  private withTimeout<T>(ms: number, p: Promise<T>, phase: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransportFailure(`timed out after ${ms} ms waiting for the ${phase}`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private armIdle(ms: number): void {
    clearTimeout(this.idleTimer);
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.tail = this.tail.then(() => this.drop());
    }, ms);
    this.idleTimer.unref();
  }

  private drop(): void {
    clearTimeout(this.idleTimer);
    const client = this.client;
    this.client = undefined;
    if (client) this.releasing = release(client);
  }
}

/**
 * Closes a client's port; resolves once it is closed. modbus-serial's destroy() closes TCP sockets but
 * leaves a serial port open (its buffered RTU port has no destroy), so serial lines are closed explicitly.
 */
function release(client: ModbusRTU): Promise<void> {
  return new Promise((resolve) => {
    try {
      // destroy() also ends the client's pending transactions (and their timers).
      if (serialClients.has(client)) client.close(() => client.destroy(() => resolve()));
      else client.destroy(() => resolve());
    } catch {
      resolve(); // already gone
    }
  });
}

function connectSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Clients on a serial line (see release()). */
const serialClients = new WeakSet<ModbusRTU>();

/** modbus-serial rejects with Errors and with plain objects ({name, message, errno}). */
function messageOf(err: unknown): string {
  if (err && typeof err === 'object' && !(err instanceof Error)) {
    const { message, errno } = err as { message?: unknown; errno?: unknown };
    if (typeof message === 'string') return typeof errno === 'string' ? `${message} (${errno})` : message;
  }
  return errorMessage(err);
}
