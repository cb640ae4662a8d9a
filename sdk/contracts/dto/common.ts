import { z } from 'zod';
import { exactInteger, INT_RANGES, VALUE_TYPES } from '../values.js';
import { parseDuration } from '../duration.js';

/** A string that is not empty after trimming (EdgeX `edgex-dto-none-empty-string`). */
export const nonBlank = z.string({ error: 'expected a string' }).refine((s) => s.trim() !== '', { error: 'must not be blank' });

/** C0 and C1 control characters: an MQTT broker drops a connection whose topic carries one. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const NO_CONTROL_CHARS = 'must not contain control characters (U+0000-U+001F, U+007F-U+009F)';

/**
 * A name or a reference to one (device, profile, service, watcher, resource, command, source): non-blank and
 * without control characters. `/ # + $` are allowed, as EdgeX's DTOs allow them (`edgex-dto-none-empty-string`);
 * they are escaped where they meet topics.
 */
export const entityName = nonBlank.refine((s) => !CONTROL_CHARS.test(s), { error: NO_CONTROL_CHARS });

/**
 * Go marshals nil slices, maps and pointers as `null`: for an optional field, `null` means "not sent".
 * Every optional field of a DTO a Go client may send goes through this.
 */
export function absent<T extends z.ZodType>(schema: T) {
  return z.preprocess(nullAsAbsent, z.optional(schema));
}

/** `absent` for a field that takes `fallback` when not sent (or sent as `null`). */
export function absentOr<T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) {
  return z.preprocess(nullAsAbsent, schema.default(fallback));
}

function nullAsAbsent(v: unknown): unknown {
  return v === null ? undefined : v;
}

/** `absent` for every field of a shape: the partial form Go's Update DTOs (all pointers) are read with. */
export function patchShape<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: ReturnType<typeof absent<S[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, absent(v)])) as {
    [K in keyof S]: ReturnType<typeof absent<S[K]>>;
  };
}

const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A UUID in 8-4-4-4-12 hex form (any version, as Go's uuid.Parse accepts). */
export const uuid = z.string({ error: 'expected a UUID string' }).regex(UUID_TEXT, { error: 'must be a UUID' });
/** Empty or a UUID (EdgeX `len=0|uuid`). */
export const optionalUuid = absent(z.string({ error: 'expected a UUID string' }).refine((s) => s === '' || UUID_TEXT.test(s), { error: 'must be a UUID' }));

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(', ')}` });
}

export const valueType = oneOf(VALUE_TYPES);
export const READ_WRITE = ['R', 'W', 'RW', 'WR'] as const;
export const readWrite = oneOf(READ_WRITE);
export const ADMIN_STATES = ['LOCKED', 'UNLOCKED'] as const;
export type AdminStateText = (typeof ADMIN_STATES)[number];
export const adminState = oneOf(ADMIN_STATES);
export const OPERATING_STATES = ['UP', 'DOWN', 'UNKNOWN'] as const;
export type OperatingStateText = (typeof OPERATING_STATES)[number];
export const operatingState = oneOf(OPERATING_STATES);

/** Free-form JSON object (tags, properties, attributes…). */
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'expected an object' });

/**
 * Integer timestamp; accepts bigint too (CBOR decoders may yield one) and turns it into a number.
 * Not z.int(): that stops at 2^53, and nanosecond origins (~1.7e18) are beyond it.
 */
export const integerNumber = z.union(
  [z.number({ error: 'expected an integer' }).refine(Number.isInteger, { error: 'expected an integer' }), z.bigint().transform((b) => Number(b))],
  { error: 'expected an integer' },
);

const [INT64_MIN, INT64_MAX] = INT_RANGES.Int64;

/**
 * An int64 kept exact (an origin in ns, a capacity): a JSON/CBOR integer beyond 2^53 arrives as a bigint and stays
 * one (see ExactInteger in values.ts); a safe integer is a number.
 */
export const exactInt64 = z
  .union([z.number({ error: 'expected an integer' }).refine(Number.isInteger, { error: 'expected an integer' }), z.bigint().transform(exactInteger)], {
    error: 'expected an integer',
  })
  .refine((v) => typeof v === 'number' || (v >= INT64_MIN && v <= INT64_MAX), { error: 'is out of the int64 range' });

/** A number, or a numeric string as older profile files write them (e.g. scale: "0.1"). */
export const looseNumber = z.union(
  [
    z.number(),
    z.bigint().transform((b) => Number(b)), // an integer literal beyond 2^53 (parseJson): Go holds these in a float64
    z
      .string()
      .regex(/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/)
      .transform((s) => Number(s)),
  ],
  { error: 'expected a number' },
);

/** An integer kept exact (ExactInteger: bigint beyond 2^53), or an integer string as older profile files write it. */
export const looseInteger = z.union(
  [
    z.number().refine(Number.isInteger),
    z.bigint().transform(exactInteger),
    z
      .string()
      .regex(/^\s*[+-]?\d+\s*$/)
      .transform((s) => exactInteger(BigInt(s.trim()))),
  ],
  { error: 'expected an integer' },
);

/** An optional {@link looseNumber} where an empty string means "not set", as EdgeX's own profiles write `scale: ""`. */
export const optionalLooseNumber = z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), looseNumber.optional());

/** An optional {@link looseInteger} (empty string or null: not set): a resource's uint64 `mask`, int64 `shift`. */
export const optionalLooseInteger = z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), looseInteger.optional());

/** Go duration string ("10s", "1m30s") of at least `minMs`. */
export function goDuration(minMs = 0) {
  return z.string({ error: 'expected a duration string' }).superRefine((s, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `invalid duration "${s}": expected e.g. 10s, 500ms, 1m30s` });
      return;
    }
    if (ms < minMs) ctx.addIssue({ code: 'custom', message: `must be at least ${minMs}ms` });
  });
}

export const labels = z.array(z.string(), { error: 'expected an array of strings' });

/** EdgeX BaseRequest fields every request carries. */
export const baseRequestShape = {
  apiVersion: nonBlank,
  requestId: optionalUuid,
};

/** Created/modified (ms since epoch) that EdgeX emits on stored entities. */
export const timestampsShape = {
  created: absent(integerNumber),
  modified: absent(integerNumber),
};

/** Characters that would split a secret's name or key into more levels of the configuration provider's keys. */
const SECRET_PATH_CHARS = /[/]/;

/** POST /api/v3/secret (EdgeX `SecretRequest`): a named set of key/value pairs for the service's secret store. */
export const SecretRequestSchema = z.object({
  apiVersion: z.literal('v3', { error: 'expected "v3"' }),
  requestId: optionalUuid,
  secretName: nonBlank.refine((s) => !SECRET_PATH_CHARS.test(s), { error: 'must not contain /' }),
  secretData: z
    .array(
      z.object({
        key: nonBlank.refine((s) => !SECRET_PATH_CHARS.test(s), { error: 'must not contain /' }),
        value: nonBlank,
      }),
      { error: 'expected an array of {key, value}' },
    )
    .min(1, { error: 'must hold at least one {key, value}' }),
});
export type SecretRequest = z.infer<typeof SecretRequestSchema>;
