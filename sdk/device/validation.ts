/**
 * Device validation on core-metadata's request (EdgeX v3, device-sdk-go
 * `internal/controller/messaging/validation.go`): before storing a new or changed device, core-metadata
 * publishes an AddDeviceRequest on `<prefix>/<service>/validate/device` and waits on
 * `<prefix>/response/<service>/<requestId>`. The reply is an empty envelope when the device is fine, else an
 * error envelope (errorCode 1) whose text payload is the reason.
 *
 * A device is fine when it parses as an EdgeX Device, its protocols satisfy the driver's declared
 * `protocolProperties` schemas (when it declares any), and the driver's optional `validateDevice` accepts it.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AddDeviceRequestSchema, EdgeXError, errorMessage, parseDto, type Device } from '@edgex-ts/contracts';
import { newEnvelope, newErrorEnvelope, payloadJson, topicLevel, type MessageBus } from '@edgex-ts/runtime';
import { driverFailureText, type ProtocolDriver } from './driver.js';

/** `<prefix>/<service>/validate/device` (`escapeAll`: EdgeX's `Service.EnableNameFieldEscape`). */
export function validationRequestTopic(prefix: string, serviceName: string, escapeAll = false): string {
  return `${prefix}/${topicLevel(serviceName, escapeAll)}/validate/device`;
}

/** `<prefix>/response/<service>`: where replies go (with `/<requestId>` appended). */
export function validationResponseTopicPrefix(prefix: string, serviceName: string, escapeAll = false): string {
  return `${prefix}/response/${topicLevel(serviceName, escapeAll)}`;
}

/** Issue path + message of the first zod issue, e.g. `protocols.tcp.Port: expected number`. */
function firstIssue(where: string, err: z.ZodError): string {
  const issue = err.issues[0];
  const path = [where, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}

/**
 * Checks `device.protocols` against the driver's protocol schemas: at least one protocol the driver knows, and
 * each known protocol's properties valid. Throws ContractInvalid naming the property.
 */
export function checkProtocolProperties(device: Device, schemas: Readonly<Record<string, z.ZodType>> | undefined): void {
  if (!schemas || Object.keys(schemas).length === 0) return;
  const known = Object.keys(device.protocols).filter((p) => p in schemas);
  if (known.length === 0) {
    throw new EdgeXError(
      'ContractInvalid',
      `device ${device.name}.protocols: expected one of ${Object.keys(schemas).join(', ')}, got ${Object.keys(device.protocols).join(', ') || 'none'}`,
    );
  }
  for (const protocol of known) {
    const result = schemas[protocol].safeParse(device.protocols[protocol]);
    if (!result.success) throw new EdgeXError('ContractInvalid', `device ${device.name}: ${firstIssue(`protocols.${protocol}`, result.error)}`);
  }
}

/** Validates one device as the SDK does for core-metadata; throws with the reason. */
export async function validateDevice(driver: ProtocolDriver, device: Device): Promise<void> {
  checkProtocolProperties(device, driver.protocolProperties);
  try {
    await driver.validateDevice?.(device);
  } catch (err) {
    if (err instanceof EdgeXError) throw err;
    throw new EdgeXError('ContractInvalid', `device ${device.name}: ${driverFailureText(err)}`, err);
  }
}

/** Answers core-metadata's validation requests for `serviceName`. */
export async function serveDeviceValidation(bus: MessageBus, serviceName: string, driver: ProtocolDriver, log: Logger, escapeAllNames = false): Promise<void> {
  const topic = validationRequestTopic(bus.prefix, serviceName, escapeAllNames);
  await bus.subscribe(topic, async (req) => {
    const replyTopic = `${validationResponseTopicPrefix(bus.prefix, serviceName, escapeAllNames)}/${req.requestID}`;
    let reply;
    try {
      const request = parseDto(AddDeviceRequestSchema, payloadJson<unknown>(req), 'request');
      await validateDevice(driver, request.device);
      reply = newEnvelope(new Uint8Array(0), { requestID: req.requestID, correlationID: req.correlationID });
    } catch (err) {
      const reason = errorMessage(err);
      log.info({ requestId: req.requestID, reason }, 'device validation failed');
      reply = newErrorEnvelope(req.requestID, req.correlationID, reason);
    }
    await bus.publish(replyTopic, reply);
  });
  log.info({ topic }, 'answering device validation requests');
}
