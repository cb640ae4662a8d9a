import { z } from 'zod';
import { parseDuration } from './contracts.js';

/** Go duration text to milliseconds; throws EdgeXError ContractInvalid when it is not one. */
export function durationMs(text: string): number {
  return parseDuration(text);
}

function isDuration(s: string): boolean {
  try {
    parseDuration(s);
    return true;
  } catch {
    return false;
  }
}

/** A Go duration string such as "5s" or "250ms". */
export const goDuration = z.string().refine(isDuration, { message: 'expected a Go duration such as "5s" or "250ms"' });

const port = z.number().int().min(0).max(65535);

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type EdgeXLogLevel = (typeof LOG_LEVELS)[number];

export const serviceSectionSchema = z.object({
  /** Advertised host name (what other services and the registry use). */
  Host: z.string().default('localhost'),
  ServerBindAddr: z.string().default('0.0.0.0'),
  /** REST port; 0 = ephemeral. */
  Port: port.default(0),
  /** gRPC port; 0 = ephemeral. */
  GrpcPort: port.default(0),
  MaxResultCount: z.number().int().min(1).default(1024),
  RequestTimeout: goDuration.default('5s'),
  /** Maximum request body, KB. */
  MaxRequestSize: z.number().int().min(1).default(25000),
  /** How long stop() lets in-flight REST/gRPC requests finish before closing them. */
  ShutdownTimeout: goDuration.default('10s'),
  /**
   * EdgeX's key: every name in bus topics escaped (as an EdgeX deployment with it true expects). False (EdgeX's
   * default): only names that cannot travel in a topic level are (see topicLevel).
   */
  EnableNameFieldEscape: z.boolean().default(false),
});

/** One entry of Writable.InsecureSecrets (EdgeX's secrets without a secret store). */
export const insecureSecretSchema = z.object({
  SecretName: z.string().optional(),
  SecretData: z.record(z.string(), z.string()).default({}),
});

export type InsecureSecret = z.infer<typeof insecureSecretSchema>;

/**
 * The entry of `secrets` whose SecretName, or (without one) whose entry name, is `name`, as EdgeX looks secrets
 * up. The entry named `name` itself comes first: it is the one POST /api/v3/secret writes, so a secret stored
 * that way wins over an entry of the configuration file with the same SecretName.
 */
export function insecureSecretNamed(secrets: Record<string, InsecureSecret>, name: string): InsecureSecret | undefined {
  const own = secrets[name];
  if (own && (own.SecretName || name) === name) return own;
  return Object.entries(secrets).find(([entry, s]) => (s.SecretName || entry) === name)?.[1];
}

export const writableSectionSchema = z.object({
  LogLevel: z.enum(LOG_LEVELS).default('INFO'),
  /** Secrets by entry name; POST /api/v3/secret adds to them when the configuration lives in Consul. */
  InsecureSecrets: z.record(z.string(), insecureSecretSchema).default({}),
});

export const messageBusSectionSchema = z.object({
  Disabled: z.boolean().default(false),
  Host: z.string().default('localhost'),
  Port: port.default(1883),
  /** tcp | ssl | tls | ws | wss (also mqtt / mqtts). */
  Protocol: z.string().default('tcp'),
  BaseTopicPrefix: z.string().default('edgex'),
  /** 'base64' = EdgeX v3 envelope (payload as base64 bytes); 'inline' = EdgeX v4 (payload inline JSON). */
  PayloadEncoding: z.enum(['base64', 'inline']).default('base64'),
  Optional: z
    .object({
      ClientId: z.string().default(''),
      Qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
      /** Seconds. */
      KeepAlive: z.number().int().min(0).default(10),
      CleanSession: z.boolean().default(false),
      Username: z.string().default(''),
      Password: z.string().default(''),
      /** Seconds to wait for the first connection at start. */
      ConnectTimeout: z.number().int().min(1).default(30),
      /** How long publish() waits for the PUBACK before rejecting (the message stays queued for delivery). */
      PublishTimeout: goDuration.default('30s'),
      /** Pause between reconnect attempts after the broker went away. */
      ReconnectPeriod: goDuration.default('1s'),
    })
    .prefault({}),
});

export const DATABASE_TYPES = ['sqlite', 'mongodb'] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

const MONGODB_URL = /^mongodb(\+srv)?:\/\/[^/?#]+/;

/**
 * Where a service persists. `sqlite` = a file at Path; `mongodb` = the server at Url (set, with Type, by MONGODB_URL).
 * Url's path names the database (`mongodb://host:27017/edgex`); Name, when set, wins; else `edgex`.
 */
export const databaseSectionSchema = z
  .object({
    Type: z.enum(DATABASE_TYPES).default('sqlite'),
    /** SQLite file. Defaults to ./data/<service>.db (set by loadConfig). */
    Path: z.string().default('./data/edgex.db'),
    /** MongoDB connection string, e.g. mongodb://127.0.0.1:27017/edgex. */
    Url: z.string().default(''),
    /** MongoDB database; '' = the one named in Url, else `edgex`. */
    Name: z.string().default(''),
    /** MongoDB: how long start and each operation wait for a reachable server (retries included) before failing. */
    Timeout: goDuration.default('5s'),
  })
  .superRefine((db, ctx) => {
    if (db.Type !== 'mongodb') return;
    if (db.Url === '') {
      ctx.addIssue({ code: 'custom', path: ['Url'], message: 'required when Database.Type is mongodb (or set MONGODB_URL)' });
    } else if (!MONGODB_URL.test(db.Url)) {
      ctx.addIssue({ code: 'custom', path: ['Url'], message: 'expected a MongoDB connection string such as mongodb://127.0.0.1:27017/edgex' });
    }
  });

export const clientEndpointSchema = z.object({
  Host: z.string().default('localhost'),
  Port: port.default(0),
  GrpcPort: port.default(0),
  /** EdgeX's key: `http`/`https` = the EdgeX REST API on Port, `grpc` = gRPC on GrpcPort; unset = the caller's default. */
  Protocol: z.enum(['http', 'https', 'grpc']).optional(),
});

/**
 * Where services register and find each other, and where their configuration lives.
 * `static` = the Clients section; `consul` = Consul's catalog and KV (set by CONSUL_HTTP_ADDR too).
 */
export const registrySectionSchema = z.object({
  Type: z.enum(['static', 'consul']).default('static'),
  Host: z.string().default('localhost'),
  Port: port.default(8500),
  Scheme: z.enum(['http', 'https']).default('http'),
  /** How often Consul runs this service's health checks (HTTP /api/v3/ping and gRPC health). */
  CheckInterval: goDuration.default('10s'),
  /** How long one check may take before it counts as failed. */
  CheckTimeout: goDuration.default('5s'),
  /** Consul removes a registration whose checks stayed critical this long (Consul's minimum is 1m). */
  DeregisterCriticalServiceAfter: goDuration.default('5m'),
  /** Root of this suite's keys in Consul KV: <ConfigStem>/<service>/<Section>/<Key>. */
  ConfigStem: z.string().min(1).default('edgex-ts'),
  /** How long resolve() may reuse a healthy-instance lookup before asking Consul again. */
  ResolveCacheTTL: goDuration.default('1s'),
});

/**
 * Log shipping to support-logging (EdgeX 1.x's `Logging.EnableRemoteLogging`), found as Clients['support-logging']
 * or through the registry. Lines wait in a bounded buffer and go in batches; see docs/support-logging.md.
 */
export const loggingSectionSchema = z
  .object({
    EnableRemoteLogging: z.boolean().default(false),
    /** Lines kept while support-logging is slow or away; beyond it the oldest are dropped and counted. */
    RemoteBufferSize: z.number().int().min(1).default(2000),
    /** Lines per POST; at most RemoteBufferSize. */
    RemoteBatchSize: z.number().int().min(1).default(200),
    /** How often buffered lines are sent (and the first pause after a failed send). */
    RemoteFlushInterval: goDuration.default('1s'),
    /** Longest pause between attempts while support-logging cannot be reached. */
    RemoteMaxRetryInterval: goDuration.default('30s'),
    /** How long one POST may take; also the most stop() waits to send what is still buffered. */
    RemoteTimeout: goDuration.default('5s'),
  })
  .refine((l) => l.RemoteBatchSize <= l.RemoteBufferSize, { message: 'must not exceed RemoteBufferSize', path: ['RemoteBatchSize'] });

export const commonConfigSchema = z.object({
  Service: serviceSectionSchema.prefault({}),
  Writable: writableSectionSchema.prefault({}),
  MessageBus: messageBusSectionSchema.prefault({}),
  Database: databaseSectionSchema.prefault({}),
  Clients: z.record(z.string(), clientEndpointSchema).default({}),
  Registry: registrySectionSchema.prefault({}),
  Logging: loggingSectionSchema.prefault({}),
});

export type CommonConfig = z.infer<typeof commonConfigSchema>;
