import { z } from 'zod';
import { checkValue, BASE64, exactInteger, INT_RANGES } from '../values.js';
import { baseRequestShape, jsonObject, nonBlank, uuid, valueType } from './common.js';

const [INT64_MIN, INT64_MAX] = INT_RANGES.Int64 as readonly [bigint, bigint];

/**
 * An origin (int64 ns since the epoch) kept exact: a JSON/CBOR integer beyond 2^53 arrives as a bigint and
 * stays one (see ExactInteger in values.ts); a safe integer is a number.
 */
export const originNs = z
  .union(
    [
      z.number({ error: 'expected an integer' }).refine(Number.isInteger, { error: 'expected an integer' }),
      z.bigint().transform(exactInteger),
    ],
    { error: 'expected an integer' },
  )
  .refine((v) => typeof v === 'number' || (v >= INT64_MIN && v <= INT64_MAX), { error: 'is out of the int64 range' });

/**
 * Reading as on the wire. The variant follows valueType: simple and array types carry `value` (a string,
 * encoded as EdgeX does, see values.ts); Binary carries `binaryValue` (base64) with `mediaType`;
 * Object/ObjectArray carry `objectValue` (any JSON).
 */
export const ReadingSchema = z
  .object({
    id: uuid.optional(),
    origin: originNs,
    deviceName: nonBlank,
    resourceName: nonBlank,
    profileName: nonBlank,
    valueType,
    units: z.string().optional(),
    tags: jsonObject.optional(),
    value: z.string({ error: 'expected a string' }).optional(),
    binaryValue: z.string({ error: 'expected a base64 string' }).optional(),
    mediaType: z.string().optional(),
    objectValue: z.unknown().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.valueType === 'Binary') {
      if (r.binaryValue === undefined || r.binaryValue === '') {
        ctx.addIssue({ code: 'custom', path: ['binaryValue'], message: 'is required for valueType Binary' });
      } else if (!BASE64.test(r.binaryValue)) {
        ctx.addIssue({ code: 'custom', path: ['binaryValue'], message: 'must be base64' });
      }
      if (r.mediaType === undefined || r.mediaType.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['mediaType'], message: 'is required with binaryValue' });
      }
    } else if (r.valueType === 'Object' || r.valueType === 'ObjectArray') {
      if (r.objectValue === undefined) {
        ctx.addIssue({ code: 'custom', path: ['objectValue'], message: `is required for valueType ${r.valueType}` });
      }
    } else if (r.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is required for valueType ${r.valueType}` });
    } else {
      try {
        checkValue(r.valueType, r.value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: (e as Error).message });
      }
    }
  });
export type Reading = z.infer<typeof ReadingSchema>;

export const EventSchema = z.object({
  apiVersion: z.string().optional(),
  id: uuid,
  deviceName: nonBlank,
  profileName: nonBlank,
  sourceName: nonBlank,
  origin: originNs,
  readings: z.array(ReadingSchema, { error: 'expected an array of readings' }).min(1, { error: 'must hold at least one reading' }),
  tags: jsonObject.optional(),
});
export type Event = z.infer<typeof EventSchema>;

export const AddEventRequestSchema = z.object({
  ...baseRequestShape,
  event: EventSchema,
});
export type AddEventRequest = z.infer<typeof AddEventRequestSchema>;
