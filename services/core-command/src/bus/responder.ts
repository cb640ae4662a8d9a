import { newErrorEnvelope, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import { errorMessage } from '@edgex-ts/contracts';
import type { Logger } from 'pino';
import { SERVICE_NAME } from '../config.js';

/**
 * Answers requests on `filter` at `<prefix>/response/core-command/<requestId>` (reference §4.2): `answer`
 * builds the reply; a thrown error becomes errorCode 1 with its message. Requests are handled concurrently:
 * the subscription handler starts the work and returns, so one slow device does not hold up the others.
 * Returns a function that waits for the requests still being handled.
 */
export async function respondOnBus(
  bus: MessageBus,
  filter: string,
  log: Logger,
  answer: (env: MessageEnvelope, topic: string) => Promise<MessageEnvelope>,
): Promise<() => Promise<void>> {
  const inFlight = new Set<Promise<void>>();
  await bus.subscribe(filter, async (env, topic) => {
    if (!env.requestID) {
      log.warn({ topic }, 'request without requestID: no one to answer, dropped');
      return;
    }
    const work = answer(env, topic)
      .catch((err: unknown) => newErrorEnvelope(env.requestID, env.correlationID, errorMessage(err)))
      .then((reply) => bus.publish(bus.topic('response', SERVICE_NAME, env.requestID), reply))
      .catch((err: unknown) => log.error({ err, topic }, 'publishing a response failed'))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  return async () => {
    await Promise.allSettled([...inFlight]);
  };
}
