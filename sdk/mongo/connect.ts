import { MongoClient, type Db, type MongoClientOptions, type TopologyDescriptionChangedEvent } from 'mongodb';
import type { Logger } from 'pino';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { ConfigError, redactUrlPassword } from '@edgex-ts/runtime';
import { DEFAULT_RETRY_POLICY, withRetry, type Attempt, type RetryPolicy } from './retry.js';

/** A connected MongoDB database plus what stores need to use it well. */
export interface MongoHandle {
  readonly client: MongoClient;
  readonly db: Db;
  /** The URL without its password, for messages. */
  readonly where: string;
  /** Retry budget and backoff stores use (withRetry). */
  readonly retryPolicy: RetryPolicy;
  /** False between a lost connection and its recovery (as the driver's monitoring sees it). */
  readonly connected: boolean;
  /** withRetry bound to this server and policy: `await mongo.run('add device D1', () => col.insertOne(doc))`. */
  run<T>(what: string, op: Attempt<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenMongoOptions {
  /**
   * How long start waits for a reachable server, and each operation (retries included) before it fails
   * with ServiceUnavailable. Database.Timeout; default 5 s.
   */
  timeoutMs?: number;
  /** Connection pool size (default 20: REST/gRPC requests and a writer share it). */
  maxPoolSize?: number;
  /** Extra driver options (tests). */
  driver?: MongoClientOptions;
}

/** The database of a connection string: `dbName` if given, else the URL's path, else `edgex`. */
export function mongoDatabaseName(url: string, dbName?: string): string {
  if (dbName) return dbName;
  const m = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]+)/.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : 'edgex';
}

/**
 * Connects to MongoDB (any wire-compatible server such as FerretDB) and checks it answers. Fails with a ConfigError
 * for a malformed URL, and an EdgeXError ServiceUnavailable naming the URL (password hidden) when no server is
 * reachable within the timeout. While running, logs
 * one warning when the server becomes unreachable and one info line when it is back; the driver reconnects
 * on its own and operations run through `run()` retry transient failures within the timeout.
 */
export async function openMongo(url: string, dbName: string | undefined, log: Logger, options: OpenMongoOptions = {}): Promise<MongoHandle> {
  const where = redactUrlPassword(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_RETRY_POLICY.budgetMs;
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      appName: 'edgex-ts',
      maxPoolSize: options.maxPoolSize ?? 20,
      minPoolSize: 0,
      maxIdleTimeMS: 60_000,
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: Math.min(timeoutMs, 10_000),
      // A hung server must not hold a request (or a batch writer) forever.
      socketTimeoutMS: Math.max(30_000, timeoutMs * 2),
      heartbeatFrequencyMS: 2_000,
      // Undefined DTO fields stay absent (not null), as in JSON.
      ignoreUndefined: true,
      ...options.driver,
    });
  } catch (err) {
    throw new ConfigError(`mongodb: invalid connection string ${where} (Database.Url / MONGODB_URL): ${errorMessage(err)}`);
  }
  const name = mongoDatabaseName(url, dbName);
  try {
    await client.connect();
    await client.db(name).command({ ping: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new EdgeXError(
      'ServiceUnavailable',
      `mongodb: cannot connect to ${where} within ${timeoutMs} ms (Database.Url / MONGODB_URL, Database.Timeout): ${errorMessage(err)}`,
      err,
    );
  }
  const monitor = watchAvailability(client, where, log);
  log.info({ url: where, database: name }, 'mongodb database opened');
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, budgetMs: timeoutMs };
  let closed = false;
  return {
    client,
    db: client.db(name),
    where,
    retryPolicy,
    get connected() {
      return monitor.available;
    },
    run: (what, op) => withRetry(what, where, op, retryPolicy, log),
    async close() {
      if (closed) return;
      closed = true;
      monitor.stop();
      await client.close();
    },
  };
}

/** Logs transitions between "some server usable" and "none": once per loss, once per recovery. */
function watchAvailability(client: MongoClient, where: string, log: Logger): { readonly available: boolean; stop(): void } {
  let available = true;
  let lostAt = 0;
  const onChange = (ev: TopologyDescriptionChangedEvent) => {
    const servers = [...ev.newDescription.servers.values()];
    const usable = servers.some((s) => s.type !== 'Unknown' && s.type !== 'PossiblePrimary');
    if (usable === available) return;
    available = usable;
    if (!usable) {
      lostAt = Date.now();
      const reason = servers.map((s) => s.error?.message).find(Boolean) ?? 'server unknown';
      log.warn({ url: where }, `mongodb: connection to ${where} lost (${reason}); operations retry and fail with 503 until it is back`);
    } else {
      log.info({ url: where, downMs: Date.now() - lostAt }, `mongodb: connection to ${where} restored`);
    }
  };
  client.on('topologyDescriptionChanged', onChange);
  return {
    get available() {
      return available;
    },
    stop: () => client.off('topologyDescriptionChanged', onChange),
  };
}
