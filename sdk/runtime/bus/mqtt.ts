import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { writeToStream } from 'mqtt-packet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CommonConfig } from '../config-schema.js';
import { EdgeXError, parseDuration } from '../contracts.js';
import { newCounter } from '../metrics.js';
import { decodeEnvelope, encodeEnvelope, type MessageEnvelope } from './envelope.js';
import { inProcessBrokerAt, type InProcessBroker } from './in-process-broker.js';
import { OrderedRunner } from './ordered-runner.js';
import { checkPublishTopic, joinTopic, topicMatches } from './topic.js';

export type MessageHandler = (env: MessageEnvelope, topic: string) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Handlers of this subscription that may run at once (default 1: one after another). Handlers always
   * start in arrival order. When set, it also bounds the subscription's unacknowledged messages: once this
   * many are pending the bus stops reading from the broker until half of them have settled, so a burst
   * waits at the broker (QoS 1 + persistent session: nothing is lost) instead of in memory here; with the
   * in-process broker its deliveries to this subscription are held back instead.
   * Because reading pauses, such a handler must not itself wait on the bus (request(), a publish's PUBACK).
   */
  maxInFlight?: number;
}

export interface MessageBus {
  /** BaseTopicPrefix, e.g. 'edgex'. */
  readonly prefix: string;
  /** Joins prefix + parts with '/'. */
  topic(...parts: string[]): string;
  /** Resolves on PUBACK (QoS ≥ 1). While the broker is down the message is queued and sent on reconnect. */
  publish(topic: string, env: MessageEnvelope): Promise<void>;
  /**
   * Whether a message published on `topic` may reach anyone. Always true with a broker elsewhere; false when
   * the broker runs in this process and no current subscription matches (it would discard the message), so
   * a publisher can skip preparing it.
   */
  mayDeliver(topic: string): boolean;
  /**
   * The PUBACK is sent only after `handler` settles; a handler that throws is logged and the message acked.
   * With the in-process broker there is no PUBACK: a message is handled unless the bus closes first.
   */
  subscribe(filter: string, handler: MessageHandler, opts?: SubscribeOptions): Promise<void>;
  request(requestTopic: string, responseTopicPrefix: string, env: MessageEnvelope, timeoutMs: number): Promise<MessageEnvelope>;
  close(): Promise<void>;
}

type BusConfig = CommonConfig['MessageBus'];

// mqtt-packet otherwise pre-builds a 2-byte Buffer for each of the 65,536 packet ids on first use: 6 MB of
// heap in every process (and in the all-in-one's embedded broker, which shares the module) to save an
// allocation per packet.
writeToStream.cacheNumbers = false;

/** How long a message that arrives before any matching subscribe() (queued session messages) waits for one. */
const UNMATCHED_GRACE_MS = 10_000;

export function brokerUrl(cfg: Pick<BusConfig, 'Protocol' | 'Host' | 'Port'>): string {
  const p = cfg.Protocol.toLowerCase();
  const scheme = p === 'tcp' || p === 'mqtt' || p === '' ? 'mqtt' : p === 'ssl' || p === 'tls' || p === 'mqtts' ? 'mqtts' : p;
  const host = cfg.Host.includes(':') && !cfg.Host.startsWith('[') ? `[${cfg.Host}]` : cfg.Host;
  return `${scheme}://${host}:${cfg.Port}`;
}

/** Connects to the MQTT broker (waiting up to Optional.ConnectTimeout seconds for the first connection). */
export async function connectMessageBus(
  config: BusConfig,
  log: Logger,
  clientId: string,
  metrics?: Registry,
): Promise<MessageBus> {
  const bus = new MqttMessageBus(config, log, clientId, metrics);
  await bus.connect();
  return bus;
}

/** One subscribe() call; its handlers start in arrival order (see SubscribeOptions.maxInFlight). */
interface Subscription {
  filter: string;
  handler: MessageHandler;
  runner: OrderedRunner;
  /** Pause reading from the broker at this many pending messages (undefined: never). */
  readLimit: number | undefined;
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/** A QoS 1 message whose PUBACK waits for its handlers. */
interface PendingAck {
  handled: Promise<void>;
  connection: number;
}

class MqttMessageBus implements MessageBus {
  readonly prefix: string;
  private readonly url: string;
  private readonly log: Logger;
  private client: MqttClient | undefined;
  private readonly subscriptions: Subscription[] = [];
  private readonly replyWaiters = new Map<string, (env: MessageEnvelope) => void>();
  private readonly handlerWaiters = new Set<() => void>();
  private everConnected = false;
  /** Incremented whenever the connection closes (held-back PUBACKs belong to one connection). */
  private connection = 0;
  private readonly pendingAcks = new Map<number, PendingAck>();
  /** mqtt.js's "next packet" callback, held while a bounded subscription has too many pending messages. */
  private heldRead: (() => void) | undefined;
  /** The in-process broker's deliveries held back the same way (one per publisher waiting). */
  private heldDeliveries: (() => void)[] = [];
  private readonly inProcessUnsubscribes: (() => Promise<void>)[] = [];
  private down = false;
  private closed = false;
  private readonly publishTimeoutMs: number;
  /** Set when the configured broker runs in this process: publishes and subscriptions skip the socket. */
  private readonly inProcess: InProcessBroker | undefined;
  private readonly counters;

  constructor(
    private readonly cfg: BusConfig,
    log: Logger,
    private readonly clientId: string,
    metrics?: Registry,
  ) {
    this.prefix = cfg.BaseTopicPrefix;
    this.url = brokerUrl(cfg);
    this.log = log.child({ component: 'messagebus' });
    this.publishTimeoutMs = parseDuration(cfg.Optional.PublishTimeout);
    this.inProcess = inProcessBrokerAt(cfg.Host, cfg.Port);
    this.counters = metrics
      ? {
          received: newCounter(metrics, 'messagebus_messages_received_total', 'Messages received from the bus', ['filter']),
          published: newCounter(metrics, 'messagebus_messages_published_total', 'Messages published and acknowledged'),
          publishFailed: newCounter(metrics, 'messagebus_publish_failures_total', 'Publishes that failed or timed out'),
          handlerFailed: newCounter(metrics, 'messagebus_handler_failures_total', 'Message handlers that threw', ['filter']),
        }
      : undefined;
  }

  topic(...parts: string[]): string {
    return joinTopic(this.prefix, ...parts);
  }

  connect(): Promise<void> {
    const o = this.cfg.Optional;
    const options: IClientOptions = {
      clientId: this.clientId,
      clean: o.CleanSession,
      keepalive: o.KeepAlive,
      protocolVersion: 4,
      reconnectPeriod: Math.max(1, Math.round(parseDuration(o.ReconnectPeriod))),
      connectTimeout: 10_000,
      resubscribe: true,
      ...(o.Username ? { username: o.Username } : {}),
      ...(o.Password ? { password: o.Password } : {}),
    };
    const client = mqtt.connect(this.url, options);
    this.client = client;
    // At-least-once without head-of-line blocking: mqtt.js reads the next packet only after handleMessage's
    // callback AND the PUBACK write, so a handler that publishes (and waits for its own PUBACK) or makes a
    // request would deadlock. We release the stream at once and hold back only the PUBACK until the handlers
    // have settled; a PUBACK whose connection has gone is dropped (the broker redelivers the message).
    const sendPacket = (client as unknown as { _sendPacket: SendPacket })._sendPacket.bind(client);
    (client as unknown as { _sendPacket: SendPacket })._sendPacket = (packet, cb, ...rest) => {
      const pending = packet.cmd === 'puback' && packet.messageId !== undefined ? this.pendingAcks.get(packet.messageId) : undefined;
      if (!pending) return sendPacket(packet, cb, ...rest);
      this.pendingAcks.delete(packet.messageId!);
      pending.handled.then(() => {
        if (pending.connection === this.connection && client.connected && !this.closed) sendPacket(packet, undefined, ...rest);
      });
      cb?.();
    };
    client.handleMessage = (packet, callback) => {
      const handled = this.onMessage(packet.topic, packet.payload as Buffer).catch((err: unknown) => {
        this.log.error({ err, topic: packet.topic }, 'message bus: dispatch failed; message acknowledged');
      });
      if (packet.qos === 1 && packet.messageId !== undefined) {
        this.pendingAcks.set(packet.messageId, { handled, connection: this.connection });
        // mqtt.js reads the next packet only after this callback: holding it is our flow control.
        if (this.overReadLimit()) this.heldRead = callback;
        else callback();
      } else if (packet.qos === 2) {
        handled.then(() => callback());
      } else {
        callback();
      }
    };
    client.on('connect', (connack) => {
      // Request/response traffic (commands, validation) is small packets answered at once: with Nagle's
      // algorithm on, each one waits for the peer's delayed ACK (~40 ms per hop).
      (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
      const fields = { broker: this.url, clientId: this.clientId, sessionPresent: connack.sessionPresent };
      if (!this.everConnected) this.log.info(fields, 'message bus connected');
      else this.log.info(fields, 'message bus reconnected');
      this.everConnected = true;
      this.down = false;
    });
    client.on('close', () => {
      this.connection++;
      this.pendingAcks.clear();
      this.releaseRead();
      if (this.everConnected && !this.down && !this.closed) {
        this.down = true;
        this.log.warn({ broker: this.url, clientId: this.clientId }, 'message bus disconnected; reconnecting');
      }
    });
    client.on('reconnect', () => this.log.debug({ broker: this.url }, 'message bus reconnecting'));
    let lastError: Error | undefined;
    client.on('error', (err) => {
      if (lastError?.message !== err.message) this.log.warn({ err: err.message, broker: this.url }, 'message bus error');
      lastError = err;
    });

    const timeoutMs = o.ConnectTimeout * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.removeListener('connect', onConnect);
        client.end(true);
        const why = lastError ? `: ${lastError.message}` : '';
        reject(
          new Error(
            `message bus: cannot connect to ${this.url} as client ${this.clientId} within ${o.ConnectTimeout}s (MessageBus.Host/Port)${why}`,
          ),
        );
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('connect', onConnect);
    });
  }

  private handlersFor(topic: string): Subscription[] {
    return this.subscriptions.filter((s) => topicMatches(s.filter, topic));
  }

  /** Waits until a subscription matching `topic` exists (or the grace time passes / the bus closes). */
  private waitForHandler(topic: string): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.closed) return finish(false);
        if (this.handlersFor(topic).length > 0 || this.replyWaiters.has(topic)) finish(true);
      };
      const finish = (found: boolean) => {
        clearTimeout(timer);
        this.handlerWaiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => finish(false), UNMATCHED_GRACE_MS);
      this.handlerWaiters.add(check);
    });
  }

  /**
   * Decodes the payload and dispatches the envelope. Not async itself: a payload from the socket is a view
   * into its read buffer (64 KB), which must not stay reachable while the handlers run.
   */
  private onMessage(topic: string, payload: Buffer): Promise<void> {
    let env: MessageEnvelope;
    try {
      env = decodeEnvelope(payload);
    } catch (err) {
      this.log.warn({ topic, err: (err as Error).message }, 'message bus: dropped a message that is not an EdgeX envelope');
      return Promise.resolve();
    }
    env.receivedTopic = topic;
    return this.dispatch(env, topic);
  }

  /** Replies resolve their request at once; other messages queue on each matching subscription. */
  private async dispatch(env: MessageEnvelope, topic: string): Promise<void> {
    const reply = this.replyWaiters.get(topic);
    if (reply) {
      reply(env);
      return;
    }
    if (this.handlersFor(topic).length === 0) {
      const found = await this.waitForHandler(topic);
      if (!found) {
        if (!this.closed) this.log.warn({ topic }, 'message bus: no subscriber for message; dropped');
        return;
      }
      const lateReply = this.replyWaiters.get(topic);
      if (lateReply) {
        lateReply(env);
        return;
      }
    }
    await Promise.all(this.handlersFor(topic).map((sub) => this.enqueue(sub, env, topic)));
  }

  private enqueue(sub: Subscription, env: MessageEnvelope, topic: string): Promise<void> {
    return sub.runner.run(async () => {
      if (this.closed) return new Promise<void>(() => {}); // closing: never ack, the broker redelivers
      this.counters?.received.inc({ filter: sub.filter });
      try {
        await sub.handler(env, topic);
      } catch (err) {
        this.counters?.handlerFailed.inc({ filter: sub.filter });
        this.log.error({ err, topic, filter: sub.filter }, 'message handler failed; message acknowledged');
      }
    });
  }

  private overReadLimit(): boolean {
    return this.subscriptions.some((s) => s.readLimit !== undefined && s.runner.pending >= s.readLimit);
  }

  /** Called whenever a handler settles: resume reading once every bounded subscription is at half its limit. */
  private maybeResumeRead(): void {
    if (!this.heldRead && this.heldDeliveries.length === 0) return;
    const low = this.subscriptions.every((s) => s.readLimit === undefined || s.runner.pending <= s.readLimit / 2);
    if (low) this.releaseRead();
  }

  private releaseRead(): void {
    const next = this.heldRead;
    this.heldRead = undefined;
    next?.();
    const held = this.heldDeliveries;
    this.heldDeliveries = [];
    for (const done of held) done();
  }

  /** A message from the in-process broker: dispatched like one from the socket, `done` held while over the limit. */
  private onInProcessMessage(topic: string, payload: Buffer, done: () => void): void {
    if (this.closed) return done();
    void this.onMessage(topic, payload).catch((err: unknown) => {
      this.log.error({ err, topic }, 'message bus: dispatch failed');
    });
    if (this.overReadLimit()) this.heldDeliveries.push(done);
    else done();
  }

  private get mqtt(): MqttClient {
    if (!this.client || this.closed) throw new Error('message bus is closed');
    return this.client;
  }

  publish(topic: string, env: MessageEnvelope): Promise<void> {
    if (this.closed || !this.client) return Promise.reject(new Error(`message bus is closed (publish to ${topic})`));
    try {
      checkPublishTopic(topic);
    } catch (err) {
      this.counters?.publishFailed.inc();
      return Promise.reject(err);
    }
    const client = this.client;
    const payload = encodeEnvelope(env, this.cfg.PayloadEncoding);
    if (this.inProcess) return this.publishInProcess(this.inProcess, topic, payload);
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        this.counters?.publishFailed.inc();
        const state = client.connected ? 'connected but not acknowledging' : 'unreachable';
        reject(
          new Error(
            `message bus: publish to ${topic} not acknowledged within ${this.cfg.Optional.PublishTimeout} (broker ${this.url} ${state}); the message stays queued and is sent when the broker is back`,
          ),
        );
      }, this.publishTimeoutMs);
      client.publish(topic, payload, { qos: this.cfg.Optional.Qos }, (err) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        if (err) {
          this.counters?.publishFailed.inc();
          reject(new Error(`message bus: publish to ${topic} failed: ${err.message}`));
        } else {
          this.counters?.published.inc();
          resolve();
        }
      });
    });
  }

  mayDeliver(topic: string): boolean {
    return this.inProcess ? this.inProcess.mayDeliver(topic) : true;
  }

  private async publishInProcess(broker: InProcessBroker, topic: string, payload: Buffer): Promise<void> {
    try {
      await broker.publish(topic, payload, this.cfg.Optional.Qos);
    } catch (err) {
      this.counters?.publishFailed.inc();
      throw new Error(`message bus: publish to ${topic} failed: ${(err as Error).message}`);
    }
    this.counters?.published.inc();
  }

  async subscribe(filter: string, handler: MessageHandler, opts: SubscribeOptions = {}): Promise<void> {
    const client = this.mqtt;
    const limit = opts.maxInFlight !== undefined ? Math.max(1, Math.floor(opts.maxInFlight)) : undefined;
    const runner = new OrderedRunner(limit ?? 1, () => this.maybeResumeRead());
    this.subscriptions.push({ filter, handler, runner, readLimit: limit });
    for (const check of [...this.handlerWaiters]) check();
    if (this.inProcess) {
      this.inProcessUnsubscribes.push(await this.inProcess.subscribe(filter, (t, p, done) => this.onInProcessMessage(t, p, done)));
      return;
    }
    const granted = await client.subscribeAsync(filter, { qos: this.cfg.Optional.Qos });
    const refused = granted.find((g) => g.qos === 128);
    if (refused) {
      this.subscriptions.splice(this.subscriptions.findIndex((s) => s.handler === handler && s.filter === filter), 1);
      throw new Error(`message bus: broker refused subscription to ${filter}`);
    }
  }

  async request(
    requestTopic: string,
    responseTopicPrefix: string,
    env: MessageEnvelope,
    timeoutMs: number,
  ): Promise<MessageEnvelope> {
    const client = this.mqtt;
    const responseTopic = joinTopic(responseTopicPrefix, env.requestID);
    if (this.replyWaiters.has(responseTopic)) throw new Error(`message bus: request ${env.requestID} is already waiting`);
    let onReply!: (e: MessageEnvelope) => void;
    const replied = new Promise<MessageEnvelope>((resolve) => (onReply = resolve));
    this.replyWaiters.set(responseTopic, onReply);
    let timer: NodeJS.Timeout | undefined;
    try {
      await client.subscribeAsync(responseTopic, { qos: this.cfg.Optional.Qos });
      await this.publish(requestTopic, env);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new EdgeXError(
                'ServiceUnavailable',
                `message bus: no response on ${responseTopic} within ${timeoutMs} ms (request to ${requestTopic})`,
              ),
            ),
          timeoutMs,
        );
      });
      return await Promise.race([replied, timedOut]);
    } finally {
      clearTimeout(timer);
      this.replyWaiters.delete(responseTopic);
      if (!this.closed) client.unsubscribeAsync(responseTopic).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed || !this.client) return;
    this.closed = true;
    for (const check of [...this.handlerWaiters]) check();
    // Messages already taken from the in-process broker and not yet handled are dropped with it: it has no
    // session to keep them in (an embedded broker's memory does not outlive the process either).
    await Promise.all(this.inProcessUnsubscribes.map((unsubscribe) => unsubscribe()));
    this.releaseRead();
    const client = this.client;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => client.end(true, () => resolve()), 2000);
      client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.log.info({ broker: this.url }, 'message bus closed');
  }
}
