/**
 * device-mqtt's own config section, EdgeX's `MQTTBrokerInfo` (device-mqtt-go `cmd/res/configuration.yaml`):
 * the broker the devices talk to, which may differ from the EdgeX message bus broker. It is read from the same
 * config file and environment as the rest of the service (env `MQTTBROKERINFO_HOST`, …), below the
 * programmatic overrides. Credentials for `AuthMode: usernamepassword` come from EdgeX's
 * `Writable.InsecureSecrets` entry whose `SecretName` is `CredentialsName`, or from `Username`/`Password`.
 */
import { z } from 'zod';
import { parseDuration } from '@edgex-ts/sdk/contracts';
import { ConfigError, loadConfig, messageBusSectionSchema, type DeepPartial } from '@edgex-ts/sdk/runtime';

const seconds = z.number().min(0);

export const brokerInfoSchema = z.object({
  /** tcp | ssl | tls | ws | wss (also mqtt / mqtts), case-insensitive. */
  Schema: z.string().default('tcp'),
  Host: z.string().min(1).default('localhost'),
  Port: z.number().int().min(1).max(65535).default(1883),
  Qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
  /** Seconds between pings when nothing else flows. */
  KeepAlive: z.number().int().min(0).default(3600),
  ClientId: z.string().min(1).default('device-mqtt'),
  /** Failed connection attempts after which the service logs an ERROR (it keeps retrying). */
  ConnEstablishingRetry: z.number().int().min(0).default(10),
  /** Seconds between connection attempts. */
  ConnRetryWaitTime: seconds.default(5),
  /** Accepted for EdgeX files; there is no secret store to poll (credentials come from the config). */
  CredentialsRetryTime: seconds.default(120),
  CredentialsRetryWait: seconds.default(1),
  AuthMode: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['none', 'usernamepassword'], { message: 'expected none or usernamepassword' }))
    .default('none'),
  CredentialsName: z.string().default('credentials'),
  /** Our extension: credentials given directly (used when no InsecureSecrets entry matches). */
  Username: z.string().default(''),
  Password: z.string().default(''),
  /** Where devices publish readings: `<IncomingTopic without #>/<deviceName>/<sourceName>`. */
  IncomingTopic: z.string().default('incoming/data/#'),
  /** Where devices answer commands: `<ResponseTopic without #>/<requestId>`. */
  ResponseTopic: z.string().default('command/response/#'),
  /** Our extension: how long a command waits for its response (Go duration); empty = 5 × ResponseFetchInterval, as EdgeX waits. */
  ResponseTimeout: z.string().default(''),
  /** Our extension: commands waiting for a response at once; more are refused. */
  MaxPendingRequests: z.number().int().min(1).default(256),
  Writable: z
    .object({
      /** Milliseconds; EdgeX polls five times this long for a response. */
      ResponseFetchInterval: z.number().int().min(1).default(500),
    })
    .prefault({}),
});

const insecureSecretSchema = z.object({
  SecretName: z.string().optional(),
  SecretData: z.record(z.string(), z.string()).default({}),
});

const deviceMqttSectionsSchema = z.object({
  MQTTBrokerInfo: brokerInfoSchema.prefault({}),
  Writable: z.object({ InsecureSecrets: z.record(z.string(), insecureSecretSchema).default({}) }).prefault({}),
  /** Read only to keep the driver's client id apart from the service's message-bus client id. */
  MessageBus: messageBusSectionSchema.prefault({}),
});

export type BrokerInfo = z.infer<typeof brokerInfoSchema>;
export type BrokerInfoInput = DeepPartial<z.input<typeof brokerInfoSchema>>;
type SectionsInput = DeepPartial<z.input<typeof deviceMqttSectionsSchema>>;

/** What the driver needs to reach the device broker, resolved from the config. */
export interface BrokerSettings {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  qos: 0 | 1 | 2;
  keepAliveSec: number;
  reconnectMs: number;
  /** Failed attempts after which an ERROR is logged (retrying goes on). */
  attemptsBeforeError: number;
  incomingTopic: string;
  responseTopic: string;
  responseTimeoutMs: number;
  maxPendingRequests: number;
  /** Why `clientId` differs from `MQTTBrokerInfo.ClientId`, when it does. */
  clientIdNote?: string;
}

export interface LoadBrokerSettingsOptions {
  /** The service name (the message bus's default client id). */
  service: string;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  overrides?: SectionsInput;
}

/** Reads `MQTTBrokerInfo` (and `Writable.InsecureSecrets`) like the SDK reads the rest; throws ConfigError naming the key. */
export function loadBrokerSettings(opts: LoadBrokerSettingsOptions): BrokerSettings {
  const config = loadConfig({
    service: opts.service,
    schema: deviceMqttSectionsSchema,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
    overrides: opts.overrides,
  });
  const settings = brokerSettings(config.MQTTBrokerInfo, config.Writable.InsecureSecrets);
  // Two clients with one id on one broker take turns kicking each other off; EdgeX's files use
  // `device-mqtt` for both, and the device broker is often the message-bus broker.
  const busClientId = config.MessageBus.Optional.ClientId || opts.service;
  if (!config.MessageBus.Disabled && settings.clientId === busClientId) {
    settings.clientId = `${busClientId}-driver`;
    settings.clientIdNote = `MQTTBrokerInfo.ClientId ${busClientId} is also the message-bus client id; using ${settings.clientId}`;
  }
  return settings;
}

const SCHEMES: Record<string, string> = { tcp: 'mqtt', mqtt: 'mqtt', ssl: 'mqtts', tls: 'mqtts', mqtts: 'mqtts', ws: 'ws', wss: 'wss' };

export function brokerSettings(info: BrokerInfo, secrets: Record<string, z.infer<typeof insecureSecretSchema>> = {}): BrokerSettings {
  const fail = (key: string, value: unknown, why: string) => new ConfigError(`config: MQTTBrokerInfo.${key} = ${JSON.stringify(value)}: ${why}`);
  const scheme = SCHEMES[info.Schema.toLowerCase()];
  if (!scheme) throw fail('Schema', info.Schema, `expected one of ${Object.keys(SCHEMES).join(', ')}`);
  if (!/(^|\/)#$/.test(info.IncomingTopic)) throw fail('IncomingTopic', info.IncomingTopic, 'must end with the wildcard level # (e.g. incoming/data/#)');
  if (!/(^|\/)[#+]$/.test(info.ResponseTopic)) throw fail('ResponseTopic', info.ResponseTopic, 'must end with a wildcard level, # or + (the request id is its last level)');
  let responseTimeoutMs = 5 * info.Writable.ResponseFetchInterval;
  if (info.ResponseTimeout !== '') {
    try {
      responseTimeoutMs = parseDuration(info.ResponseTimeout);
    } catch (err) {
      throw fail('ResponseTimeout', info.ResponseTimeout, (err as Error).message);
    }
    if (responseTimeoutMs <= 0) throw fail('ResponseTimeout', info.ResponseTimeout, 'must be positive');
  }
  const settings: BrokerSettings = {
    url: `${scheme}://${info.Host}:${info.Port}`,
    clientId: info.ClientId,
    qos: info.Qos,
    keepAliveSec: info.KeepAlive,
    reconnectMs: Math.max(100, info.ConnRetryWaitTime * 1000),
    attemptsBeforeError: info.ConnEstablishingRetry,
    incomingTopic: info.IncomingTopic,
    responseTopic: info.ResponseTopic,
    responseTimeoutMs,
    maxPendingRequests: info.MaxPendingRequests,
  };
  if (info.AuthMode === 'usernamepassword') {
    const secret = Object.entries(secrets).find(([key, s]) => (s.SecretName ?? key) === info.CredentialsName)?.[1];
    const username = secret?.SecretData.username ?? info.Username;
    const password = secret?.SecretData.password ?? info.Password;
    if (!username) {
      throw fail(
        'AuthMode',
        info.AuthMode,
        `needs credentials: a Writable.InsecureSecrets entry with SecretName ${info.CredentialsName} (SecretData.username/password), or MQTTBrokerInfo.Username/Password`,
      );
    }
    settings.username = username;
    settings.password = password;
  }
  return settings;
}
