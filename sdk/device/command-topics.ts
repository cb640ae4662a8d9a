/**
 * The device-command bus contract between core-command (the requester) and a device service (EdgeX v3,
 * reference §4.2). core-command publishes a request envelope on
 * `<prefix>/device/command/request/<service>/<device>/<command>/<get|set>` and waits for the reply on
 * `<prefix>/response/<service>/<requestId>` (same requestID and correlationID as the request).
 *
 * Request: GET carries `queryParams` (`ds-pushevent`, `ds-returnevent`, others passed through); SET carries
 * the JSON map `{resourceName: value}` as payload.
 * Reply (success): errorCode 0, JSON payload: GET → EventResponse `{apiVersion, statusCode: 200, event}` (an
 * empty payload with `ds-returnevent=false`); SET → BaseResponse `{apiVersion, statusCode: 200}`.
 * Reply (failure): errorCode 1 (EdgeX's error envelope) and a JSON BaseResponse payload
 * `{apiVersion: 'v3', statusCode, message}` whose `statusCode` is the HTTP status the REST façade should
 * answer with (404 unknown device/command, 423 LOCKED/DOWN, 400 bad value, 500/503 driver failure).
 */
import { EdgeXError, REGEX_COMMAND_PARAM } from '@edgex-ts/contracts';
import { nameOfTopicLevel, topicLevel, type MessageEnvelope } from '@edgex-ts/runtime';

/** GET query parameter: also publish the event on the events topic (default false). */
export const PUSH_EVENT_PARAM = 'ds-pushevent';
/** GET query parameter: return the event in the reply (default true); `false` gives an empty payload. */
export const RETURN_EVENT_PARAM = 'ds-returnevent';

export type CommandMethod = 'get' | 'set';

/**
 * `<prefix>/device/command/request/<service>/#`: what a device service subscribes to. In these topics every name
 * is a `topicLevel`; `escapeAll` is EdgeX's `Service.EnableNameFieldEscape`.
 */
export function commandRequestFilter(prefix: string, serviceName: string, escapeAll = false): string {
  return `${prefix}/device/command/request/${topicLevel(serviceName, escapeAll)}/#`;
}

/** `<prefix>/device/command/request/<service>/<device>/<command>/<get|set>`. */
export function commandRequestTopic(
  prefix: string,
  serviceName: string,
  deviceName: string,
  commandName: string,
  method: CommandMethod,
  escapeAll = false,
): string {
  const names = [serviceName, deviceName, commandName].map((n) => topicLevel(n, escapeAll));
  return [prefix, 'device', 'command', 'request', ...names, method].join('/');
}

/** `<prefix>/response/<service>`: the prefix the requester passes to `MessageBus.request`. */
export function commandResponseTopicPrefix(prefix: string, serviceName: string, escapeAll = false): string {
  return `${prefix}/response/${topicLevel(serviceName, escapeAll)}`;
}

/** `<prefix>/response/<service>/<requestId>`. */
export function commandResponseTopic(prefix: string, serviceName: string, requestId: string, escapeAll = false): string {
  return `${commandResponseTopicPrefix(prefix, serviceName, escapeAll)}/${requestId}`;
}

/** Device, command and method of a request topic under `commandRequestFilter(prefix, serviceName)`, else undefined. */
export function parseCommandRequestTopic(
  prefix: string,
  serviceName: string,
  topic: string,
  escapeAll = false,
): { deviceName: string; commandName: string; method: CommandMethod } | undefined {
  const head = commandRequestFilter(prefix, serviceName, escapeAll).slice(0, -1);
  if (!topic.startsWith(head)) return undefined;
  const parts = topic.slice(head.length).split('/');
  if (parts.length !== 3) return undefined;
  const [device, command, method] = parts;
  if (method !== 'get' && method !== 'set') return undefined;
  const deviceName = nameOfTopicLevel(device);
  const commandName = nameOfTopicLevel(command);
  if (deviceName === undefined || commandName === undefined) return undefined;
  return { deviceName, commandName, method };
}

/** The error reply payload: EdgeX's BaseResponse with the status for the REST façade. */
export interface CommandErrorReply {
  apiVersion: 'v3';
  statusCode: number;
  message: string;
}

/**
 * Status and message of a command reply: 200 when errorCode is 0; else the payload's statusCode and message
 * (a plain-text payload, as an EdgeX device service sends, is a 500 with that text).
 */
export function commandReplyStatus(reply: MessageEnvelope): { status: number; message?: string } {
  if (reply.errorCode === 0) return { status: 200 };
  const text = Buffer.from(reply.payload.buffer, reply.payload.byteOffset, reply.payload.byteLength).toString('utf8');
  try {
    const body = JSON.parse(text) as Partial<CommandErrorReply>;
    const s = Number(body.statusCode);
    if (Number.isInteger(s) && s >= 400 && s <= 599) return { status: s, message: String(body.message ?? '') };
  } catch {
    /* plain-text EdgeX error payload */
  }
  return { status: 500, message: text };
}

/**
 * `ds-pushevent` / `ds-returnevent` / `ds-regexcmd` from query parameters (EdgeX accepts only `true`/`false`; 400
 * otherwise). `regexCmd` (default true, as in EdgeX's device SDK): a GET whose command names no device command or
 * resource reads the resources the name matches as a regular expression.
 */
export function commandQueryFlags(params: Readonly<Record<string, unknown>> | undefined): { pushEvent: boolean; returnEvent: boolean; regexCmd: boolean } {
  const flag = (name: string, fallback: boolean): boolean => {
    const v = params?.[name];
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === 'yes') return true;
    if (v === 'false' || v === 'no') return false;
    throw new EdgeXError('ContractInvalid', `${name}: expected true or false, got ${JSON.stringify(v)}`);
  };
  return { pushEvent: flag(PUSH_EVENT_PARAM, false), returnEvent: flag(RETURN_EVENT_PARAM, true), regexCmd: flag(REGEX_COMMAND_PARAM, true) };
}
