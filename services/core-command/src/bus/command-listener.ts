import { EdgeXError } from '@edgex-ts/contracts';
import { nameOfTopicLevel, newEnvelope, payloadJson, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import { commandOptionsOf, type CommandDomain } from '../domain/index.js';
import { respondOnBus } from './responder.js';

/** `<device>/<command>/<get|set>` after the request prefix, or a ContractInvalid naming the topic. */
function parseTopic(topic: string, prefix: string): { deviceName: string; commandName: string; method: 'get' | 'set' } {
  const parts = topic.startsWith(prefix) ? topic.slice(prefix.length).split('/') : [];
  const [deviceName, commandName] = parts.slice(0, 2).map(nameOfTopicLevel);
  const method = parts[2];
  if (parts.length !== 3 || !deviceName || !commandName || (method !== 'get' && method !== 'set')) {
    throw new EdgeXError('ContractInvalid', `command request topic ${topic}: expected ${prefix}<device>/<command>/<get|set>`);
  }
  return { deviceName, commandName, method };
}

function setValues(env: MessageEnvelope): Record<string, unknown> {
  const v = payloadJson<unknown>(env);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new EdgeXError('ContractInvalid', 'command request payload must be a JSON object of resource name to value');
  }
  return v as Record<string, unknown>;
}

/**
 * Commands over the bus (reference §4.2): requests on `<prefix>/core/command/request/<device>/<command>/<get|set>`,
 * answers on `<prefix>/response/core-command/<requestId>` — the device service's EventResponse as it sent it
 * (GET: JSON, or CBOR with contentType application/cbor for Binary readings; empty payload without an event),
 * the device service's answer to a SET as it sent it, or errorCode 1 with the message. Returns a function that
 * waits for the requests still being handled.
 */
export function listenForCommands(bus: MessageBus, domain: CommandDomain, log: Logger): Promise<() => Promise<void>> {
  const requestPrefix = bus.topic('core', 'command', 'request') + '/';
  return respondOnBus(bus, `${requestPrefix}#`, log, async (env, topic) => {
    const { deviceName, commandName, method } = parseTopic(topic, requestPrefix);
    const opts = commandOptionsOf(env.queryParams ?? {});
    const ids = { requestID: env.requestID, correlationID: env.correlationID };
    if (method === 'get') {
      // Answers are passed on as the device service sent them (a CBOR EventResponse for Binary readings; EdgeX's
      // Go SDK answers a SET with no payload), as EdgeX's core-command forwards them.
      const { answer } = await domain.issueGet(deviceName, commandName, opts, ids);
      return newEnvelope(answer.payload, { ...ids, contentType: answer.contentType });
    }
    const answer = await domain.issueSet(deviceName, commandName, setValues(env), opts, ids);
    return newEnvelope(answer.payload, { ...ids, contentType: answer.contentType });
  });
}
