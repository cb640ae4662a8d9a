import { EdgeXError, type Event } from '@edgex-ts/sdk/contracts';
import { newEnvelope, newErrorEnvelope, payloadJson, type MessageBus, type MessageEnvelope } from '@edgex-ts/sdk/runtime';
import type { Logger } from 'pino';
import { commandOptionsOf, type CommandDomain } from '../domain/index.js';
import { SERVICE_NAME } from '../config.js';

/** `<device>/<command>/<get|set>` after the request prefix, or a ContractInvalid naming the topic. */
function parseTopic(topic: string, prefix: string): { deviceName: string; commandName: string; method: 'get' | 'set' } {
  const parts = topic.startsWith(prefix) ? topic.slice(prefix.length).split('/') : [];
  const [deviceName, commandName, method] = parts;
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
 * answers on `<prefix>/response/core-command/<requestId>` — an EventResponse (GET; empty payload without an
 * event), a BaseResponse (SET), or errorCode 1 with the message. Requests are handled concurrently: the
 * handler starts the work and returns, so one slow device does not hold up the others.
 * Returns a function that waits for the requests still being handled.
 */
export async function listenForCommands(bus: MessageBus, domain: CommandDomain, log: Logger): Promise<() => Promise<void>> {
  const requestPrefix = bus.topic('core', 'command', 'request') + '/';
  const inFlight = new Set<Promise<void>>();

  const answer = async (env: MessageEnvelope, topic: string): Promise<MessageEnvelope> => {
    try {
      const { deviceName, commandName, method } = parseTopic(topic, requestPrefix);
      const opts = commandOptionsOf(env.queryParams ?? {});
      const ids = { requestID: env.requestID, correlationID: env.correlationID };
      if (method === 'get') {
        const event: Event | undefined = await domain.issueGet(deviceName, commandName, opts, env.correlationID);
        if (!event) return newEnvelope(new Uint8Array(0), ids);
        return newEnvelope({ apiVersion: 'v3', requestId: env.requestID, statusCode: 200, event }, ids);
      }
      await domain.issueSet(deviceName, commandName, setValues(env), opts, env.correlationID);
      return newEnvelope({ apiVersion: 'v3', requestId: env.requestID, statusCode: 200 }, ids);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return newErrorEnvelope(env.requestID, env.correlationID, message);
    }
  };

  await bus.subscribe(`${requestPrefix}#`, async (env, topic) => {
    if (!env.requestID) {
      log.warn({ topic }, 'command request without requestID: no one to answer, dropped');
      return;
    }
    const work = answer(env, topic)
      .then((reply) => bus.publish(bus.topic('response', SERVICE_NAME, env.requestID), reply))
      .catch((err: unknown) => log.error({ err, topic }, 'publishing a command response failed'))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });

  return async () => {
    await Promise.allSettled([...inFlight]);
  };
}
