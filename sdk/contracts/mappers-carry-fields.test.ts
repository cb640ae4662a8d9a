// Every proto field and every DTO field is carried by the DTO ⇄ proto mappers (sdk/contracts/mappers.ts): a value
// with every field set (walked from the descriptor set, see test/contracts/samples.ts) goes proto → DTO → proto and
// DTO → proto → DTO and comes back equal; every field of the DTO schema is filled. A field that is lost is named by
// its path; the deliberate exceptions are in test/contracts/not-carried.ts (see test/contracts/README.md). No servers
// needed: the unit tier.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import * as contracts from '@edgex-ts/contracts';
import { commonV1 } from '@edgex-ts/contracts';
import { describeDifference, differences, missingDtoFields, withEveryDtoField, type Difference } from '../../test/contracts/fields.js';
import { unexplained, type Stage } from '../../test/contracts/not-carried.js';
import { enumChoices, protoSamples, readingValueFieldPaths, type SampleOptions } from '../../test/contracts/samples.js';

/** What ts-proto generates for each message: the checks use encode/decode to prove a sample is a valid message. */
interface Codec {
  encode(message: never): { finish(): Uint8Array };
  decode(input: Uint8Array): unknown;
}

interface Mapped {
  /** Full proto type name, e.g. edgex.common.v1.Device. */
  message: string;
  codec: Codec;
  dto: z.ZodType;
  toDto(proto: never): unknown;
  toProto(dto: never): unknown;
}

const mapped = (message: string, codec: Codec, dto: z.ZodType, toDto: Mapped['toDto'], toProto: Mapped['toProto']): Mapped => ({
  message: `edgex.common.v1.${message}`,
  codec,
  dto,
  toDto,
  toProto,
});

/** Every message the mappers map, each with its DTO schema and its pair of mappers. */
const MAPPED: Mapped[] = [
  mapped('Event', commonV1.Event, contracts.EventSchema, contracts.eventFromProto, contracts.eventToProto),
  mapped('Reading', commonV1.Reading, contracts.ReadingSchema, contracts.readingFromProto, contracts.readingToProto),
  mapped('Device', commonV1.Device, contracts.DeviceSchema, contracts.deviceFromProto, contracts.deviceToProto),
  mapped('AutoEvent', commonV1.AutoEvent, contracts.AutoEventSchema, contracts.autoEventFromProto, contracts.autoEventToProto),
  mapped('DeviceService', commonV1.DeviceService, contracts.DeviceServiceSchema, contracts.deviceServiceFromProto, contracts.deviceServiceToProto),
  mapped('DeviceProfile', commonV1.DeviceProfile, contracts.DeviceProfileSchema, contracts.deviceProfileFromProto, contracts.deviceProfileToProto),
  mapped('DeviceResource', commonV1.DeviceResource, contracts.DeviceResourceSchema, contracts.deviceResourceFromProto, contracts.deviceResourceToProto),
  mapped('DeviceCommand', commonV1.DeviceCommand, contracts.DeviceCommandSchema, contracts.deviceCommandFromProto, contracts.deviceCommandToProto),
  mapped(
    'ResourceProperties',
    commonV1.ResourceProperties,
    contracts.ResourcePropertiesSchema,
    contracts.resourcePropertiesFromProto,
    contracts.resourcePropertiesToProto,
  ),
  mapped(
    'ProvisionWatcher',
    commonV1.ProvisionWatcher,
    contracts.ProvisionWatcherSchema,
    contracts.provisionWatcherFromProto,
    contracts.provisionWatcherToProto,
  ),
];

/** The partial updates (PATCH / gRPC with an update_mask): a DTO with every field set, every field in the mask. */
const UPDATES = [
  {
    message: 'Device',
    dto: contracts.UpdateDeviceSchema,
    toProto: (u: never) => {
      const { device, updateMask } = contracts.deviceUpdateToProto(u);
      return contracts.deviceUpdateFromProto(device, updateMask);
    },
  },
  {
    message: 'DeviceService',
    dto: contracts.UpdateDeviceServiceSchema,
    toProto: (u: never) => {
      const { service, updateMask } = contracts.deviceServiceUpdateToProto(u);
      return contracts.deviceServiceUpdateFromProto(service, updateMask);
    },
  },
  {
    message: 'ProvisionWatcher',
    dto: contracts.UpdateProvisionWatcherSchema,
    toProto: (u: never) => {
      const { provisionWatcher, updateMask } = contracts.provisionWatcherUpdateToProto(u);
      return contracts.provisionWatcherUpdateFromProto(provisionWatcher, updateMask);
    },
  },
];

const shortName = (message: string) => message.slice(message.lastIndexOf('.') + 1);

/** DTO schema fields a value leaves empty, as differences. */
const unfilled = (paths: string[]): Difference[] =>
  paths.map((path) => ({ path, loss: 'dropped', detail: 'a field of the DTO schema the mapper leaves empty' }));

function assertCarried(diffs: Difference[], stage: Stage, what: string): void {
  const lost = unexplained(diffs, stage);
  assert.deepEqual(lost, [], `${what} (${stage}) lost ${lost.length} field(s):\n  ${lost.join('\n  ')}`);
}

/** The DTOs the mappers make of the message's samples (one per oneof case, see protoSamples). */
const dtoSamples = (m: { message: string }, options: SampleOptions = {}) => {
  const mapper = MAPPED.find((x) => shortName(x.message) === m.message || x.message === m.message)!;
  return protoSamples(mapper.message, undefined, options).map((p) => mapper.toDto(p as never));
};

/** Sample options under which every enum field takes each of its values once (see enumChoices). */
const everyEnumValue: SampleOptions[] = Array.from({ length: enumChoices() }, (_, enumChoice) => ({ enumChoice }));

/** The DTO schema fields none of the DTOs fills (a field of one oneof case is filled by that case's sample). */
function unfilledByAll(schema: z.ZodType, dtos: unknown[], root: string): string[] {
  const missing = dtos.map((dto) => new Set(missingDtoFields(schema, dto, root)));
  return [...missing[0]].filter((f) => missing.every((m) => m.has(f)));
}

describe('the mappers carry every field', () => {
  for (const m of MAPPED) {
    const name = shortName(m.message);
    describe(name, () => {
      test('the samples set every proto field and are valid messages', () => {
        for (const sample of protoSamples(m.message)) {
          const decoded = m.codec.decode(m.codec.encode(sample as never).finish());
          assert.deepEqual(differences(sample, decoded, name).map(describeDifference), []);
        }
      });

      test('proto → DTO → proto (every enum value in turn)', () => {
        for (const sample of everyEnumValue.flatMap((options) => protoSamples(m.message, undefined, options))) {
          assertCarried(differences(sample, m.toProto(m.toDto(sample as never) as never), name), 'proto→DTO→proto', name);
        }
      });

      test('DTO → proto → DTO (every DTO field set, the ones only the DTO has too)', () => {
        // Every field on every list element too (a mediaType on a Float64 reading), but each reading's value field.
        const options = { inEveryElement: true, except: readingValueFieldPaths(name) };
        const dtos = everyEnumValue.flatMap((o) => dtoSamples(m, o));
        for (const dto of dtos.map((d) => withEveryDtoField(m.dto, d, name, options))) {
          assertCarried(differences(dto, m.toDto(m.toProto(dto as never) as never), name), 'DTO→proto→DTO', name);
        }
      });

      test('every field of the DTO schema is filled from the proto', () => {
        assertCarried(unfilled(unfilledByAll(m.dto, dtoSamples(m), name)), 'DTO fields', name);
      });
    });
  }

  for (const u of UPDATES) {
    test(`Update${u.message}: every field of a partial update survives its update_mask`, () => {
      const root = `Update${u.message}`;
      for (const sample of everyEnumValue.flatMap((o) => dtoSamples(u, o))) {
        assertCarried(unfilled(missingDtoFields(u.dto, sample, root)), 'DTO fields', root);
        const dto = withEveryDtoField(u.dto, sample, root, { inEveryElement: true });
        assertCarried(differences(dto, u.toProto(dto as never), root), 'DTO→proto→DTO', root);
      }
    });
  }
});
