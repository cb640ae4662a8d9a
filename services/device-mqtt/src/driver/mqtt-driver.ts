/**
 * The device-mqtt protocol driver (EdgeX device-mqtt-go conventions): one connection to the device broker,
 * commands as request/response over `<CommandTopic>/<resource>/<get|set>/<id>` → `<ResponseTopic>/<id>`
 * (one request per resource, in order), and readings devices push on the incoming topic.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { EdgeXError, type Device, errorMessage } from '@edgex-ts/contracts';
import { z, type AdminState, type CommandRequest, type CommandValue, type DeviceServiceSdk, type ProtocolDriver, type Protocols } from '@edgex-ts/device-sdk';
import { newCounter, type ServiceRuntime } from '@edgex-ts/runtime';
import { BROKER_INFO_SECTION, brokerInfoSchema, brokerSettings, type BrokerInfo, type BrokerSettings, type DriverContext } from '../config.js';
import { DeviceBroker } from './broker.js';
import { IncomingReadings, type IncomingOutcome } from './incoming.js';
import { PendingRequests, type PendingLabel } from './pending.js';
import { COMMAND_TOPIC, PROTOCOL, commandTopicOf, requestTopic, responseRequestId, type Method } from './topics.js';
import { jsonFromDevice, setPayload, valueFromDevice } from './values.js';

/** Counts since start (also exported as Prometheus counters once {@link MqttDriver.useMetrics} is called). */
export interface MqttDriverStats {
  incomingPushed: number;
  incomingRejected: number;
  /** Responses nobody waited for (late, unknown or duplicate request ids). */
  responsesIgnored: number;
  commandTimeouts: number;
}

type CounterName = keyof MqttDriverStats;

export class MqttDriver implements ProtocolDriver {
  private log: Logger | undefined;
  private broker: DeviceBroker | undefined;
  private incoming: IncomingReadings | undefined;
  private pending: PendingRequests | undefined;
  private resolved: BrokerSettings | undefined;
  private readonly counts: MqttDriverStats = { incomingPushed: 0, incomingRejected: 0, responsesIgnored: 0, commandTimeouts: 0 };
  private onCount: ((name: CounterName) => void) | undefined;
  /** What core-metadata's device validation checks before `validateDevice`: `protocols.mqtt.CommandTopic`. */
  readonly protocolProperties = {
    [PROTOCOL]: z.looseObject({
      [COMMAND_TOPIC]: z
        .string({ error: 'expected the topic commands are published below, e.g. command/my-device' })
        .min(1)
        .refine((t) => !/[+#]/.test(t), { error: 'must not contain the wildcards + or #' }),
    }),
  };

  /** `context`: credentials and the bus client id (see loadDriverContext); MQTTBrokerInfo comes from the SDK. */
  constructor(private readonly context: DriverContext = {}) {}

  /** The connection settings resolved from MQTTBrokerInfo at initialize. */
  get settings(): BrokerSettings | undefined {
    return this.resolved;
  }

  /** Connected to the device broker with the incoming and response topics subscribed. */
  get ready(): boolean {
    return this.broker?.ready ?? false;
  }

  /** Commands waiting for a device's answer right now. */
  get pendingCount(): number {
    return this.pending?.size ?? 0;
  }

  get stats(): MqttDriverStats {
    return { ...this.counts };
  }

  /** Exports the counters on a service's Prometheus registry (counts so far included). */
  useMetrics(registry: ServiceRuntime['metrics']): void {
    const incoming = newCounter(registry, 'device_mqtt_incoming_messages_total', 'Messages on the incoming topic, by outcome', ['result']);
    const ignored = newCounter(registry, 'device_mqtt_responses_ignored_total', 'Command responses nobody waited for (late or unknown request id)');
    const timeouts = newCounter(registry, 'device_mqtt_command_timeouts_total', 'Commands whose device did not answer within the response timeout');
    const inc: Record<CounterName, (n?: number) => void> = {
      incomingPushed: (n) => incoming.inc({ result: 'pushed' }, n),
      incomingRejected: (n) => incoming.inc({ result: 'rejected' }, n),
      responsesIgnored: (n) => ignored.inc(n),
      commandTimeouts: (n) => timeouts.inc(n),
    };
    for (const name of Object.keys(inc) as CounterName[]) inc[name](this.counts[name]);
    this.onCount = (name) => inc[name]();
  }

  private count(name: CounterName): void {
    this.counts[name]++;
    this.onCount?.(name);
  }

  initialize(sdk: DeviceServiceSdk): void {
    const log = sdk.log.child({ component: 'mqtt-driver' });
    this.log = log;
    const info = brokerInfoSchema.parse(sdk.customConfig?.[BROKER_INFO_SECTION] ?? {});
    const settings = brokerSettings(info, this.contextWith(sdk, info.CredentialsName));
    this.resolved = settings;
    const pending = new PendingRequests(settings.maxPendingRequests, settings.responseTimeoutMs, () => this.count('commandTimeouts'));
    this.pending = pending;
    this.incoming = new IncomingReadings({
      sdk,
      log,
      filter: settings.incomingTopic,
      count: (outcome: IncomingOutcome) => this.count(outcome === 'pushed' ? 'incomingPushed' : 'incomingRejected'),
    });
    this.connect(settings);
    if (info.AuthMode === 'usernamepassword') {
      sdk.onSecretChange?.((name) => {
        if (name === info.CredentialsName) void this.useNewCredentials(sdk, info);
      });
    }
  }

  /** The credentials as the service's configuration holds them now (file, environment, Consul, POST /api/v3/secret). */
  private contextWith(sdk: DeviceServiceSdk, credentialsName: string): DriverContext {
    return { ...this.context, credentials: sdk.secret?.(credentialsName) ?? this.context.credentials };
  }

  private connect(settings: BrokerSettings): void {
    const pending = this.pending!;
    this.broker = new DeviceBroker(settings, this.log!, {
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      onConnectionLost: () =>
        pending.failAll(
          (p) =>
            new EdgeXError(
              'ServiceUnavailable',
              `device ${p.deviceName}: the connection to the device MQTT broker was lost before it answered ${p.method} ${p.resourceName}`,
            ),
        ),
    });
    this.broker.start();
  }

  /** Reconnects with the credentials of a changed secret (a rotated password needs no restart). */
  private async useNewCredentials(sdk: DeviceServiceSdk, info: BrokerInfo): Promise<void> {
    let next: BrokerSettings;
    try {
      next = brokerSettings(info, this.contextWith(sdk, info.CredentialsName));
    } catch (err) {
      this.log?.error({ err: errorMessage(err) }, `secret ${info.CredentialsName} changed, but gives no usable credentials; keeping the connection as it is`);
      return;
    }
    const current = this.resolved;
    if (current && next.username === current.username && next.password === current.password) return;
    this.log?.info({ secret: info.CredentialsName }, 'device MQTT broker credentials changed; reconnecting with them');
    // The old connection goes first: with one client id, two connections would keep kicking each other off.
    await this.broker?.stop();
    this.resolved = next;
    this.connect(next);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.resolved && topicMatches(this.resolved.responseTopic, topic)) {
      const id = responseRequestId(topic);
      if (!this.pending?.settle(id, payload)) {
        this.count('responsesIgnored');
        this.log?.warn({ topic }, 'MQTT command response ignored: no command waits for this request id (late or unknown)');
      }
      return;
    }
    void this.incoming?.handle(topic, payload);
  }

  async handleReadCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]> {
    const commandTopic = commandTopicOf(deviceName, protocols);
    const values: CommandValue[] = [];
    for (const req of requests) {
      const name = req.deviceResourceName;
      const answer = await this.request({ deviceName, resourceName: name, method: 'get', commandTopic, payload: '' });
      const body = parseAnswer(answer);
      if (!body || !(name in body)) {
        throw new EdgeXError('UnexpectedServerError', `device ${deviceName} answered get ${name} without a "${name}" field: ${preview(answer)}`);
      }
      let value;
      try {
        value = valueFromDevice(name, req.valueType, body[name]);
      } catch (err) {
        throw new EdgeXError('UnexpectedServerError', `device ${deviceName} answered get ${name} with an unusable value: ${errorMessage(err)}`, err);
      }
      values.push({ deviceResourceName: name, valueType: req.valueType, value });
    }
    return values;
  }

  async handleWriteCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    const commandTopic = commandTopicOf(deviceName, protocols);
    for (const [i, req] of requests.entries()) {
      const value = values[i];
      if (!value) throw new EdgeXError('ContractInvalid', `device ${deviceName}: no value to set for ${req.deviceResourceName}`);
      const payload = setPayload(req.deviceResourceName, req.valueType, value.value);
      // As in EdgeX, any answer on the response topic confirms the write; its content is not inspected.
      await this.request({ deviceName, resourceName: req.deviceResourceName, method: 'set', commandTopic, payload });
    }
  }

  private async request(r: { deviceName: string; resourceName: string; method: Method; commandTopic: string; payload: string }): Promise<Buffer> {
    const { broker, pending } = this;
    if (!broker || !pending) throw new EdgeXError('ServiceUnavailable', 'the MQTT driver is not initialized');
    const id = randomUUID();
    const topic = requestTopic(r.commandTopic, r.resourceName, r.method, id);
    const label: PendingLabel = { deviceName: r.deviceName, resourceName: r.resourceName, method: r.method, topic };
    if (!broker.ready) throw broker.notConnected();
    const answer = pending.open(id, label);
    try {
      await broker.publish(topic, r.payload);
    } catch (err) {
      pending.fail(
        id,
        err instanceof EdgeXError ? err : new EdgeXError('ServiceUnavailable', `device ${r.deviceName}: publishing ${topic} failed: ${errorMessage(err)}`, err),
      );
    }
    return answer;
  }

  start(): void {}

  async stop(): Promise<void> {
    this.pending?.failAll(
      (p) => new EdgeXError('ServiceUnavailable', `device ${p.deviceName}: device-mqtt is stopping; ${p.method} ${p.resourceName} abandoned`),
    );
    await this.broker?.stop();
  }

  addDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): void {
    this.checkDevice(deviceName, protocols);
  }

  updateDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): void {
    this.checkDevice(deviceName, protocols);
  }

  removeDevice(): void {}

  validateDevice(device: Device): void {
    commandTopicOf(device.name, device.protocols);
  }

  /** A device without a usable CommandTopic can still send readings; its commands will fail, so say so now. */
  private checkDevice(deviceName: string, protocols: Protocols): void {
    try {
      commandTopicOf(deviceName, protocols);
    } catch (err) {
      this.log?.warn({ device: deviceName, err: errorMessage(err) }, 'device has no usable CommandTopic: its commands will fail');
    }
  }
}

function parseAnswer(payload: Buffer): Record<string, unknown> | undefined {
  const v = jsonFromDevice(payload)?.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function preview(payload: Buffer): string {
  const text = payload.subarray(0, 200).toString('utf8');
  return JSON.stringify(payload.length > 200 ? `${text}…` : text);
}

/** MQTT filter matching (`+` one level, `#` the rest). */
function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
