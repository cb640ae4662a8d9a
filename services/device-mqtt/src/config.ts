/**
 * device-mqtt's own config section, EdgeX's `MQTTBrokerInfo` (device-mqtt-go `cmd/res/configuration.yaml`):
 * the broker the devices talk to, which may differ from the EdgeX message bus broker. The SDK loads it with the
 * rest of the config (file < Consul < env `MQTTBROKERINFO_HOST`, … < overrides) and hands it to the driver.
 * Credentials for `AuthMode: usernamepassword` come from EdgeX's `Writable.InsecureSecrets` entry whose
 * `SecretName` is `CredentialsName`, or from `Username`/`Password`.
 */
import { errorMessage, parseDuration } from '@edgex-ts/contracts';
import { z } from '@edgex-ts/device-sdk';
import { ConfigError, loadConfig, messageBusSectionSchema, type DeepPartial } from '@edgex-ts/runtime';

export const BROKER_INFO_SECTION = 'MQTTBrokerInfo';

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
  /** Where devices answer commands: `<ResponseTopic prefix>/<requestId>`. */
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

export type BrokerInfo = z.infer<typeof brokerInfoSchema>;
export type BrokerInfoInput = DeepPartial<z.input<typeof brokerInfoSchema>>;

/** The part of the common sections the driver needs and the SDK does not hand to drivers. */
const contextSectionsSchema = z.object({
  MessageBus: messageBusSectionSchema.prefault({}),
});

/** Besides MQTTBrokerInfo: the credentials (SecretData of the CredentialsName secret) and the bus's client id. */
export interface DriverContext {
  /** `username`/`password` from the `Writable.InsecureSecrets` entry named MQTTBrokerInfo.CredentialsName. */
  credentials?: Readonly<Record<string, string>>;
  busClientId?: string;
}

export interface LoadDriverContextOptions {
  /** The service name (the message bus's default client id). */
  service: string;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  overrides?: DeepPartial<z.input<typeof contextSectionsSchema>>;
}

/** Reads `MessageBus` from the same file and environment as the service, for the bus's client id. */
export function loadDriverContext(opts: LoadDriverContextOptions): DriverContext {
  const config = loadConfig({
    service: opts.service,
    schema: contextSectionsSchema,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
    overrides: opts.overrides,
  });
  const bus = config.MessageBus;
  return { busClientId: bus.Disabled ? undefined : bus.Optional.ClientId || opts.service };
}

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

const SCHEMES: Record<string, string> = { tcp: 'mqtt', mqtt: 'mqtt', ssl: 'mqtts', tls: 'mqtts', mqtts: 'mqtts', ws: 'ws', wss: 'wss' };

/** Checks `MQTTBrokerInfo` beyond its schema and turns it into connection settings; ConfigError names the key. */
export function brokerSettings(info: BrokerInfo, context: DriverContext = {}): BrokerSettings {
  const fail = (key: string, value: unknown, why: string) => new ConfigError(`config: MQTTBrokerInfo.${key} = ${JSON.stringify(value)}: ${why}`);
  const scheme = SCHEMES[info.Schema.toLowerCase()];
  if (!scheme) throw fail('Schema', info.Schema, `expected one of ${Object.keys(SCHEMES).join(', ')}`);
  if (!/(^|\/)#$/.test(info.IncomingTopic)) throw fail('IncomingTopic', info.IncomingTopic, 'must end with the wildcard level # (e.g. incoming/data/#)');
  if (!/(^|\/)[#+]$/.test(info.ResponseTopic))
    throw fail('ResponseTopic', info.ResponseTopic, 'must end with a wildcard level, # or + (the request id is its last level)');
  let responseTimeoutMs = 5 * info.Writable.ResponseFetchInterval;
  if (info.ResponseTimeout !== '') {
    try {
      responseTimeoutMs = parseDuration(info.ResponseTimeout);
    } catch (err) {
      throw fail('ResponseTimeout', info.ResponseTimeout, errorMessage(err));
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
    const username = context.credentials?.username ?? info.Username;
    const password = context.credentials?.password ?? info.Password;
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
  // Two clients with one id on one broker take turns kicking each other off; EdgeX's files use
  // `device-mqtt` for both, and the device broker is often the message-bus broker.
  if (context.busClientId !== undefined && settings.clientId === context.busClientId) {
    settings.clientId = `${context.busClientId}-driver`;
    settings.clientIdNote = `MQTTBrokerInfo.ClientId ${context.busClientId} is also the message-bus client id; using ${settings.clientId}`;
  }
  return settings;
}
