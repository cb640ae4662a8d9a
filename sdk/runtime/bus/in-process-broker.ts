import type { BusTransport, Inbox } from './transport.js';

/**
 * A broker that runs in this process (the all-in-one's embedded aedes). A bus configured with its address
 * uses it as its transport (`InProcessTransport`): publishes are handed to it and subscriptions take messages
 * from it directly, instead of MQTT packets on a loopback socket that the same process parses again (in
 * bench:ingest that doubled the all-in-one's rate with a subscriber, and lets core-data skip encoding
 * re-publishes nobody can receive). Subscribers anywhere see the same messages in the same order as over the
 * network.
 */
export interface InProcessBroker {
  /** Resolves once the broker has taken the message (queued for every matching subscription): the PUBACK's moment. */
  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2): Promise<void>;
  /**
   * False only when no current subscription on this broker (a client's, a persistent session's, or an
   * in-process one) matches `topic`: a message published there would be discarded, so a publisher may
   * skip encoding it.
   */
  mayDeliver(topic: string): boolean;
  /**
   * Delivers every message published on a topic matching `filter`, in order. The broker counts a message
   * delivered (and a publisher's QoS 1 PUBACK waits) until `done` is called: holding it is back-pressure.
   * Resolves with the unsubscribe once the subscription is in place.
   */
  subscribe(filter: string, deliver: (topic: string, payload: Buffer, done: () => void) => void): Promise<() => Promise<void>>;
}

const brokers = new Map<string, InProcessBroker>();

const key = (host: string, port: number) => `${host.toLowerCase()}:${port}`;

/** Makes `broker` the in-process route for buses configured with exactly this Host and Port; returns the undo. */
export function registerInProcessBroker(host: string, port: number, broker: InProcessBroker): () => void {
  const k = key(host, port);
  brokers.set(k, broker);
  return () => {
    if (brokers.get(k) === broker) brokers.delete(k);
  };
}

/** The broker registered for this address, if it runs in this process. */
export function inProcessBrokerAt(host: string, port: number): InProcessBroker | undefined {
  return brokers.get(key(host, port));
}

/**
 * The bus over a broker in this process. There is no connection to lose and no PUBACK to send: a message is
 * handled unless the bus closes first (then it is gone with the process, as an embedded broker's memory is).
 */
export class InProcessTransport implements BusTransport {
  readonly connected = true;
  /** The unsubscribes of each filter subscribed (a filter may be subscribed more than once). */
  private readonly unsubscribes = new Map<string, (() => Promise<void>)[]>();
  private closed = false;

  constructor(
    private readonly inProcess: InProcessBroker,
    readonly broker: string,
    private readonly qos: 0 | 1 | 2,
    private readonly inbox: Inbox,
  ) {}

  publish(topic: string, payload: Buffer): Promise<void> {
    return this.inProcess.publish(topic, payload, this.qos);
  }

  async subscribe(filter: string): Promise<void> {
    const unsubscribe = await this.inProcess.subscribe(filter, (topic, payload, done) => {
      if (this.closed) return done();
      void this.inbox.receive(topic, payload);
      this.inbox.pace(done);
    });
    this.unsubscribes.set(filter, [...(this.unsubscribes.get(filter) ?? []), unsubscribe]);
  }

  async unsubscribe(filter: string): Promise<void> {
    const all = this.unsubscribes.get(filter) ?? [];
    this.unsubscribes.delete(filter);
    await Promise.all(all.map((unsubscribe) => unsubscribe()));
  }

  mayDeliver(topic: string): boolean {
    return this.inProcess.mayDeliver(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.unsubscribes.keys()].map((filter) => this.unsubscribe(filter)));
  }
}
