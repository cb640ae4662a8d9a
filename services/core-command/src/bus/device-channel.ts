import { newEnvelope, type MessageBus, type MessageEnvelope } from '@edgex-ts/sdk/runtime';
import type { DeviceCommandChannel, DeviceCommandRequest } from '../domain/ports.js';

/**
 * Device commands over the EdgeX bus (reference §4.2): request on
 * `<prefix>/device/command/request/<deviceService>/<device>/<command>/<get|set>`, answer awaited on
 * `<prefix>/response/<deviceService>/<requestId>` for at most `timeoutMs` (then ServiceUnavailable).
 * GET carries no payload; SET carries the JSON object of values. Query parameters ride in the envelope.
 */
export class BusDeviceChannel implements DeviceCommandChannel {
  constructor(
    private readonly bus: MessageBus,
    private readonly timeoutMs: number,
  ) {}

  send(req: DeviceCommandRequest): Promise<MessageEnvelope> {
    const payload = req.method === 'set' ? (req.values ?? {}) : new Uint8Array(0);
    const env = newEnvelope(payload, {
      queryParams: req.queryParams,
      ...(req.correlationID ? { correlationID: req.correlationID } : {}),
    });
    const requestTopic = this.bus.topic('device', 'command', 'request', req.serviceName, req.deviceName, req.commandName, req.method);
    return this.bus.request(requestTopic, this.bus.topic('response', req.serviceName), env, this.timeoutMs);
  }
}
