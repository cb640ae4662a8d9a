import { EdgeXError } from '@edgex-ts/contracts';
import { nameOfTopicLevel, newEnvelope, parsePaging, type MessageBus } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { CommandDomain } from '../domain/index.js';
import { respondOnBus } from './responder.js';

/**
 * Command queries over the bus (reference §4.2): `<prefix>/core/commandquery/request/<device|all>`, answered on
 * `<prefix>/response/core-command/<requestId>` with a DeviceCoreCommandResponse, or for `all` a
 * MultiDeviceCoreCommandsResponse paged by the offset/limit query parameters (EdgeX's defaults and limits).
 */
export function listenForCommandQueries(bus: MessageBus, domain: CommandDomain, maxResultCount: number, log: Logger): Promise<() => Promise<void>> {
  const requestPrefix = bus.topic('core', 'commandquery', 'request') + '/';
  return respondOnBus(bus, `${requestPrefix}#`, log, async (env, topic) => {
    const level = topic.slice(requestPrefix.length);
    const target = nameOfTopicLevel(level);
    if (level === '' || level.includes('/') || target === undefined) {
      throw new EdgeXError('ContractInvalid', `command query topic ${topic}: expected ${requestPrefix}<device|all>`);
    }
    const ids = { requestID: env.requestID, correlationID: env.correlationID };
    const base = { apiVersion: 'v3', requestId: env.requestID, statusCode: 200 };
    if (target === 'all') {
      const { deviceCoreCommands, totalCount } = await domain.list(parsePaging(env.queryParams ?? {}, maxResultCount));
      return newEnvelope({ ...base, totalCount, deviceCoreCommands }, ids);
    }
    return newEnvelope({ ...base, deviceCoreCommand: await domain.byDeviceName(target) }, ids);
  });
}
