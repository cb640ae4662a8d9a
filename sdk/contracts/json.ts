import { EdgeXError } from './errors.js';

/**
 * Exact JSON for EdgeX's 64-bit integers (nanosecond origins ~1.8e18, Int64/Uint64 readings).
 *
 * `parseJson` yields a bigint for an integer literal outside Number's safe range (|n| > 2^53 - 1) and a
 * number for everything else; `stringifyJson` writes a bigint as a JSON number. Node 20 has neither
 * reviver source access nor JSON.rawJSON, so both keep V8's native JSON and rewrite around it: such
 * literals are turned into marker strings before JSON.parse (and back after), bigints into marker strings
 * for JSON.stringify (and back into bare digits in its output). Every EdgeX event carries an origin beyond
 * 2^53, so this is the hot path: the text is scanned once, strings skipped with indexOf.
 */

/** Default nesting limit of {@link parseJson}: deeper input is refused with a ContractInvalid error. */
export const DEFAULT_MAX_JSON_DEPTH = 256;

/** For JSON a service wrote itself (stored bodies): read back whatever depth it was accepted with. */
export const STORED_JSON: ParseJsonOptions = { maxDepth: Number.POSITIVE_INFINITY };

export interface ParseJsonOptions {
  /** Most nested arrays/objects accepted (default {@link DEFAULT_MAX_JSON_DEPTH}). */
  maxDepth?: number;
  /** Names the input in error messages (default "JSON"), e.g. "request body". */
  what?: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** Integers of fewer digits are always safe; 2^53 - 1 itself has 16. */
const MIN_UNSAFE_DIGITS = 16;
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Control characters a decoded JSON string can only hold through a `\u00XX` escape (the others have short
 * escapes \b \t \n \f \r that JSON.stringify prefers): candidates for the marker that stands for a bigint.
 */
const MARKER_CODES = Array.from({ length: 32 }, (_, c) => c).filter((c) => ![8, 9, 10, 12, 13].includes(c));

function escapeOf(code: number): string {
  return `\\u00${code.toString(16).padStart(2, '0')}`;
}

const BYTE_ORDER_MARK = 0xfeff;

/** The text, without a leading byte order mark (Windows tools write one; JSON.parse refuses it). */
function textOf(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/** How many `{` and `[` the text holds, counting no further than `stopAbove` + 1. An upper bound of its depth. */
function openersUpTo(text: string, stopAbove: number): number {
  let count = 0;
  for (const ch of ['{', '[']) {
    let at = text.indexOf(ch);
    while (at !== -1 && count <= stopAbove) {
      count++;
      at = text.indexOf(ch, at + 1);
    }
  }
  return count;
}

/** A marker code whose escape (either hex case) the text does not hold: no decoded string of it holds that character. */
function markerFreeIn(text: string, what: string): number {
  for (const code of MARKER_CODES) {
    const esc = escapeOf(code);
    const upper = esc.toUpperCase().replace('\\U', '\\u');
    if (!text.includes(esc) && (upper === esc || !text.includes(upper))) return code;
  }
  throw new EdgeXError('ContractInvalid', `${what}: escapes of every control character and integers beyond 2^53 together are not supported`);
}

function tooDeep(what: string, maxDepth: number): EdgeXError {
  return new EdgeXError('ContractInvalid', `${what}: nested deeper than ${maxDepth} levels (the limit)`);
}

/**
 * One pass over the text: checks depth and, when `marker` is given, returns the text with every unsafe
 * integer literal written as the string marker + literal (undefined when there was none).
 */
function scan(text: string, maxDepth: number, what: string, marker: string | undefined): string | undefined {
  let out: string | undefined;
  let copiedUpTo = 0;
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end === -1) return out === undefined ? undefined : out + text.slice(copiedUpTo); // JSON.parse reports it
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) throw tooDeep(what, maxDepth);
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      i++;
    } else if (marker !== undefined && (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9))) {
      const start = i;
      if (c === MINUS) i++;
      const digitsFrom = i;
      while (i < n && text.charCodeAt(i) >= DIGIT_0 && text.charCodeAt(i) <= DIGIT_9) i++;
      if (i - digitsFrom < MIN_UNSAFE_DIGITS || text.charCodeAt(digitsFrom) === DIGIT_0) continue;
      const next = text.charCodeAt(i);
      if (next === DOT || next === LOWER_E || next === UPPER_E) continue; // a fraction: stays a (rounded) number
      const literal = text.slice(start, i);
      if (Number.isSafeInteger(Number(literal))) continue;
      out = (out ?? '') + text.slice(copiedUpTo, start) + '"' + marker + literal + '"';
      copiedUpTo = i;
    } else {
      i++;
    }
  }
  return out === undefined ? undefined : out + text.slice(copiedUpTo);
}

/** Turns marker strings back into bigints, in place. Depth is bounded by the parse's maxDepth. */
function revive(value: unknown, markerCode: number): unknown {
  if (typeof value === 'string') {
    return value.charCodeAt(0) === markerCode ? BigInt(value.slice(1)) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' || typeof item === 'string') value[i] = revive(item, markerCode);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' || typeof item === 'string') record[key] = revive(item, markerCode);
  }
  return value;
}

/**
 * JSON.parse, exact for 64-bit integers and bounded in depth.
 *
 * Integer literals beyond Number's safe range become bigint; every other number stays a number (so
 * `1.5e20` is a number, `1796657960933599538` a bigint). Input nested deeper than `maxDepth` throws
 * ContractInvalid naming the limit; invalid JSON throws JSON.parse's SyntaxError.
 */
export function parseJson(input: string | Uint8Array, options: ParseJsonOptions = {}): unknown {
  const text = textOf(input);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const what = options.what ?? 'JSON';
  const mayBeTooDeep = openersUpTo(text, maxDepth) > maxDepth;
  const mayHoldUnsafe = LONG_DIGIT_RUN.test(text);
  if (!mayBeTooDeep && !mayHoldUnsafe) return JSON.parse(text);
  const markerCode = mayHoldUnsafe ? markerFreeIn(text, what) : undefined;
  const rewritten = scan(text, maxDepth, what, markerCode === undefined ? undefined : escapeOf(markerCode));
  if (rewritten === undefined) return JSON.parse(text);
  return revive(JSON.parse(rewritten), markerCode as number);
}

/** Counts `needle` in `text`. */
function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

const markerStringPatterns = new Map<number, RegExp>();
/** `"\u00XX<digits>"` as JSON.stringify writes a marker string. */
function markerStringPattern(code: number): RegExp {
  let pattern = markerStringPatterns.get(code);
  if (pattern === undefined) {
    pattern = new RegExp(`"\\\\${escapeOf(code).slice(1)}(-?\\d+)"`, 'g');
    markerStringPatterns.set(code, pattern);
  }
  return pattern;
}

const ESCAPED_CONTROL = /\\u00([01][0-9a-f])/g;

function stringifyWithMarker(value: unknown, markerCode: number, space?: number): { text: string; bigints: number } {
  const marker = String.fromCharCode(markerCode);
  let bigints = 0;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      bigints++;
      return marker + v.toString();
    },
    space,
  );
  return { text, bigints };
}

/**
 * JSON.stringify that writes a bigint as a JSON number (`1796657960933599538`, not a string, as EdgeX's Go
 * services write int64/uint64). `undefined` at the top yields `undefined`, as JSON.stringify does.
 */
export function stringifyJson(value: unknown, space?: number): string {
  let markerCode = MARKER_CODES[0];
  let { text, bigints } = stringifyWithMarker(value, markerCode, space);
  if (bigints === 0 || text === undefined) return text;
  let escape = escapeOf(markerCode);
  if (occurrences(text, escape) !== bigints) {
    // Some string holds the marker character too: take one that no string of the output holds.
    const used = new Set(Array.from(text.matchAll(ESCAPED_CONTROL), (m) => parseInt(m[1], 16)));
    const free = MARKER_CODES.find((c) => !used.has(c));
    if (free === undefined) throw new EdgeXError('UnexpectedServerError', 'cannot write JSON: strings hold every control character and bigints are present');
    markerCode = free;
    escape = escapeOf(markerCode);
    ({ text } = stringifyWithMarker(value, markerCode, space));
  }
  // Every occurrence of the escape is now one of ours: a whole string "<marker><digits>".
  return text.replace(markerStringPattern(markerCode), '$1');
}
