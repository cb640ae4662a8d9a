import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { checkValue, BASE64 } from '../values.js';
import { baseRequestShape, exactInt64, jsonObject, nonBlank, uuid, valueType } from './common.js';

/** An origin: int64 ns since the epoch, kept exact (see exactInt64). */
export const originNs = exactInt64;

/**
 * A simple reading's value. EdgeX 4's decoder also takes a JSON number or boolean (written as Go's `%v` writes it:
 * what `numeric=true` answers send) and `null` (a null reading, below).
 */
const simpleValue = z
  .union([z.string(), z.number(), z.bigint(), z.boolean(), z.null()], { error: 'expected a string' })
  .transform((v) => (v === null ? undefined : typeof v === 'string' ? v : String(v)))
  .optional();

/**
 * Reading as on the wire. The variant follows valueType: simple and array types carry `value` (a string,
 * encoded as EdgeX does, see values.ts); Binary carries `binaryValue` (base64) with `mediaType`;
 * Object/ObjectArray carry `objectValue` (any JSON).
 *
 * A reading without the value of its variant (absent or `null`) is an EdgeX 4 **null reading** ("the device
 * answered, with no value"), as EdgeX's decoder reads it; it is stored as such and written back with
 * `value`, `binaryValue` and `objectValue` all `null` (`readingWire` in wire.ts).
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
    value: simpleValue,
    binaryValue: z
      .union([z.string(), z.null()], { error: 'expected a base64 string' })
      .transform((v) => v ?? undefined)
      .optional(),
    mediaType: z.string().optional(),
    objectValue: z
      .unknown()
      .transform((v) => (v === null ? undefined : v))
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (isNullReading(r)) return;
    if (r.valueType === 'Binary') {
      if (r.binaryValue === '') {
        ctx.addIssue({ code: 'custom', path: ['binaryValue'], message: 'must not be empty (send null for a null reading)' });
      } else if (!BASE64.test(r.binaryValue!)) {
        ctx.addIssue({ code: 'custom', path: ['binaryValue'], message: 'must be base64' });
      }
      if (r.mediaType === undefined || r.mediaType.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['mediaType'], message: 'is required with binaryValue' });
      }
    } else if (r.valueType !== 'Object' && r.valueType !== 'ObjectArray') {
      try {
        checkValue(r.valueType, r.value!);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: errorMessage(e) });
      }
    }
  });
export type Reading = z.infer<typeof ReadingSchema>;

/** What tells a null reading: its value type and the value fields (the value may be a number in `numeric=true` answers). */
export interface ReadingValueFields {
  valueType: string;
  value?: unknown;
  binaryValue?: unknown;
  objectValue?: unknown;
}

/** Whether a reading carries no value for its valueType: an EdgeX 4 null reading. */
export function isNullReading(r: ReadingValueFields): boolean {
  if (r.valueType === 'Binary') return r.binaryValue === undefined;
  if (r.valueType === 'Object' || r.valueType === 'ObjectArray') return r.objectValue === undefined;
  return r.value === undefined;
}

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
