import { EdgeXError } from '../contracts.js';

/**
 * Characters a broker refuses in a topic name: U+0000 (forbidden by MQTT), the other C0 and C1 control characters
 * (MQTT says they should not appear; Mosquitto closes the connection of a client that sends them), and the
 * wildcards, which only subscriptions may use.
 */
const REFUSED_IN_TOPIC = /[\u0000-\u001f\u007f-\u009f+#]/;
/** MQTT's length limit for a topic, in UTF-8 bytes. */
const MAX_TOPIC_BYTES = 65_535;

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
/** The topic with every refused control character written as \uXXXX, for messages and logs. */
const printable = (topic: string) => topic.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${hex(c).slice(2)}`);

/**
 * Throws ContractInvalid for a topic name no broker would take. A publish with such a topic must not reach the
 * socket: the broker drops the connection as malformed, and the client would send the same packet again on
 * every reconnect, cutting the service off the bus for good.
 */
export function checkPublishTopic(topic: string): void {
  const bad = REFUSED_IN_TOPIC.exec(topic);
  if (bad) {
    const what = bad[0] === '+' || bad[0] === '#' ? `the wildcard ${bad[0]}` : `the control character ${hex(bad[0])}`;
    throw new EdgeXError('ContractInvalid', `message bus: cannot publish to "${printable(topic)}": a topic name must not contain ${what}`);
  }
  if (topic === '') throw new EdgeXError('ContractInvalid', 'message bus: cannot publish to an empty topic');
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES)
    throw new EdgeXError('ContractInvalid', `message bus: cannot publish to a topic of more than ${MAX_TOPIC_BYTES} bytes`);
}
