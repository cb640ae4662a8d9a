import { decodeCborDto, EdgeXError, errorMessage, EventSchema, isCborContentType, parseDto, parseJson, type ErrorKind, type Event } from '@edgex-ts/contracts';
import type { MessageEnvelope } from '@edgex-ts/runtime';

/** The EdgeX error kind for an HTTP status a device service answered with (reference §1.5, reversed). */
const KIND_OF_STATUS: Record<number, ErrorKind> = {
  400: 'ContractInvalid',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'NotAllowed',
  409: 'StatusConflict',
  413: 'LimitExceeded',
  416: 'RangeNotSatisfiable',
  423: 'ServiceLocked',
  501: 'NotImplemented',
  502: 'Communication',
  503: 'ServiceUnavailable',
};

function kindOfStatus(status: number): ErrorKind {
  return KIND_OF_STATUS[status] ?? 'UnexpectedServerError';
}

function text(env: MessageEnvelope): string {
  return Buffer.from(env.payload.buffer, env.payload.byteOffset, env.payload.byteLength).toString('utf8');
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function jsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    return asObject(parseJson(raw));
  } catch {
    return undefined;
  }
}

/**
 * The device service's answer as a result or an EdgeXError. A failure is errorCode 1 with the message as
 * payload (EdgeX's error envelope: 500), or a BaseResponse whose statusCode ≥ 400 (that status kept).
 * A success is JSON, or CBOR as EdgeX's Go device services answer a GET of a Binary resource (contentType
 * application/cbor), decoded into its JSON shape. Returns the response body; undefined when the payload is empty.
 */
export function checkDeviceResponse(env: MessageEnvelope, what: string): Record<string, unknown> | undefined {
  if (env.errorCode === 0 && env.payload.byteLength > 0 && isCborContentType(env.contentType)) {
    let body: Record<string, unknown> | undefined;
    try {
      body = asObject(decodeCborDto(env.payload, 'the payload'));
    } catch (err) {
      throw new EdgeXError('UnexpectedServerError', `${what}: the device service answered with ${errorMessage(err)}`);
    }
    if (body === undefined) throw new EdgeXError('UnexpectedServerError', `${what}: the device service answered with a CBOR payload that is not a map`);
    return checkStatus(body, what);
  }
  const raw = text(env);
  const body = raw.trim() === '' ? undefined : jsonObject(raw);
  const status = typeof body?.statusCode === 'number' ? body.statusCode : undefined;
  if (env.errorCode !== 0) {
    const message = typeof body?.message === 'string' ? body.message : raw.trim() || 'no message';
    const kind = status !== undefined && status >= 400 ? kindOfStatus(status) : 'UnexpectedServerError';
    throw new EdgeXError(kind, `${what}: ${message}`);
  }
  if (raw.trim() !== '' && body === undefined) {
    throw new EdgeXError('UnexpectedServerError', `${what}: the device service answered with a payload that is not a JSON object`);
  }
  return body === undefined ? undefined : checkStatus(body, what);
}

/** A response body whose statusCode says it failed becomes the EdgeXError of that status. */
function checkStatus(body: Record<string, unknown>, what: string): Record<string, unknown> {
  const status = typeof body.statusCode === 'number' ? body.statusCode : undefined;
  if (status !== undefined && status >= 400) {
    throw new EdgeXError(kindOfStatus(status), `${what}: ${typeof body.message === 'string' ? body.message : 'no message'}`);
  }
  return body;
}

/** The event of a GET answer (EdgeX EventResponse), or undefined when the device service returned none. */
export function eventOfResponse(env: MessageEnvelope, what: string): Event | undefined {
  const body = checkDeviceResponse(env, what);
  if (body === undefined || body.event === undefined || body.event === null) return undefined;
  try {
    return parseDto(EventSchema, body.event, 'event');
  } catch (err) {
    throw new EdgeXError('UnexpectedServerError', `${what}: the device service answered with an invalid event: ${errorMessage(err)}`, err);
  }
}
