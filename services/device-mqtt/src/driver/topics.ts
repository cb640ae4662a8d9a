/**
 * EdgeX device-mqtt's topic conventions (device-mqtt-go driver.go, incominglistener.go, responselistener.go):
 * commands go to `<CommandTopic>/<resource>/<get|set>/<requestId>`, answers come back on
 * `<ResponseTopic prefix>/<requestId>`, readings a device sends on its own on
 * `<IncomingTopic prefix>/<deviceName>/<sourceName>`.
 */
import { EdgeXError } from '@edgex-ts/contracts';
import type { Protocols } from '@edgex-ts/device-sdk';

export const PROTOCOL = 'mqtt';
export const COMMAND_TOPIC = 'CommandTopic';

export type Method = 'get' | 'set';

/** The device's `protocols.mqtt.CommandTopic`; ContractInvalid naming the property when missing or unusable. */
export function commandTopicOf(deviceName: string, protocols: Protocols): string {
  const where = `device ${deviceName}: protocols.${PROTOCOL}.${COMMAND_TOPIC}`;
  const props = protocols?.[PROTOCOL];
  if (!props || typeof props !== 'object') throw new EdgeXError('ContractInvalid', `${where}: missing (the device has no '${PROTOCOL}' protocol properties)`);
  const topic = props[COMMAND_TOPIC];
  if (typeof topic !== 'string' || topic.trim() === '') throw new EdgeXError('ContractInvalid', `${where}: missing or not a string`);
  if (/[+#]/.test(topic)) throw new EdgeXError('ContractInvalid', `${where}: "${topic}" must not contain the wildcards + or #`);
  return topic.replace(/\/+$/, '');
}

export function requestTopic(commandTopic: string, resourceName: string, method: Method, requestId: string): string {
  return `${commandTopic}/${resourceName}/${method}/${requestId}`;
}

/** The request id a response topic carries: its last level. */
export function responseRequestId(topic: string): string {
  return topic.slice(topic.lastIndexOf('/') + 1);
}

/** Levels of a subscription filter before its trailing `#` (`incoming/data/#` → 2). */
function levelsBeforeHash(filter: string): number {
  return filter === '#' ? 0 : filter.slice(0, -2).split('/').length;
}

/**
 * Device and source of an incoming topic under `filter` (`incoming/data/#` + `incoming/data/dev/src`), or a
 * reason why the topic does not have that shape.
 */
export function parseIncomingTopic(filter: string, topic: string): { deviceName: string; sourceName: string } | { error: string } {
  const rest = topic.split('/').slice(levelsBeforeHash(filter));
  if (rest.length !== 2 || rest[0] === '' || rest[1] === '') {
    return { error: `topic ${topic}: expected ${filter.replace(/#$/, '')}<deviceName>/<sourceName>` };
  }
  return { deviceName: rest[0], sourceName: rest[1] };
}
