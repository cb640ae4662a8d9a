import { pino, type Logger, type MultiStreamRes } from 'pino';
import { Gauge, type Registry as PromRegistry } from 'prom-client';
import type { CommonConfig } from './config-schema.js';
import { durationMs } from './config-schema.js';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { postJson } from './http-post.js';
import { createLogger } from './log.js';
import { timeOrderedUuid } from './log-shipping-ids.js';
import { newCounter } from './metrics.js';
import type { Registry } from './registry.js';
import { backoffDelay } from './retry.js';

/** The service log lines are shipped to, and EdgeX 1.x's port for it (used when Clients names none). */
export const SUPPORT_LOGGING_SERVICE = 'support-logging';
export const SUPPORT_LOGGING_PORT = 48061;

/** Longer lines are cut to this many characters (they then arrive as raw text, not parsed fields). */
export const MAX_SHIPPED_LINE_CHARS = 64 * 1024;

/** How many batches one flush sends back to back when the buffer holds more than one. */
const BATCHES_PER_FLUSH = 10;

type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A log line as support-logging's `POST /api/v3/log` takes it (the id makes a retried batch idempotent). */
export interface ShippedEntry {
  id: string;
  originService: string;
  logLevel: Level;
  message: string;
  args: unknown[];
  created: number;
}

/** pino's numeric levels to EdgeX's (fatal is ERROR: EdgeX has nothing above it). */
function levelOf(n: unknown): Level {
  if (typeof n !== 'number') return 'INFO';
  if (n >= 50) return 'ERROR';
  if (n >= 40) return 'WARN';
  if (n >= 30) return 'INFO';
  if (n >= 20) return 'DEBUG';
  return 'TRACE';
}

const PINO_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg']);

/**
 * One pino JSON line as a LogEntry: `msg` is the message, `time` the created ms, `service` the origin, and every
 * other field goes into args as key, value (EdgeX's convention). A line that is not JSON is the message itself.
 */
export function logLineToEntry(line: string, service: string, now: number = Date.now()): ShippedEntry {
  let fields: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
  } catch {
    fields = undefined;
  }
  if (!fields) return { id: timeOrderedUuid(now), originService: service, logLevel: 'INFO', message: line.trimEnd(), args: [], created: now };
  const created = typeof fields.time === 'number' && Number.isSafeInteger(fields.time) && fields.time > 0 ? fields.time : now;
  const args: unknown[] = [];
  for (const [key, value] of Object.entries(fields)) if (!PINO_FIELDS.has(key)) args.push(key, value);
  return {
    id: timeOrderedUuid(created),
    originService: typeof fields.service === 'string' && fields.service !== '' ? fields.service : service,
    logLevel: levelOf(fields.level),
    message: typeof fields.msg === 'string' ? fields.msg : '',
    args,
    created,
  };
}

/** A fixed-capacity FIFO of lines: push and shift in O(1). */
class LineRing {
  private readonly slots: (string | undefined)[];
  private head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<string | undefined>(capacity);
  }

  push(line: string): void {
    this.slots[(this.head + this.size) % this.capacity] = line;
    this.size++;
  }

  shift(): string | undefined {
    if (this.size === 0) return undefined;
    const line = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return line;
  }
}

/** A batch support-logging refused as malformed (4xx): sending it again cannot help. */
class RefusedBatch extends Error {}

export interface LogShipperOptions {
  /** The shipping service's name: the origin of lines that carry none, and of the lost-lines warning. */
  service: string;
  settings: CommonConfig['Logging'];
  /** support-logging's base URL (http://host:port), looked up before every send. */
  target: () => Promise<string>;
  /** Where the shipper's own troubles go: stdout only, never into the shipper (no feedback loop). */
  diagnostics: Logger;
  /** The service's metrics registry. */
  metrics?: PromRegistry;
  /** For tests: the source of backoff jitter. */
  random?: () => number;
}

/**
 * A pino destination that ships log lines to support-logging. `write()` only appends to a buffer of at most
 * Logging.RemoteBufferSize lines (a full buffer drops its oldest line and counts it) and never blocks or throws;
 * a timer sends batches of RemoteBatchSize lines by HTTP POST every RemoteFlushInterval. A failed send keeps the
 * lines and is retried with growing pauses (up to RemoteMaxRetryInterval); once a send succeeds again, a WARN
 * entry tells support-logging how many lines were dropped meanwhile.
 */
export class LogShipper {
  private readonly ring: LineRing;
  /** The oldest lines, taken from the ring and converted: sent (and resent) as one batch with the same ids. */
  private batch: ShippedEntry[] = [];
  private sending = false;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private unreportedDrops = 0;
  private refusedLines = 0;
  private lastRefusalReport = -Infinity;
  private readonly bufferSize: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxRetryMs: number;
  private readonly timeoutMs: number;
  private readonly counters: { shipped?: { inc(n?: number): void }; dropped?: { inc(n?: number): void } };
  /** Lines dropped since start: the buffer was full, or support-logging refused their batch. */
  droppedLines = 0;
  /** Lines support-logging accepted, since start. */
  shippedLines = 0;

  constructor(private readonly opts: LogShipperOptions) {
    const s = opts.settings;
    this.bufferSize = s.RemoteBufferSize;
    this.batchSize = Math.min(s.RemoteBatchSize, s.RemoteBufferSize);
    this.intervalMs = Math.max(durationMs(s.RemoteFlushInterval), 1);
    this.maxRetryMs = Math.max(durationMs(s.RemoteMaxRetryInterval), this.intervalMs);
    this.timeoutMs = Math.max(durationMs(s.RemoteTimeout), 1);
    this.ring = new LineRing(this.bufferSize);
    this.counters = opts.metrics ? shipperMetrics(opts.metrics, () => this.buffered) : {};
  }

  /** Lines waiting to be sent (never more than RemoteBufferSize). */
  get buffered(): number {
    return this.ring.size + this.batch.length;
  }

  /** The pino destination's write: append, dropping the oldest line when full. Never throws. */
  write(line: string): void {
    if (this.closed) return;
    try {
      if (this.buffered >= this.bufferSize) {
        this.countDrop();
        // The whole buffer is the batch on its way (RemoteBatchSize = RemoteBufferSize): this line is the one to go.
        if (!this.dropOldest()) return;
      }
      this.ring.push(line.length > MAX_SHIPPED_LINE_CHARS ? line.slice(0, MAX_SHIPPED_LINE_CHARS) : line);
    } catch {
      // A log call must never fail because of shipping.
    }
  }

  /** The batch being resent is the oldest, unless a send of it is under way (then the ring's oldest line goes). */
  private dropOldest(): boolean {
    if (!this.sending && this.batch.length > 0) this.batch.shift();
    else if (this.ring.size > 0) this.ring.shift();
    else return false;
    return true;
  }

  private countDrop(): void {
    this.droppedLines++;
    this.unreportedDrops++;
    this.counters.dropped?.inc();
  }

  start(): void {
    this.schedule(this.intervalMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    let next = this.intervalMs;
    try {
      await this.sendBatches(BATCHES_PER_FLUSH, this.timeoutMs);
      if (this.failures > 0) this.opts.diagnostics.info(`log shipping: support-logging is reachable again after ${this.failures} failed attempts`);
      this.failures = 0;
      await this.reportDrops(this.timeoutMs);
      if (this.ring.size >= this.batchSize) next = 0;
    } catch (err) {
      this.failures++;
      if (this.failures === 1) {
        this.opts.diagnostics.warn(
          { err: errorMessage(err) },
          `log shipping: cannot reach support-logging; keeping up to ${this.bufferSize} lines (Logging.RemoteBufferSize), dropping the oldest beyond, and retrying`,
        );
      }
      next = backoffDelay({ initialDelayMs: this.intervalMs, maxDelayMs: this.maxRetryMs }, this.failures, this.opts.random);
    } finally {
      this.schedule(next);
    }
  }

  /** Sends up to `batches` batches; throws when support-logging cannot be reached (the lines stay). */
  private async sendBatches(batches: number, timeoutMs: number): Promise<void> {
    for (let i = 0; i < batches; i++) {
      if (this.batch.length === 0) this.takeBatch();
      if (this.batch.length === 0) return;
      const sent = this.batch;
      this.sending = true;
      try {
        await this.post(sent, timeoutMs);
        this.shippedLines += sent.length;
        this.counters.shipped?.inc(sent.length);
      } catch (err) {
        if (!(err instanceof RefusedBatch)) throw err;
        this.reportRefusal(err, sent.length);
        this.droppedLines += sent.length;
        this.counters.dropped?.inc(sent.length);
      } finally {
        this.sending = false;
      }
      this.batch = [];
    }
  }

  /** One stdout line per minute at most: a target that refuses every batch (a wrong URL: 404) must not flood stdout. */
  private reportRefusal(err: RefusedBatch, lines: number): void {
    this.refusedLines += lines;
    const now = Date.now();
    if (now - this.lastRefusalReport < 60_000) return;
    this.opts.diagnostics.error(
      { err: err.message, lines: this.refusedLines },
      'log shipping: support-logging refused what was sent (is Clients.support-logging right?); those lines are dropped',
    );
    this.lastRefusalReport = now;
    this.refusedLines = 0;
  }

  private takeBatch(): void {
    const now = Date.now();
    while (this.batch.length < this.batchSize && this.ring.size > 0) this.batch.push(logLineToEntry(this.ring.shift()!, this.opts.service, now));
  }

  /** Once support-logging takes lines again: one WARN entry saying how many were dropped while it could not. */
  private async reportDrops(timeoutMs: number): Promise<void> {
    const n = this.unreportedDrops;
    if (n === 0) return;
    const message = `log shipping: ${n} log lines of ${this.opts.service} were dropped while support-logging could not take them (Logging.RemoteBufferSize ${this.bufferSize})`;
    const now = Date.now();
    await this.post(
      [{ id: timeOrderedUuid(now), originService: this.opts.service, logLevel: 'WARN', message, args: ['droppedLines', n], created: now }],
      timeoutMs,
    );
    this.unreportedDrops -= n;
    this.opts.diagnostics.warn({ droppedLines: n }, message);
  }

  private async post(entries: ShippedEntry[], timeoutMs: number): Promise<void> {
    const base = await this.opts.target();
    const res = await postJson(`${base}/api/v3/log`, JSON.stringify(entries.map((logEntry) => ({ apiVersion: 'v3', logEntry }))), timeoutMs);
    const text = res.text;
    if (res.status >= 200 && res.status < 300) return;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new RefusedBatch(`${res.status}: ${text.slice(0, 300)}`);
    throw new EdgeXError('ServiceUnavailable', `support-logging answered ${res.status}: ${text.slice(0, 300)}`);
  }

  /**
   * Stops the timer and sends what is buffered, for at most Logging.RemoteTimeout in all; lines still buffered then
   * are reported on stdout and dropped. Lines written afterwards are not shipped. Never throws.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    await this.flushing;
    const deadline = Date.now() + this.timeoutMs;
    try {
      while (this.buffered > 0) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.sendBatches(1, left);
      }
      await this.reportDrops(Math.max(deadline - Date.now(), 1));
    } catch (err) {
      this.opts.diagnostics.warn({ err: errorMessage(err) }, 'log shipping: support-logging could not be reached at stop');
    }
    if (this.buffered > 0)
      this.opts.diagnostics.warn({ lines: this.buffered }, `log shipping: ${this.buffered} buffered log lines were not delivered before stop`);
  }
}

function shipperMetrics(reg: PromRegistry, buffered: () => number) {
  const shipped = newCounter(reg, 'log_shipping_lines_shipped_total', 'Log lines support-logging accepted');
  const dropped = newCounter(
    reg,
    'log_shipping_lines_dropped_total',
    'Log lines dropped: the buffer was full (Logging.RemoteBufferSize), or support-logging refused them',
  );
  if (!reg.getSingleMetric('log_shipping_lines_buffered')) {
    new Gauge({
      name: 'log_shipping_lines_buffered',
      help: 'Log lines waiting to be sent to support-logging',
      registers: [reg],
      collect() {
        this.set(buffered());
      },
    });
  }
  return { shipped, dropped };
}

/**
 * The destination a service's logger writes to when it may ship: stdout alone (as pino's default destination: fd 1,
 * asynchronous, flushed at exit), to which {@link startLogShipping} adds the shipper. Undefined (pino's default) when
 * shipping cannot be switched on: EnableRemoteLogging is false and the configuration does not come from Consul KV
 * (which may switch it on), or the service is support-logging itself.
 */
export function shippableLogDestination(service: string, config: CommonConfig): MultiStreamRes | undefined {
  if (service === SUPPORT_LOGGING_SERVICE) return undefined;
  if (!config.Logging.EnableRemoteLogging && config.Registry.Type !== 'consul') return undefined;
  return pino.multistream([{ level: 'trace', stream: pino.destination({ dest: process.stdout.fd || 1 }) }]);
}

/** support-logging's base URL: Clients['support-logging'] or the registry's answer; EdgeX 1.x's localhost:48061 when neither names it. */
export async function supportLoggingUrl(registry: Registry, config: CommonConfig): Promise<string> {
  const configured = Object.prototype.hasOwnProperty.call(config.Clients, SUPPORT_LOGGING_SERVICE);
  if (!configured && config.Registry.Type !== 'consul') return `http://localhost:${SUPPORT_LOGGING_PORT}`;
  const endpoint = await registry.resolve(SUPPORT_LOGGING_SERVICE);
  return `http://${endpoint.host}:${endpoint.restPort || SUPPORT_LOGGING_PORT}`;
}

/**
 * Adds the shipper to `destination` when Logging.EnableRemoteLogging is true (read after Consul KV was merged).
 * Returns it so that the runtime can flush it on stop.
 */
export function startLogShipping(opts: {
  service: string;
  config: CommonConfig;
  destination: MultiStreamRes;
  registry: Registry;
  metrics?: PromRegistry;
}): LogShipper | undefined {
  if (!opts.config.Logging.EnableRemoteLogging) return undefined;
  const shipper = new LogShipper({
    service: opts.service,
    settings: opts.config.Logging,
    target: () => supportLoggingUrl(opts.registry, opts.config),
    diagnostics: createLogger(opts.service, opts.config.Writable.LogLevel),
    metrics: opts.metrics,
  });
  opts.destination.add({ level: 'trace', stream: shipper });
  shipper.start();
  return shipper;
}
