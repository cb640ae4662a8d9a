/**
 * A broker that runs in this process (the all-in-one's embedded aedes). A bus configured with its address
 * hands publishes to it directly instead of encoding MQTT packets onto a loopback socket that the same
 * process then parses again, and subscriptions take messages straight from it (no PUBLISH packet, socket
 * or PUBACK); requests (reply topics) still use the bus's MQTT connection. Subscribers anywhere see the
 * same messages in the same order as over the network.
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
