/**
 * The driver's own connection to the device broker (not the EdgeX message bus): connects in the background and
 * keeps retrying, (re)subscribes the incoming and response topics on every connect, and reports it is ready only
 * once both subscriptions are granted, so no command is sent before its answer can be heard.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import type { BrokerSettings } from '../config.js';

export interface DeviceBrokerHandlers {
  onMessage(topic: string, payload: Buffer): void;
  /** The connection went away (it is being re-established). */
  onConnectionLost(): void;
}

export class DeviceBroker {
  private client: MqttClient | undefined;
  private subscribed = false;
  private everReady = false;
  private failedAttempts = 0;
  private lastError = '';
  private stopped = false;

  constructor(
    private readonly settings: BrokerSettings,
    private readonly log: Logger,
    private readonly handlers: DeviceBrokerHandlers,
  ) {}

  /** Connected and subscribed: commands can be sent and answers heard. */
  get ready(): boolean {
    return this.subscribed && this.client?.connected === true;
  }

  start(): void {
    const s = this.settings;
    const client = mqtt.connect(s.url, {
      clientId: s.clientId,
      clean: true,
      keepalive: s.keepAliveSec,
      protocolVersion: 4,
      reconnectPeriod: s.reconnectMs,
      connectTimeout: Math.max(1000, Math.min(s.reconnectMs, 30_000)),
      resubscribe: false, // subscribed again on every connect below
      queueQoSZero: false,
      ...(s.username ? { username: s.username, password: s.password ?? '' } : {}),
    });
    this.client = client;
    if (s.clientIdNote) this.log.info(s.clientIdNote);
    this.log.info({ broker: s.url, clientId: s.clientId }, 'connecting to the device MQTT broker');
    client.on('connect', () => {
      // Commands are small request/response messages: without this, Nagle holds a request back until the
      // broker acknowledges the previous segment, which delayed ACKs can make 40 ms.
      (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
      void this.subscribe(client);
    });
    client.on('message', (topic, payload) => this.handlers.onMessage(topic, payload));
    client.on('error', (err) => {
      if (err.message !== this.lastError) this.log.warn({ broker: s.url, err: err.message }, 'device MQTT broker error');
      this.lastError = err.message;
    });
    client.on('close', () => {
      const wasReady = this.subscribed;
      this.subscribed = false;
      if (this.stopped) return;
      if (wasReady) {
        this.log.warn({ broker: s.url }, `device MQTT broker connection lost; reconnecting every ${s.reconnectMs} ms`);
        this.handlers.onConnectionLost();
      } else {
        this.failedAttempts++;
        this.logFailedAttempt();
      }
    });
  }

  private logFailedAttempt(): void {
    const s = this.settings;
    const why = this.lastError ? `: ${this.lastError}` : '';
    const fields = { broker: s.url, attempts: this.failedAttempts };
    if (this.failedAttempts === 1) {
      this.log.warn(fields, `cannot connect to the device MQTT broker${why}; retrying every ${s.reconnectMs} ms`);
    } else if (this.failedAttempts === s.attemptsBeforeError) {
      this.log.error(fields, `device MQTT broker still unreachable after ${this.failedAttempts} attempts${why} (MQTTBrokerInfo.Host/Port); still retrying`);
    }
  }

  private async subscribe(client: MqttClient): Promise<void> {
    const s = this.settings;
    try {
      const granted = await client.subscribeAsync([s.incomingTopic, s.responseTopic], { qos: s.qos });
      const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) throw new Error(`the broker refused the subscription to ${refused.join(', ')}`);
    } catch (err) {
      this.log.error({ broker: s.url, err: errorMessage(err) }, 'device MQTT broker: subscribing failed; reconnecting');
      client.stream?.destroy();
      return;
    }
    if (!client.connected) return;
    this.subscribed = true;
    this.log.info(
      { broker: s.url, clientId: s.clientId, incoming: s.incomingTopic, responses: s.responseTopic },
      this.everReady ? 'device MQTT broker reconnected; subscriptions restored' : 'connected to the device MQTT broker',
    );
    this.everReady = true;
    this.failedAttempts = 0;
    this.lastError = '';
  }

  /** Publishes a command; ServiceUnavailable when the broker is not (yet) connected. */
  async publish(topic: string, payload: string): Promise<void> {
    const client = this.client;
    if (!client || !this.ready) throw this.notConnected();
    await client.publishAsync(topic, payload, { qos: this.settings.qos, retain: false });
  }

  notConnected(): EdgeXError {
    return new EdgeXError(
      'ServiceUnavailable',
      `the device MQTT broker ${this.settings.url} is not connected (MQTTBrokerInfo.Host/Port); retrying in the background`,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscribed = false;
    await this.client?.endAsync(true);
  }
}
