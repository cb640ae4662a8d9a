import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config-schema.js';
import { EdgeXError, parseDuration } from '../contracts.js';
import type { BusTransport, Inbox } from './transport.js';

type BusConfig = CommonConfig['MessageBus'];

export function brokerUrl(cfg: Pick<BusConfig, 'Protocol' | 'Host' | 'Port'>): string {
  const p = cfg.Protocol.toLowerCase();
  const scheme = p === 'tcp' || p === 'mqtt' || p === '' ? 'mqtt' : p === 'ssl' || p === 'tls' || p === 'mqtts' ? 'mqtts' : p;
  const host = cfg.Host.includes(':') && !cfg.Host.startsWith('[') ? `[${cfg.Host}]` : cfg.Host;
  return `${scheme}://${host}:${cfg.Port}`;
}

/*
 * Why the PUBACK is held back by wrapping mqtt.js's `_sendPacket`, the one private member this project touches.
 *
 * The bus needs (1) a PUBACK only once the message's handlers settled, (2) no deadlock when a handler publishes
 * at QoS 1 or makes a request on its own bus, (3) a bounded read-ahead, (4) no PUBACK of a lost connection sent
 * on the next one. mqtt.js (5.16.0, the latest release, 2026-12) offers, publicly:
 * - `handleMessage(packet, callback)`: the PUBACK is written when `callback` is called, and mqtt.js takes the
 *   next packet off the socket only after that write (handlers/publish.js: `client.handleMessage(packet, () =>
 *   client._sendPacket({ cmd: 'puback', messageId }, done))`, `done` being client.js's `nextTickWork`); its
 *   README: "Handle messages with backpressure support, one at a time".
 * - `customHandleAcks` (MQTT 5 only): chooses the PUBACK's reason code before `handleMessage`; the read loop
 *   waits for it the same way.
 * - no manual-acknowledgement option (mqttjs/MQTT.js issues #209, #691, #776).
 * With the public API, (1) therefore means one message at a time per connection: core-data's 500 concurrent,
 * group-committed handlers become one commit per event, and (2) breaks: the PUBACK of a handler's own publish,
 * or the reply to its request, waits behind the message being handled. A separate connection for publishing
 * would fix (2) but not the one-at-a-time ingest, and MQTT 5's receive-maximum only bounds what the broker sends,
 * not mqtt.js's serial read. So mqtt.js's read loop is released at once (`handleMessage`'s callback, paced by
 * the bus for (3)) and only the PUBACK is held, in a wrapper around `_sendPacket` that sends it once the handlers
 * settled, on the connection it belongs to (4).
 * Tried (2026-12-07): with only the public API (`handleMessage`'s callback called once the handlers settled, no
 * wrapper) every test of mqtt-transport.test.ts fails — a handler's own publish never completes (deadlock), three
 * handlers of a maxInFlight subscription never run at once, and mqtt.js sends the PUBACK of a connection that is
 * gone on the next one, acknowledging the redelivered message before its handler ran — as does bus.test.ts's
 * head-of-line test.
 * mqtt-transport.test.ts fails if an mqtt.js release sends the PUBACK some other way or at some other time, the
 * transport refuses to start if `_sendPacket` is gone, and a PUBACK that bypasses the wrapper is logged as an error.
 */
type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/** A QoS 1 message whose PUBACK waits for its handlers. */
interface HeldAck {
  handled: Promise<void>;
  /** The connection it came on (see MqttTransport.connection). */
  connection: number;
}

/** The bus over an MQTT connection (mqtt.js): persistent session, reconnects, QoS as configured. */
export class MqttTransport implements BusTransport {
  readonly broker: string;
  private readonly client: MqttClient;
  private readonly qos: 0 | 1 | 2;
  private readonly log: Logger;
  /** Incremented whenever the connection closes: a held PUBACK belongs to one connection. */
  private connection = 0;
  private readonly heldAcks = new Map<number, HeldAck>();
  private everConnected = false;
  private down = false;
  private closed = false;
  private bypassReported = false;

  private constructor(cfg: BusConfig, clientId: string, log: Logger, inbox: Inbox) {
    this.broker = brokerUrl(cfg);
    this.log = log;
    this.qos = cfg.Optional.Qos;
    const o = cfg.Optional;
    const options: IClientOptions = {
      clientId,
      clean: o.CleanSession,
      keepalive: o.KeepAlive,
      protocolVersion: 4,
      reconnectPeriod: Math.max(1, Math.round(parseDuration(o.ReconnectPeriod))),
      connectTimeout: 10_000,
      resubscribe: true,
      // mqtt-packet otherwise pre-builds a 2-byte Buffer for each of the 65,536 packet ids on first use: 6 MB
      // of heap to save an allocation per packet. mqtt.js turns mqtt-packet's (process-wide) cache off for this.
      writeCache: false,
      manualConnect: true,
      ...(o.Username ? { username: o.Username } : {}),
      ...(o.Password ? { password: o.Password } : {}),
    };
    this.client = mqtt.connect(this.broker, options);
    this.holdPubacks();
    this.client.handleMessage = (packet, callback) => {
      const handled = inbox.receive(packet.topic, packet.payload as Buffer);
      if (packet.qos === 2) {
        // PUBREC after the handlers: mqtt.js reads on only then (QoS 2 is not used by EdgeX services).
        void handled.then(() => callback());
        return;
      }
      if (packet.qos === 1 && packet.messageId !== undefined) {
        const messageId = packet.messageId;
        const held: HeldAck = { handled, connection: this.connection };
        this.heldAcks.set(messageId, held);
        inbox.pace(() => {
          callback();
          // mqtt.js writes the PUBACK from within the callback: through the wrapper, which took it out.
          if (this.heldAcks.get(messageId) === held) this.reportBypass(messageId);
        });
        return;
      }
      inbox.pace(() => callback());
    };
  }

  /** Connects (waiting up to Optional.ConnectTimeout seconds for the first connection). */
  static async connect(cfg: BusConfig, clientId: string, log: Logger, inbox: Inbox): Promise<MqttTransport> {
    const transport = new MqttTransport(cfg, clientId, log, inbox);
    await transport.firstConnection(cfg, clientId);
    return transport;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  private holdPubacks(): void {
    const client = this.client as unknown as { _sendPacket?: SendPacket };
    if (typeof client._sendPacket !== 'function') {
      throw new EdgeXError(
        'UnexpectedServerError',
        'message bus: this mqtt.js has no _sendPacket, so PUBACKs could not wait for the handlers (see mqtt-transport.ts); install the mqtt version in package-lock.json',
      );
    }
    const sendPacket = client._sendPacket.bind(this.client);
    client._sendPacket = (packet, cb, ...rest) => {
      const held = packet.cmd === 'puback' && packet.messageId !== undefined ? this.heldAcks.get(packet.messageId) : undefined;
      if (!held) return sendPacket(packet, cb, ...rest);
      this.heldAcks.delete(packet.messageId!);
      void held.handled.then(() => {
        if (held.connection === this.connection && this.client.connected && !this.closed) sendPacket(packet, undefined, ...rest);
      });
      cb?.();
    };
  }

  private reportBypass(messageId: number): void {
    this.heldAcks.delete(messageId);
    if (this.bypassReported) return;
    this.bypassReported = true;
    this.log.error(
      { broker: this.broker, messageId },
      'message bus: mqtt.js acknowledged a message without _sendPacket, before its handlers finished: at-least-once delivery does not hold with this mqtt.js version (see mqtt-transport.ts)',
    );
  }

  private firstConnection(cfg: BusConfig, clientId: string): Promise<void> {
    const client = this.client;
    client.on('connect', (connack) => {
      // Request/response traffic (commands, validation) is small packets answered at once: with Nagle's
      // algorithm on, each one waits for the peer's delayed ACK (~40 ms per hop).
      (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
      const fields = { broker: this.broker, clientId, sessionPresent: connack.sessionPresent };
      if (!this.everConnected) this.log.info(fields, 'message bus connected');
      else this.log.info(fields, 'message bus reconnected');
      this.everConnected = true;
      this.down = false;
    });
    client.on('close', () => {
      this.connection++;
      this.heldAcks.clear();
      if (this.everConnected && !this.down && !this.closed) {
        this.down = true;
        this.log.warn({ broker: this.broker, clientId }, 'message bus disconnected; reconnecting');
      }
    });
    client.on('reconnect', () => this.log.debug({ broker: this.broker }, 'message bus reconnecting'));
    let lastError: Error | undefined;
    client.on('error', (err) => {
      if (lastError?.message !== err.message) this.log.warn({ err: err.message, broker: this.broker }, 'message bus error');
      lastError = err;
    });

    const seconds = cfg.Optional.ConnectTimeout;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.removeListener('connect', onConnect);
        this.closed = true;
        client.end(true);
        const why = lastError ? `: ${lastError.message}` : '';
        reject(
          new EdgeXError(
            'ServiceUnavailable',
            `message bus: cannot connect to ${this.broker} as client ${clientId} within ${seconds}s (MessageBus.Host/Port)${why}`,
            lastError,
          ),
        );
      }, seconds * 1000);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('connect', onConnect);
      client.connect();
    });
  }

  publish(topic: string, payload: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.publish(topic, payload, { qos: this.qos }, (err) => (err ? reject(err) : resolve()));
    });
  }

  async subscribe(filter: string): Promise<void> {
    const granted = await this.client.subscribeAsync(filter, { qos: this.qos });
    if (granted.some((g) => g.qos === 128)) throw new EdgeXError('Forbidden', `message bus: broker ${this.broker} refused subscription to ${filter}`);
  }

  async unsubscribe(filter: string): Promise<void> {
    if (!this.closed) await this.client.unsubscribeAsync(filter);
  }

  mayDeliver(): boolean {
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => client.end(true, () => resolve()), 2000);
      client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
