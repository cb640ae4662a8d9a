import { EdgeXError } from '@edgex-ts/contracts';
import { newEnvelope, topicLevel, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import type { DeviceCommandChannel, DeviceCommandRequest } from '../domain/ports.js';

/**
 * Device commands over the EdgeX bus (reference §4.2): request on
 * `<prefix>/device/command/request/<deviceService>/<device>/<command>/<get|set>`, answer awaited on
 * `<prefix>/response/<deviceService>/<requestId>` for at most `timeoutMs` (then ServiceUnavailable).
 * GET carries no payload; SET carries the JSON object of values. Query parameters ride in the envelope, and
 * the caller's correlation and request ids when it gave them (so the answer's own requestId is the caller's).
 *
 * Answers are taken from one standing subscription per device service (`<prefix>/response/<deviceService>/#`,
 * made on its first command) rather than a subscribe and unsubscribe around every request, which would cost
 * two more broker round trips per command. Answers to requests that are not ours (other requesters of the
 * same device service) are ignored.
 */
export class BusDeviceChannel implements DeviceCommandChannel {
  private readonly waiting = new Map<string, (env: MessageEnvelope) => void>();
  private readonly subscribed = new Map<string, Promise<void>>();

  constructor(
    private readonly bus: MessageBus,
    private readonly timeoutMs: number,
    /** Every name in the topics escaped (EdgeX's `Service.EnableNameFieldEscape`). */
    private readonly escapeAllNames = false,
  ) {}

  private level(name: string): string {
    return topicLevel(name, this.escapeAllNames);
  }

  async send(req: DeviceCommandRequest): Promise<MessageEnvelope> {
    await this.followResponsesOf(req.serviceName);
    const payload = req.method === 'set' ? (req.values ?? {}) : new Uint8Array(0);
    const env = newEnvelope(payload, {
      queryParams: req.queryParams,
      ...(req.correlationID ? { correlationID: req.correlationID } : {}),
      // The caller's id unless a request with that id is still waiting for its answer.
      ...(req.requestID && !this.waiting.has(req.requestID) ? { requestID: req.requestID } : {}),
    });
    const requestTopic = this.bus.topic(
      'device',
      'command',
      'request',
      ...[req.serviceName, req.deviceName, req.commandName].map((n) => this.level(n)),
      req.method,
    );
    const responseTopic = this.bus.topic('response', this.level(req.serviceName), env.requestID);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<MessageEnvelope>((resolve, reject) => {
      this.waiting.set(env.requestID, resolve);
      timer = setTimeout(
        () =>
          reject(new EdgeXError('ServiceUnavailable', `message bus: no response on ${responseTopic} within ${this.timeoutMs} ms (request to ${requestTopic})`)),
        this.timeoutMs,
      );
    });
    try {
      await this.bus.publish(requestTopic, env);
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(env.requestID);
    }
  }

  private followResponsesOf(serviceName: string): Promise<void> {
    let done = this.subscribed.get(serviceName);
    if (!done) {
      const prefix = this.bus.topic('response', this.level(serviceName)) + '/';
      done = this.bus.subscribe(`${prefix}#`, async (env, topic) => {
        this.waiting.get(env.requestID || topic.slice(prefix.length))?.(env);
      });
      // A failed subscribe is retried by the next command.
      done.catch(() => this.subscribed.delete(serviceName));
      this.subscribed.set(serviceName, done);
    }
    return done;
  }
}
