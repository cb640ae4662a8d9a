import { z } from 'zod';
import { VALUE_TYPES } from '../values.js';
import { parseDuration } from '../duration.js';

/** A string that is not empty after trimming (EdgeX `edgex-dto-none-empty-string`). */
export const nonBlank = z
  .string({ error: 'expected a string' })
  .refine((s) => s.trim() !== '', { error: 'must not be blank' });

/** Characters EdgeX forbids in entity names (`edgex-dto-no-reserved-chars`): they are MQTT/URL specials. */
export const RESERVED_NAME_CHARS = /[/#+$]/;

/** An entity name: non-blank, without / # + $. */
export const entityName = nonBlank.refine((s) => !RESERVED_NAME_CHARS.test(s), {
  error: 'must not contain reserved characters / # + $',
});

const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A UUID in 8-4-4-4-12 hex form (any version, as Go's uuid.Parse accepts). */
export const uuid = z.string({ error: 'expected a UUID string' }).regex(UUID_TEXT, { error: 'must be a UUID' });
/** Empty or a UUID (EdgeX `len=0|uuid`). */
export const optionalUuid = z
  .string({ error: 'expected a UUID string' })
  .refine((s) => s === '' || UUID_TEXT.test(s), { error: 'must be a UUID' })
  .optional();

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
  [
    z.number({ error: 'expected an integer' }).refine(Number.isInteger, { error: 'expected an integer' }),
    z.bigint().transform((b) => Number(b)),
  ],
  { error: 'expected an integer' },
);

/** A number, or a numeric string as older profile files write them (e.g. scale: "0.1"). */
export const looseNumber = z.union(
  [
    z.number(),
    z
      .string()
      .regex(/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/)
      .transform((s) => Number(s)),
  ],
  { error: 'expected a number' },
);

/** An optional {@link looseNumber} where an empty string means "not set", as EdgeX's own profiles write `scale: ""`. */
export const optionalLooseNumber = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), looseNumber.optional());

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
  created: integerNumber.optional(),
  modified: integerNumber.optional(),
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
