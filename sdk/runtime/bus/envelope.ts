import { randomUUID } from 'node:crypto';
import { errorMessage } from '@edgex-ts/contracts';
import { decode as decodeCbor, encode as encodeCbor } from 'cbor2';
import { CONTENT_TYPE_CBOR, decodeCborDto, EdgeXError, isCborContentType, MAX_CBOR_DEPTH, parseJson, stringifyJson } from '../contracts.js';

/** EdgeX MessageEnvelope (messaging pkg/types/message_envelope.go). */
export interface MessageEnvelope {
  apiVersion: 'v3';
  receivedTopic?: string;
  correlationID: string;
  requestID: string;
  errorCode: number;
  payload: Uint8Array;
  contentType: string;
  queryParams?: Record<string, string>;
}

export type PayloadEncoding = 'base64' | 'inline';

export const CONTENT_TYPE_JSON = 'application/json';
export { CONTENT_TYPE_CBOR };

export interface NewEnvelopeOptions {
  correlationID?: string;
  requestID?: string;
  contentType?: string;
  queryParams?: Record<string, string>;
  errorCode?: number;
}

/** An envelope around `payload` (objects are JSON-encoded); ids are generated when not given. */
export function newEnvelope(payload: object | Uint8Array, opts: NewEnvelopeOptions = {}): MessageEnvelope {
  const bytes = payload instanceof Uint8Array ? payload : Buffer.from(stringifyJson(payload), 'utf8');
  return {
    apiVersion: 'v3',
    correlationID: opts.correlationID || randomUUID(),
    requestID: opts.requestID || randomUUID(),
    errorCode: opts.errorCode ?? 0,
    payload: bytes,
    contentType: opts.contentType ?? CONTENT_TYPE_JSON,
    ...(opts.queryParams ? { queryParams: opts.queryParams } : {}),
  };
}

/** An error response envelope (errorCode 1, payload = the message), as EdgeX services answer. */
export function newErrorEnvelope(requestID: string, correlationID: string, message: string): MessageEnvelope {
  return newEnvelope(Buffer.from(message, 'utf8'), { requestID, correlationID, errorCode: 1, contentType: 'text/plain' });
}

function isJsonContentType(ct: string): boolean {
  return ct === '' || /json/i.test(ct);
}

/**
 * JSON bytes of the envelope. 'base64' = EdgeX v3 (payload as base64 bytes); 'inline' = EdgeX v4 (a JSON
 * payload inline as an object/array; non-JSON payloads such as CBOR stay base64).
 */
export function encodeEnvelope(env: MessageEnvelope, encoding: PayloadEncoding = 'base64'): Buffer {
  let inline: unknown;
  if (encoding === 'inline' && isJsonContentType(env.contentType) && env.payload.length > 0) {
    try {
      inline = parseJson(env.payload);
    } catch {
      // not JSON after all: keep base64
    }
  }
  const head = JSON.stringify({
    apiVersion: env.apiVersion,
    receivedTopic: env.receivedTopic ?? '',
    correlationID: env.correlationID,
    requestID: env.requestID,
    errorCode: env.errorCode,
  });
  const tail = JSON.stringify({
    contentType: env.contentType,
    ...(env.queryParams && Object.keys(env.queryParams).length > 0 ? { queryParams: env.queryParams } : {}),
  });
  if (inline !== undefined) return Buffer.from(`${head.slice(0, -1)},"payload":${stringifyJson(inline)},${tail.slice(1)}`, 'utf8');
  // Base64 text needs no JSON escaping: it is copied into place instead of passing through another
  // JSON.stringify (events are re-published at ingest rate; this is most of the cost of each).
  const payload = asBuffer(env.payload).toString('base64');
  const headBytes = Buffer.byteLength(head) - 1; // without the closing brace
  const tailBytes = Buffer.byteLength(tail) - 1; // without the opening brace
  const out = Buffer.allocUnsafe(headBytes + PAYLOAD_KEY.length + payload.length + PAYLOAD_END.length + tailBytes);
  let at = out.write(head, 0, headBytes, 'utf8');
  at += out.write(PAYLOAD_KEY, at, 'latin1');
  at += out.write(payload, at, 'latin1');
  at += out.write(PAYLOAD_END, at, 'latin1');
  out.write(tail.slice(1), at, 'utf8');
  return out;
}

const PAYLOAD_KEY = ',"payload":"';
const PAYLOAD_END = '",';

/** A Buffer view of the bytes (no copy: envelopes are decoded/encoded for every bus message). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function payloadBytes(payload: unknown): Uint8Array {
  if (payload === undefined || payload === null) return new Uint8Array(0);
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') {
    // v3: base64 bytes. A v4 inline JSON string value that is not base64 is taken as that JSON string.
    if (payload.length % 4 === 0 && BASE64.test(payload)) return Buffer.from(payload, 'base64');
    return Buffer.from(JSON.stringify(payload), 'utf8');
  }
  return Buffer.from(stringifyJson(payload), 'utf8');
}

/** The fields of a JSON envelope. */
function jsonEnvelopeFields(buf: Buffer | Uint8Array | string): unknown {
  const text = typeof buf === 'string' ? buf : asBuffer(buf).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    // A v4 inline payload is JSON inside the envelope: read again, exactly (64-bit integers as bigint).
    if (typeof (raw as { payload?: unknown } | null)?.payload === 'object') raw = parseJson(text, { what: 'message envelope' });
  } catch (err) {
    if (err instanceof EdgeXError) throw err;
    const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new EdgeXError('ContractInvalid', `message envelope is not valid JSON (${errorMessage(err)}): ${JSON.stringify(preview)}`, err);
  }
  return raw;
}

/** A CBOR map's first byte (major type 5): a JSON envelope starts with `{` or white space instead. */
function isCborMap(buf: Uint8Array): boolean {
  return buf.length > 0 && buf[0] >> 5 === 5;
}

/**
 * The fields of a CBOR envelope. Its payload is a CBOR value inside it (the request itself, not its bytes):
 * it is carried on as that value's CBOR encoding, under the envelope's contentType (application/cbor).
 */
function cborEnvelopeFields(buf: Uint8Array): Record<string, unknown> {
  let raw: unknown;
  try {
    // A plain Uint8Array view: byte strings decoded from a Buffer would be Buffers, which encode differently.
    raw = decodeCbor(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), { maxDepth: MAX_CBOR_DEPTH });
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `message envelope is not valid CBOR: ${errorMessage(err)}`, err);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw new EdgeXError('ContractInvalid', 'message envelope must be a CBOR map');
  }
  const o = raw as Record<string, unknown>;
  return { ...o, payload: cborPayloadBytes(o.payload) };
}

/** Bytes (a CBOR byte string) and text (an error message) as they are; a value (the request) as its CBOR. */
function cborPayloadBytes(payload: unknown): Uint8Array | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return encodeCbor(payload);
}

/**
 * Decodes an envelope from the bus: v3 (base64 payload) and v4 (inline JSON payload), and the whole envelope
 * in CBOR as EdgeX's Go services write it with EDGEX_MSG_CBOR_ENCODE=true.
 */
export function decodeEnvelope(buf: Buffer | Uint8Array | string): MessageEnvelope {
  const raw = typeof buf !== 'string' && isCborMap(buf) ? cborEnvelopeFields(buf) : jsonEnvelopeFields(buf);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EdgeXError('ContractInvalid', 'message envelope must be a JSON object');
  const o = raw as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? o[k] : '');
  if (o.apiVersion !== undefined && o.apiVersion !== 'v3')
    throw new EdgeXError('ContractInvalid', `message envelope apiVersion ${JSON.stringify(o.apiVersion)} is not supported (expected "v3")`);
  const queryParams =
    typeof o.queryParams === 'object' && o.queryParams !== null && !Array.isArray(o.queryParams)
      ? Object.fromEntries(Object.entries(o.queryParams as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
      : undefined;
  return {
    apiVersion: 'v3',
    ...(str('receivedTopic') ? { receivedTopic: str('receivedTopic') } : {}),
    correlationID: str('correlationID') || randomUUID(),
    requestID: str('requestID'),
    errorCode: typeof o.errorCode === 'number' ? o.errorCode : 0,
    payload: payloadBytes(o.payload),
    contentType: str('contentType') || CONTENT_TYPE_JSON,
    ...(queryParams && Object.keys(queryParams).length ? { queryParams } : {}),
  };
}

/** The payload parsed as JSON; ContractInvalid when it is not JSON. */
export function payloadJson<T>(env: MessageEnvelope): T {
  const text = asBuffer(env.payload).toString('utf8');
  try {
    return parseJson(text, { what: 'message payload' }) as T;
  } catch (err) {
    if (err instanceof EdgeXError) throw err;
    throw new EdgeXError('ContractInvalid', `message payload is not valid JSON (contentType ${env.contentType}): ${errorMessage(err)}`, err);
  }
}

/**
 * The payload of a DTO-carrying envelope, in the DTO's JSON shape whatever its encoding: JSON, or CBOR as
 * EdgeX's Go services send events with Binary readings (`contentType` application/cbor; see decodeCborDto).
 * Integers beyond 2^53 (origins, 64-bit values) come out exact, as bigint, from either. ContractInvalid when
 * the payload is not what its content type says.
 */
export function payloadDto(env: MessageEnvelope): unknown {
  if (isCborContentType(env.contentType)) return decodeCborDto(env.payload, `message payload (contentType ${env.contentType})`);
  return payloadJson<unknown>(env);
}
