// Values of a proto message with every field set to a distinctive, non-default value, built by walking the
// message's descriptor (the descriptor set @edgex-ts/contracts ships), in the shape of the ts-proto generated
// types the mappers take. A field added to a .proto is in the samples without anyone touching this file.
import { createFileRegistry, fromBinary, ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { fileDescriptorSet } from '@edgex-ts/contracts';

const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, fileDescriptorSet()));

export function messageDescriptor(typeName: string): DescMessage {
  const desc = registry.getMessage(typeName);
  if (!desc) throw new TypeError(`no message ${typeName} in the descriptor set of @edgex-ts/contracts`);
  return desc;
}

/**
 * Fields whose value selects how the rest of the message is read, so a sample must hold a matching value:
 * message type → oneof case (or '' for none set) → field values. A Reading's valueType says which of its value
 * cases it carries (Binary → binaryValue, Object → objectValue, any other type → simpleValue).
 */
const CASE_FIELDS: Record<string, Record<string, Record<string, unknown>>> = {
  'edgex.common.v1.Reading': {
    simpleValue: { valueType: 'Float64' },
    binaryValue: { valueType: 'Binary' },
    objectValue: { valueType: 'Object' },
    '': { valueType: 'Int32' }, // an EdgeX 4 null reading: no value case set
  },
};

/**
 * The DTO fields of a reading that hold its value: a reading carries the one of its valueType (see CASE_FIELDS), so
 * a sample that sets every other DTO field of every reading leaves these as they are.
 */
export const READING_VALUE_FIELDS = ['value', 'binaryValue', 'objectValue'] as const;

/** Paths of READING_VALUE_FIELDS in a reading (`Reading.value`) or an event's readings (`Event.readings[].value`). */
export const readingValueFieldPaths = (root: string) => READING_VALUE_FIELDS.flatMap((f) => [`${root}.${f}`, `${root}.readings[].${f}`]);

/** Other shapes of sample, to reach code that takes a different path for them (e.g. a fast path for common events). */
export interface SampleOptions {
  /** Every element of a list of oneof messages takes this case ('' for none) rather than one element per case. */
  elementCase?: string;
  /** google.protobuf.Struct fields (tags, properties, …) left unset. */
  withoutStructs?: boolean;
  /** Every enum field takes its n-th non-zero value (counting round); 0 to enumChoices() - 1 covers every value. */
  enumChoice?: number;
}

/** How many enumChoice values it takes for every enum field to take each of its values. */
export function enumChoices(): number {
  let most = 1;
  for (const type of registry) if (type.kind === 'enum') most = Math.max(most, type.values.filter((v) => v.number !== 0).length);
  return most;
}

/** Hands out distinct numbers, so that no two fields of a sample hold the same value; carries the options. */
class Counter {
  private n = 0;
  constructor(readonly options: SampleOptions) {}
  next(): number {
    return ++this.n;
  }
}

/** The last segment of a path, e.g. `sourceName` of `Device.autoEvents[0].sourceName`. */
const leaf = (path: string) => path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');

/**
 * One sample per way the message can be filled: a message with a oneof gets one sample per case, plus one with
 * none set (proto3 allows it); any other message gets one. `root` names the paths (the field path is the value
 * of every string field, so a dropped or swapped field is easy to tell in a failure).
 */
export function protoSamples(typeName: string, root = typeName.slice(typeName.lastIndexOf('.') + 1), options: SampleOptions = {}): Record<string, unknown>[] {
  const desc = messageDescriptor(typeName);
  return caseChoices(desc).map((choice) => messageSample(desc, root, new Counter(options), choice));
}

/** The cases of the first oneof of a message ('' for none set), e.g. of edgex.common.v1.Reading. */
export const oneofCases = (typeName: string) => caseChoices(messageDescriptor(typeName));

/** The oneof cases to try: every case of the message's first oneof and "none"; [''] when it has no oneof. */
function caseChoices(desc: DescMessage): string[] {
  const oneof = desc.oneofs[0];
  return oneof ? [...oneof.fields.map((f) => f.localName), ''] : [''];
}

function messageSample(desc: DescMessage, path: string, counter: Counter, choice: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of desc.fields) {
    if (field.oneof) {
      if (field.localName !== choice) continue;
      out[field.oneof.localName] = { $case: field.localName, value: fieldSample(field, `${path}.${field.localName}`, counter) };
      continue;
    }
    if (counter.options.withoutStructs && field.fieldKind === 'message' && field.message.typeName === 'google.protobuf.Struct') continue;
    out[field.localName] = fieldSample(field, `${path}.${field.localName}`, counter);
  }
  Object.assign(out, CASE_FIELDS[desc.typeName]?.[choice]);
  return out;
}

function fieldSample(field: DescField, path: string, counter: Counter): unknown {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarSample(field.scalar, path, counter);
    case 'enum':
      return enumSample(
        field.enum.values.map((v) => v.number),
        counter.options.enumChoice,
      );
    case 'message':
      return messageFieldSample(field.message, path, counter);
    case 'list':
      switch (field.listKind) {
        case 'scalar':
          return [0, 1].map((i) => scalarSample(field.scalar, `${path}[${i}]`, counter));
        case 'enum':
          return [0, 1].map(() =>
            enumSample(
              field.enum.values.map((v) => v.number),
              counter.options.enumChoice,
            ),
          );
        case 'message': {
          // One element per oneof case (e.g. a simple, a binary, an object and a null reading), else two.
          const choices = caseChoices(field.message);
          const { elementCase } = counter.options;
          const cases = choices.length === 1 ? ['', ''] : elementCase !== undefined ? [elementCase, elementCase] : choices;
          return cases.map((choice, i) => listElementSample(field.message, `${path}[${i}]`, counter, choice));
        }
      }
      break;
    case 'map': {
      const keys = [0, 1].map((i) => `${leaf(path)}-key${i}`);
      return Object.fromEntries(
        keys.map((key) => {
          const at = `${path}.${key}`;
          switch (field.mapKind) {
            case 'scalar':
              return [key, scalarSample(field.scalar, at, counter)];
            case 'enum':
              return [
                key,
                enumSample(
                  field.enum.values.map((v) => v.number),
                  counter.options.enumChoice,
                ),
              ];
            case 'message':
              return [key, messageFieldSample(field.message, at, counter)];
          }
        }),
      );
    }
  }
  throw new TypeError(`${path}: no sample for a field of this kind`);
}

function listElementSample(desc: DescMessage, path: string, counter: Counter, choice: string): unknown {
  return isWellKnown(desc) ? messageFieldSample(desc, path, counter) : messageSample(desc, path, counter, choice);
}

function isWellKnown(desc: DescMessage): boolean {
  return desc.typeName.startsWith('google.protobuf.');
}

/** ts-proto holds google.protobuf.Struct as a plain object and google.protobuf.Value as any JSON value. */
function messageFieldSample(desc: DescMessage, path: string, counter: Counter): unknown {
  switch (desc.typeName) {
    case 'google.protobuf.Struct':
      return {
        [leaf(path)]: path,
        number: counter.next() + 0.25,
        yes: true,
        nothing: null,
        list: [counter.next(), `${path}.list`],
        nested: { deep: `${path}.nested.deep` },
      };
    case 'google.protobuf.Value':
      return { [leaf(path)]: [counter.next(), path, { ok: true }] };
  }
  if (isWellKnown(desc)) throw new TypeError(`${path}: no sample for ${desc.typeName}`);
  return messageSample(desc, path, counter, caseChoices(desc)[0]);
}

/**
 * A non-zero enum value (zero is proto3's default): the `choice`-th, counting round; by default the first, since
 * mappers read an unknown value as their own default (UNLOCKED, UNKNOWN), which EdgeX's enums list last.
 */
function enumSample(numbers: number[], choice = 0): number {
  const nonZero = numbers.filter((n) => n !== 0);
  return nonZero.length === 0 ? numbers[0] : nonZero[choice % nonZero.length];
}

function scalarSample(type: ScalarType, path: string, counter: Counter): unknown {
  const n = counter.next();
  switch (type) {
    case ScalarType.STRING:
      return path;
    case ScalarType.BOOL:
      return true;
    case ScalarType.BYTES:
      return Buffer.from([0, n % 256, 255]);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return n + 0.5;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      // Beyond 2^53, where a double can no longer hold every integer: an int64 carried as a JS number shows.
      return 2n ** 60n + BigInt(n);
    default:
      return n;
  }
}
