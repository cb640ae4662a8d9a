/**
 * Serves device commands from the message bus (the contract in `command-topics.ts`): one subscription on
 * `<prefix>/device/command/request/<service>/#`, every request answered on `<prefix>/response/<service>/<requestId>`.
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage, type Event } from '@edgex-ts/contracts';
import { errorResponseOf, newEnvelope, payloadJson, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import type { CommandExecutor } from './commands.js';
import { commandQueryFlags, type CommandErrorReply, commandRequestFilter, commandResponseTopic, parseCommandRequestTopic } from './command-topics.js';

export interface CommandBusOptions {
  bus: MessageBus;
  serviceName: string;
  executor: CommandExecutor;
  /** Publishes an event on the events topic (for `ds-pushevent=true`). */
  pushEvent: (event: Event) => void;
  log: Logger;
  /** Requests handled concurrently (default 16). */
  maxInFlight?: number;
  /** Every name in topics escaped (EdgeX's `Service.EnableNameFieldEscape`). */
  escapeAllNames?: boolean;
}

/** The reply to one request envelope (success or EdgeX error envelope); never throws. */
export async function handleCommandRequest(
  opts: Omit<CommandBusOptions, 'bus' | 'log' | 'maxInFlight'> & { prefix: string },
  topic: string,
  req: MessageEnvelope,
): Promise<MessageEnvelope> {
  const ids = { requestID: req.requestID, correlationID: req.correlationID };
  try {
    const target = parseCommandRequestTopic(opts.prefix, opts.serviceName, topic, opts.escapeAllNames);
    if (!target) throw new EdgeXError('ContractInvalid', `topic ${topic}: expected .../<device>/<command>/<get|set>`);
    if (target.method === 'get') {
      const flags = commandQueryFlags(req.queryParams);
      const event = await opts.executor.read(target.deviceName, target.commandName, { regex: flags.regexCmd });
      if (flags.pushEvent) opts.pushEvent(event);
      return newEnvelope(flags.returnEvent ? { apiVersion: 'v3', statusCode: 200, event } : new Uint8Array(0), ids);
    }
    let params: unknown;
    try {
      params = req.payload.length === 0 ? {} : payloadJson<unknown>(req);
    } catch (err) {
      throw new EdgeXError('ContractInvalid', `SET ${target.deviceName}/${target.commandName}: payload is not JSON: ${errorMessage(err)}`, err);
    }
    await opts.executor.write(target.deviceName, target.commandName, params);
    return newEnvelope({ apiVersion: 'v3', statusCode: 200 }, ids);
  } catch (err) {
    const { status, message } = errorResponseOf(err);
    const body: CommandErrorReply = { apiVersion: 'v3', statusCode: status, message };
    return newEnvelope(body, { ...ids, errorCode: 1 });
  }
}

/** Subscribes the command request topics of `serviceName` and answers each request. */
export async function serveCommandsOnBus(opts: CommandBusOptions): Promise<void> {
  const { bus, log } = opts;
  const ctx = { serviceName: opts.serviceName, executor: opts.executor, pushEvent: opts.pushEvent, prefix: bus.prefix, escapeAllNames: opts.escapeAllNames };
  await bus.subscribe(
    commandRequestFilter(bus.prefix, opts.serviceName, opts.escapeAllNames),
    async (env, topic) => {
      const reply = await handleCommandRequest(ctx, topic, env);
      if (reply.errorCode !== 0) log.debug({ topic, requestId: env.requestID, reply: payloadJson<CommandErrorReply>(reply) }, 'command failed');
      // Not awaited: with maxInFlight the bus stops reading while this many handlers are pending, and the
      // PUBACKs those handlers would wait for could then never be read (a deadlock under concurrent commands).
      const responseTopic = commandResponseTopic(bus.prefix, opts.serviceName, env.requestID, opts.escapeAllNames);
      bus.publish(responseTopic, reply).catch((err: unknown) => {
        log.warn({ topic: responseTopic, err: errorMessage(err) }, 'command reply not delivered');
      });
    },
    { maxInFlight: opts.maxInFlight ?? 16 },
  );
}
