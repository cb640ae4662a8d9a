import { decode } from 'cbor2';
import { EdgeXError, errorMessage } from './errors.js';

/** The content type of EdgeX's CBOR payloads (events with Binary readings, their EventResponses). */
export const CONTENT_TYPE_CBOR = 'application/cbor';

/**
 * Nesting EdgeX's own decoder accepts (fxamacker/cbor's default MaxNestedLevels); deeper input is refused
 * rather than walked, so a hostile body cannot make decoding slow.
 */
export const MAX_CBOR_DEPTH = 32;

/** Whether a Content-Type header (parameters allowed) names CBOR. */
export function isCborContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*application\/cbor\s*(;|$)/i.test(contentType);
}

/**
 * Decodes an EdgeX DTO that Go's fxamacker/cbor wrote (AddEventRequest, EventResponse) into the shape the
 * same DTO has in JSON, so the JSON schemas validate it: byte strings become base64 text (as Go's
 * encoding/json writes `[]byte`, e.g. `binaryValue`), maps become objects, integers beyond 2^53 stay
 * exact as bigint. ContractInvalid naming `what` when the bytes are not CBOR.
 */
export function decodeCborDto(bytes: Uint8Array, what: string): unknown {
  let raw: unknown;
  try {
    raw = decode(bytes, { maxDepth: MAX_CBOR_DEPTH, rejectDuplicateKeys: true });
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `${what} is not valid CBOR: ${errorMessage(err)}`);
  }
  return asJsonShape(raw);
}

function asJsonShape(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(asJsonShape);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = asJsonShape(v);
    return out;
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = asJsonShape(v);
    return out;
  }
  return value;
}
