import { EdgeXError, deviceWire, errorMessage, newUuid, type Device } from '@edgex-ts/contracts';
import { newEnvelope, topicLevel, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import { correlation } from '../correlation.js';
import type { DeviceValidator } from '../domain/index.js';

/** The reason in an error reply: EdgeX device services send plain text; a JSON BaseResponse's message is taken too. */
function reasonOf(reply: MessageEnvelope): string {
  const text = Buffer.from(reply.payload.buffer, reply.payload.byteOffset, reply.payload.byteLength).toString('utf8');
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (body && typeof body.message === 'string') return body.message;
  } catch {
    /* plain text, as device-sdk-go answers */
  }
  return text || 'no reason given';
}

/**
 * Device validation over the bus (EdgeX v3, edgex-go `validateDeviceCallback`): an AddDeviceRequest on
 * `<prefix>/<service>/validate/device`, the reply awaited on `<prefix>/response/<service>/<requestId>` for
 * Service.RequestTimeout. No reply → ServiceUnavailable (503); an error reply → a server error (500) with the
 * device service's reason, the status EdgeX clients get from EdgeX's core-metadata.
 */
export class BusDeviceValidator implements DeviceValidator {
  constructor(
    private readonly bus: MessageBus,
    private readonly timeoutMs: number,
    private readonly log: Logger,
    /** Every name in the topics escaped (EdgeX's `Service.EnableNameFieldEscape`). */
    private readonly escapeAllNames = false,
  ) {}

  async validate(device: Device): Promise<void> {
    const service = device.serviceName;
    const requestTopic = this.bus.topic(topicLevel(service, this.escapeAllNames), 'validate', 'device');
    const request = newEnvelope({ apiVersion: 'v3', requestId: newUuid(), device: deviceWire(device) }, { correlationID: correlation.getStore() });
    let reply: MessageEnvelope;
    try {
      reply = await this.bus.request(requestTopic, this.bus.topic('response', topicLevel(service, this.escapeAllNames)), request, this.timeoutMs);
    } catch (err) {
      this.log.warn({ device: device.name, service, err: errorMessage(err) }, 'device validation: no answer');
      throw new EdgeXError(
        'ServiceUnavailable',
        `device ${device.name}: device service ${service} did not answer the validation request within ${this.timeoutMs} ms`,
        err,
      );
    }
    if (reply.errorCode !== 0) {
      throw new EdgeXError('UnexpectedServerError', `device ${device.name} validation failed: ${reasonOf(reply)}`);
    }
  }
}
