// Comparing what went into a mapper or a store with what came back, field by field, and finding the fields of a
// DTO schema (zod) that a value does not carry.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** How a field came back different: left out, rounded to a double's precision, replaced, or made up. */
export type Loss = 'dropped' | 'rounded' | 'changed' | 'added';

export interface Difference {
  /** e.g. `Device.autoEvents[1].retention.maxCap` */
  path: string;
  loss: Loss;
  detail: string;
}

export const describeDifference = (d: Difference) => `${d.path}: ${d.loss} (${d.detail})`;

/**
 * Every place where `actual` differs from `expected`. Keys holding undefined count as absent (the DTOs leave
 * empty optional fields out, as EdgeX's JSON does).
 */
export function differences(expected: unknown, actual: unknown, path: string): Difference[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= actual.length) out.push({ path: `${path}[${i}]`, loss: 'dropped', detail: `was ${show(expected[i])}` });
      else if (i >= expected.length) out.push({ path: `${path}[${i}]`, loss: 'added', detail: show(actual[i]) });
      else out.push(...differences(expected[i], actual[i], `${path}[${i}]`));
    }
    return out;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const out: Difference[] = [];
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const [e, a] = [expected[key], actual[key]];
      if (e !== undefined && a === undefined) out.push({ path: `${path}.${key}`, loss: 'dropped', detail: `was ${show(e)}` });
      else if (e === undefined && a !== undefined) out.push({ path: `${path}.${key}`, loss: 'added', detail: show(a) });
      else out.push(...differences(e, a, `${path}.${key}`));
    }
    return out;
  }
  if (expected === undefined) return [{ path, loss: 'added', detail: show(actual) }];
  if (actual === undefined) return [{ path, loss: 'dropped', detail: `was ${show(expected)}` }];
  const detail = `sent ${show(expected)}, got back ${show(actual)}`;
  return [{ path, loss: isRounded(expected, actual) ? 'rounded' : 'changed', detail }];
}

/**
 * An integer that came back as its nearest double: held as a JS number on the way (a bigint sent, its Number back),
 * or a JS number beyond 2^53 written to JSON in its shortest form and read back as that integer (a bigint).
 */
function isRounded(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'bigint') return (typeof actual === 'bigint' || typeof actual === 'number') && BigInt(Number(expected)) === BigInt(actual);
  if (typeof expected === 'number') return typeof actual === 'bigint' && Number(actual) === expected;
  return false;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `bytes ${Buffer.from(v).toString('hex')}`;
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A path with its list indices dropped, as exceptions name fields: `Event.readings[2].units` → `Event.readings[].units`. */
export const fieldOf = (path: string) => path.replace(/\[\d+\]/g, '[]');

/**
 * The fields of a DTO schema that `value` leaves out, as paths. A list element carries a field when any element
 * of the list does (a list of readings carries `binaryValue` when one of them is a Binary reading), or with
 * `inEveryElement` only when every element does; maps of free keys (tags, protocols, attributes) are not walked into.
 */
export function missingDtoFields(schema: z.ZodType, value: unknown, path: string, inEveryElement = false): string[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    if (!isRecord(value)) return [];
    const shape = s.shape as Record<string, z.ZodType>;
    return Object.entries(shape).flatMap(([key, field]) =>
      value[key] === undefined ? [`${path}.${key}`] : missingDtoFields(field, value[key], `${path}.${key}`, inEveryElement),
    );
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const element = s.element as z.ZodType;
    const missingIn = value.map((v) => new Set(missingDtoFields(element, v, `${path}[]`, inEveryElement)));
    const all = [...new Set(missingIn.flatMap((m) => [...m]))];
    return all.filter((field) => (inEveryElement ? missingIn.some((m) => m.has(field)) : missingIn.every((m) => m.has(field))));
  }
  return [];
}

/**
 * A copy of `value` with the DTO schema fields it leaves out (see missingDtoFields) filled with distinctive values
 * walked from the schema: a DTO made from a proto sample also holds the fields only the DTO has.
 */
export function withEveryDtoField<T>(schema: z.ZodType, value: T, root: string, options: { inEveryElement?: boolean; except?: readonly string[] } = {}): T {
  const missing = missingDtoFields(schema, value, root, options.inEveryElement);
  return withDtoFields(
    schema,
    value,
    root,
    missing.filter((path) => !options.except?.includes(path)),
  );
}

/** A copy of `value` with the fields at `paths` (as missingDtoFields names them) set, where empty, to samples of their schema. */
export function withDtoFields<T>(schema: z.ZodType, value: T, root: string, paths: string[]): T {
  const copy = structuredClone(value);
  for (const path of paths) fill(schema, copy, path.slice(root.length + 1).split(/\.|(?=\[\])/), path);
  return copy;
}

/** Sets the field at `segments` (a `[]` segment: in every element of the list) to a sample of its schema. */
function fill(schema: z.ZodType, value: unknown, segments: string[], path: string): void {
  const s = unwrap(schema);
  const [key, ...rest] = segments;
  if (key === '[]' && s instanceof z.ZodArray && Array.isArray(value)) {
    for (const element of value) fill(s.element as z.ZodType, element, rest, path);
    return;
  }
  if (!(s instanceof z.ZodObject) || !isRecord(value) || key === undefined) return;
  const field = (s.shape as Record<string, z.ZodType>)[key];
  if (!field) return;
  if (rest.length === 0) value[key] ??= dtoValueSample(field, path);
  else fill(field, value[key], rest, path);
}

/** A distinctive value of a DTO field's schema: the field's path for a string, one item for a list or a map. */
function dtoValueSample(schema: z.ZodType, path: string): unknown {
  const s = unwrap(schema);
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  if (s instanceof z.ZodString) return path;
  if (s instanceof z.ZodNumber) return path.length;
  if (s instanceof z.ZodBigInt) return 2n ** 60n + BigInt(path.length);
  if (s instanceof z.ZodBoolean) return true;
  if (s instanceof z.ZodEnum) return s.options[0];
  if (s instanceof z.ZodLiteral) return s.value;
  if (s instanceof z.ZodUnion) {
    const options = s.options as z.ZodType[];
    return dtoValueSample(options.find((o) => !(unwrap(o) instanceof z.ZodLiteral)) ?? options[0], path);
  }
  if (s instanceof z.ZodArray) return [dtoValueSample(s.element as z.ZodType, `${path}[0]`)];
  if (s instanceof z.ZodRecord) return { [`${leaf}-key`]: dtoValueSample(s.valueType as z.ZodType, `${path}.${leaf}-key`) };
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    return Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, dtoValueSample(f, `${path}.${k}`)]));
  }
  return { [leaf]: [path.length, path] }; // z.unknown(): any JSON
}

/** The schema a wrapper stands for: optional, nullable and default wrappers, preprocess and transform pipes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = (s.out instanceof z.ZodTransform ? s.in : s.out) as z.ZodType;
    else return s;
  }
}
