/**
 * What the message bus (`message-bus.ts`: envelopes, subscriptions, handler order, acknowledgements' timing,
 * read-ahead bound, requests, metrics) needs from whatever carries its messages. Two implementations: an MQTT
 * connection (`mqtt-transport.ts`, every service's way to a broker) and the embedded broker of the all-in-one
 * when it runs in this very process (`in-process-broker.ts`: no socket, no MQTT packets).
 */
export interface BusTransport {
  /** Where the messages go, for logs and errors (e.g. `mqtt://127.0.0.1:1883`). */
  readonly broker: string;
  /** Whether the broker is reachable right now (an in-process broker always is). */
  readonly connected: boolean;
  /**
   * Resolves once the broker has taken the message (its PUBACK at QoS ≥ 1); while the broker is away the
   * message stays queued and is sent when it is back (the bus times the wait out, not the transport).
   */
  publish(topic: string, payload: Buffer): Promise<void>;
  /** Resolves once the subscription is in place; rejects with the broker's refusal. */
  subscribe(filter: string): Promise<void>;
  unsubscribe(filter: string): Promise<void>;
  /**
   * False only when no subscription anywhere matches `topic`, so that a message published there would be
   * discarded and a publisher may skip preparing it. Always true for a broker elsewhere (it cannot be known).
   */
  mayDeliver(topic: string): boolean;
  /** Stops delivering; messages taken and not yet acknowledged are not acknowledged. */
  close(): Promise<void>;
}

/** The bus's side of a transport: where incoming messages go. */
export interface Inbox {
  /**
   * Dispatches one message to its handlers. The promise settles (never rejects) once every handler of the
   * message has: the moment the transport may acknowledge it, never earlier.
   */
  receive(topic: string, payload: Buffer): Promise<void>;
  /**
   * Read-ahead bound: the transport calls this after handing over a message instead of taking the next one,
   * and takes the next one when `next` is called: at once, or once the bus's bounded subscriptions have
   * drained to half their limit.
   */
  pace(next: () => void): void;
}
