import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CommonConfig } from '../config-schema.js';
import { errorMessage } from '@edgex-ts/contracts';
import { EdgeXError, parseDuration } from '../contracts.js';
import { newCounter } from '../metrics.js';
import { decodeEnvelope, encodeEnvelope, type MessageEnvelope } from './envelope.js';
import { InProcessTransport, inProcessBrokerAt } from './in-process-broker.js';
import { brokerUrl, MqttTransport } from './mqtt-transport.js';
import { OrderedRunner } from './ordered-runner.js';
import { checkPublishTopic, joinTopic, topicMatches } from './topic.js';
import type { BusTransport, Inbox } from './transport.js';

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
  /**
   * Resolves on PUBACK (QoS ≥ 1). While the broker is down the message is queued and sent on reconnect.
   * Rejects with an EdgeXError: `ServiceUnavailable` when the broker has not acknowledged it within
   * Optional.PublishTimeout (the message stays queued: publishing it again would send it twice),
   * `ContractInvalid` for a topic no broker accepts, `Communication` when the bus is closed or the publish failed.
   */
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
  /** Rejects with `ServiceUnavailable` when no response comes within `timeoutMs`. */
  request(requestTopic: string, responseTopicPrefix: string, env: MessageEnvelope, timeoutMs: number): Promise<MessageEnvelope>;
  close(): Promise<void>;
}

type BusConfig = CommonConfig['MessageBus'];

/** How long a message that arrives before any matching subscribe() (queued session messages) waits for one. */
const UNMATCHED_GRACE_MS = 10_000;

/**
 * Connects the bus: to the broker over MQTT (waiting up to Optional.ConnectTimeout seconds for the first
 * connection), or straight to it when it runs in this process (the all-in-one's embedded broker).
 */
export async function connectMessageBus(config: BusConfig, log: Logger, clientId: string, metrics?: Registry): Promise<MessageBus> {
  const busLog = log.child({ component: 'messagebus' });
  const bus = new EdgeXMessageBus(config, busLog, metrics);
  const inProcess = inProcessBrokerAt(config.Host, config.Port);
  if (inProcess) {
    bus.attach(new InProcessTransport(inProcess, brokerUrl(config), config.Optional.Qos, bus));
    busLog.info({ broker: brokerUrl(config), clientId, inProcess: true }, 'message bus connected');
  } else {
    bus.attach(await MqttTransport.connect(config, clientId, busLog, bus));
  }
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

/** EdgeX's message bus over a transport: envelopes, subscriptions, read-ahead bound, requests, metrics. */
class EdgeXMessageBus implements MessageBus, Inbox {
  readonly prefix: string;
  private transport: BusTransport | undefined;
  private readonly subscriptions: Subscription[] = [];
  private readonly replyWaiters = new Map<string, (env: MessageEnvelope) => void>();
  private readonly handlerWaiters = new Set<() => void>();
  /** The transport's "take the next message" callbacks, held while a bounded subscription has too many pending. */
  private heldReads: (() => void)[] = [];
  private closed = false;
  private readonly publishTimeoutMs: number;
  private readonly counters;

  constructor(
    private readonly cfg: BusConfig,
    private readonly log: Logger,
    metrics?: Registry,
  ) {
    this.prefix = cfg.BaseTopicPrefix;
    this.publishTimeoutMs = parseDuration(cfg.Optional.PublishTimeout);
    this.counters = metrics
      ? {
          received: newCounter(metrics, 'messagebus_messages_received_total', 'Messages received from the bus', ['filter']),
          published: newCounter(metrics, 'messagebus_messages_published_total', 'Messages published and acknowledged'),
          publishFailed: newCounter(metrics, 'messagebus_publish_failures_total', 'Publishes that failed or timed out'),
          handlerFailed: newCounter(metrics, 'messagebus_handler_failures_total', 'Message handlers that threw', ['filter']),
        }
      : undefined;
  }

  attach(transport: BusTransport): void {
    this.transport = transport;
  }

  topic(...parts: string[]): string {
    return joinTopic(this.prefix, ...parts);
  }

  private get open(): BusTransport {
    if (!this.transport || this.closed) throw new EdgeXError('Communication', 'message bus is closed');
    return this.transport;
  }

  // ---- incoming (Inbox) ----

  /**
   * Decodes the payload and dispatches the envelope. Not async itself: a payload from the socket is a view
   * into its read buffer (64 KB), which must not stay reachable while the handlers run.
   */
  receive(topic: string, payload: Buffer): Promise<void> {
    let env: MessageEnvelope;
    try {
      env = decodeEnvelope(payload);
    } catch (err) {
      this.log.warn({ topic, err: errorMessage(err) }, 'message bus: dropped a message that is not an EdgeX envelope');
      return Promise.resolve();
    }
    env.receivedTopic = topic;
    return this.dispatch(env, topic).catch((err: unknown) => {
      this.log.error({ err, topic }, 'message bus: dispatch failed; message acknowledged');
    });
  }

  pace(next: () => void): void {
    if (this.overReadLimit()) this.heldReads.push(next);
    else next();
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
    if (this.heldReads.length === 0) return;
    const low = this.subscriptions.every((s) => s.readLimit === undefined || s.runner.pending <= s.readLimit / 2);
    if (low) this.releaseReads();
  }

  private releaseReads(): void {
    const held = this.heldReads;
    this.heldReads = [];
    for (const next of held) next();
  }

  // ---- outgoing ----

  async publish(topic: string, env: MessageEnvelope): Promise<void> {
    if (this.closed || !this.transport) throw new EdgeXError('Communication', `message bus is closed (publish to ${topic})`);
    try {
      checkPublishTopic(topic);
    } catch (err) {
      this.counters?.publishFailed.inc();
      throw err;
    }
    return this.send(this.transport, topic, env);
  }

  /** Publishes on `transport`, timed out after Optional.PublishTimeout. */
  private send(transport: BusTransport, topic: string, env: MessageEnvelope): Promise<void> {
    const sent = transport.publish(topic, encodeEnvelope(env, this.cfg.PayloadEncoding));
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        this.counters?.publishFailed.inc();
        const state = transport.connected ? 'connected but not acknowledging' : 'unreachable';
        reject(
          new EdgeXError(
            'ServiceUnavailable',
            `message bus: publish to ${topic} not acknowledged within ${this.cfg.Optional.PublishTimeout} (broker ${transport.broker} ${state}); the message stays queued and is sent when the broker is back`,
          ),
        );
      }, this.publishTimeoutMs);
      sent.then(
        () => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          this.counters?.published.inc();
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          this.counters?.publishFailed.inc();
          reject(new EdgeXError('Communication', `message bus: publish to ${topic} failed: ${errorMessage(err)}`, err));
        },
      );
    });
  }

  mayDeliver(topic: string): boolean {
    return this.transport ? this.transport.mayDeliver(topic) : true;
  }

  async subscribe(filter: string, handler: MessageHandler, opts: SubscribeOptions = {}): Promise<void> {
    const transport = this.open;
    const limit = opts.maxInFlight !== undefined ? Math.max(1, Math.floor(opts.maxInFlight)) : undefined;
    const runner = new OrderedRunner(limit ?? 1, () => this.maybeResumeRead());
    const subscription: Subscription = { filter, handler, runner, readLimit: limit };
    this.subscriptions.push(subscription);
    for (const check of [...this.handlerWaiters]) check();
    try {
      await transport.subscribe(filter);
    } catch (err) {
      this.subscriptions.splice(this.subscriptions.indexOf(subscription), 1);
      throw err;
    }
  }

  async request(requestTopic: string, responseTopicPrefix: string, env: MessageEnvelope, timeoutMs: number): Promise<MessageEnvelope> {
    const transport = this.open;
    const responseTopic = joinTopic(responseTopicPrefix, env.requestID);
    if (this.replyWaiters.has(responseTopic)) {
      throw new EdgeXError('StatusConflict', `message bus: request ${env.requestID} is already waiting`);
    }
    let onReply!: (e: MessageEnvelope) => void;
    const replied = new Promise<MessageEnvelope>((resolve) => (onReply = resolve));
    this.replyWaiters.set(responseTopic, onReply);
    let timer: NodeJS.Timeout | undefined;
    try {
      await transport.subscribe(responseTopic);
      await this.publish(requestTopic, env);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new EdgeXError('ServiceUnavailable', `message bus: no response on ${responseTopic} within ${timeoutMs} ms (request to ${requestTopic})`)),
          timeoutMs,
        );
      });
      return await Promise.race([replied, timedOut]);
    } finally {
      clearTimeout(timer);
      this.replyWaiters.delete(responseTopic);
      if (!this.closed) transport.unsubscribe(responseTopic).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed || !this.transport) return;
    this.closed = true;
    for (const check of [...this.handlerWaiters]) check();
    // Messages read from here on are never handled nor acknowledged (the broker redelivers them to the next
    // session); reading on lets an MQTT client finish its outgoing publishes while it closes.
    this.releaseReads();
    await this.transport.close();
    this.releaseReads();
    this.log.info({ broker: this.transport.broker }, 'message bus closed');
  }
}
