/**
 * One Modbus connection per TCP endpoint or serial line, framing by `modbus-serial`. Requests are
 * serialized (one in flight), each bounded by the device's Timeout; any transport failure (timeout,
 * refused, closed by the peer, malformed answer) drops the connection so that the next request
 * reconnects. A Modbus exception answer leaves the connection up. The connection is closed after
 * IdleTimeout without requests.
 */
import ModbusSerial from 'modbus-serial';
import type { ModbusRTU } from 'modbus-serial/ModbusRTU.js';
import { EdgeXError } from '@edgex-ts/sdk/contracts';
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

/** modbus-serial is CommonJS (`module.exports = ModbusRTU`); its typings describe an ESM default. */
const ModbusClient = ModbusSerial as unknown as new () => ModbusRTU;

export class ModbusConnection {
  private client: ModbusRTU | undefined;
  private connecting: Promise<ModbusRTU> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private closedSignal: (() => void) | undefined;
  private closed = false;
  /** Modbus requests sent over this connection (for observability and tests). */
  requestCount = 0;

  constructor(readonly key: string) {}

  /**
   * Runs `op` for `endpoint` after every earlier request of this connection, with the endpoint's
   * timeout. `what` describes the request for error messages ("device D: read HOLDING_REGISTERS 0 (+4)").
   * Errors are EdgeXError `Communication` naming `what` and the endpoint.
   */
  run<T>(endpoint: Endpoint, what: string, op: ClientOp<T>): Promise<T> {
    const result = this.tail.then(() => this.execute(endpoint, what, op));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Closes the connection; later requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.drop();
  }

  private async execute<T>(endpoint: Endpoint, what: string, op: ClientOp<T>): Promise<T> {
    if (this.closed) throw new EdgeXError('Communication', `${what}: the Modbus connection ${this.key} is closed`);
    clearTimeout(this.idleTimer);
    const where = describeEndpoint(endpoint);
    try {
      const client = await this.withTimeout(endpoint.timeoutMs, this.connect(endpoint), 'connect');
      client.setID(endpoint.unitId);
      client.setTimeout(endpoint.timeoutMs);
      this.requestCount++;
      const lost = new Promise<never>((_, reject) => {
        this.closedSignal = () => reject(new TransportFailure('connection closed by the peer'));
      });
      try {
        return await this.withTimeout(endpoint.timeoutMs, Promise.race([op(client), lost]), 'answer');
      } finally {
        this.closedSignal = undefined;
      }
    } catch (err) {
      const modbusCode = (err as { modbusCode?: unknown })?.modbusCode;
      if (typeof modbusCode === 'number') {
        throw new EdgeXError('Communication', `${what} at ${where}: ${new ModbusException(modbusCode).message}`, err);
      }
      this.drop();
      throw new EdgeXError('Communication', `${what} at ${where}: ${messageOf(err)}`, err);
    } finally {
      this.armIdle(endpoint.idleTimeoutMs);
    }
  }

  private connect(endpoint: Endpoint): Promise<ModbusRTU> {
    if (this.client?.isOpen) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.drop();
    const client = new ModbusClient();
    // modbus-serial relays port errors as events; a failure is handled through the pending request.
    client.on('error', () => undefined);
    client.on('close', () => {
      // A dropped client (or one still connecting) is no longer ours: its close means nothing.
      if (this.client !== client) return;
      this.client = undefined;
      this.closedSignal?.();
    });
    const opened =
      endpoint.kind === 'tcp'
        ? client.connectTCP(endpoint.host, { port: endpoint.port })
        : client.connectRTUBuffered(endpoint.path, {
            baudRate: endpoint.baudRate,
            dataBits: endpoint.dataBits,
            stopBits: endpoint.stopBits,
            parity: endpoint.parity,
          });
    const connecting = opened.then(
      () => {
        this.connecting = undefined;
        this.client = client;
        return client;
      },
      (err: unknown) => {
        this.connecting = undefined;
        destroy(client);
        throw new TransportFailure(`cannot connect: ${messageOf(err)}`);
      },
    );
    this.connecting = connecting;
    return connecting;
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
    if (client) destroy(client);
  }
}

function destroy(client: ModbusRTU): void {
  try {
    client.destroy(() => undefined);
  } catch {
    // already gone
  }
}

/** modbus-serial rejects with Errors and with plain objects ({name, message, errno}). */
function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object') {
    const { message, errno } = err as { message?: unknown; errno?: unknown };
    if (typeof message === 'string') return typeof errno === 'string' ? `${message} (${errno})` : message;
  }
  return String(err);
}
