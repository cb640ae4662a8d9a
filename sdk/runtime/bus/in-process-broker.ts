/**
 * A broker that runs in this process (the all-in-one's embedded aedes). A bus configured with its address
 * hands publishes to it directly instead of encoding MQTT packets onto a loopback socket that the same
 * process then parses again; everything else (subscriptions, sessions, flow control) still goes through
 * the bus's MQTT connection, so subscribers anywhere see the same messages, in the same order.
 */
export interface InProcessBroker {
  /** Resolves once the broker has taken the message (queued for every matching subscription): the PUBACK's moment. */
  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2): Promise<void>;
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
