// core-data's gRPC ingest maps events with a fast path of its own (eventFromProtoFast) for the common shape: it must
// carry every field exactly as the general mapper does. Events of one kind of reading each, with and without tags,
// so that both the fast path and its fallbacks run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventFromProto, eventToProto } from '@edgex-ts/contracts';
import { eventFromProtoFast } from '../../services/core-data/src/grpc/event-from-proto.js';
import { describeDifference, differences } from './fields.js';
import { unexplained } from './not-carried.js';
import { oneofCases, protoSamples } from './samples.js';

describe('eventFromProtoFast carries every field as eventFromProto does', () => {
  for (const elementCase of oneofCases('edgex.common.v1.Reading')) {
    for (const withoutStructs of [true, false]) {
      const kind = `${elementCase || 'null'} readings, ${withoutStructs ? 'no tags' : 'tags'}`;
      test(kind, () => {
        for (const sample of protoSamples('edgex.common.v1.Event', 'Event', { elementCase, withoutStructs })) {
          const fast = eventFromProtoFast(sample as never);
          assert.deepEqual(differences(eventFromProto(sample as never), fast, 'Event').map(describeDifference), []);
          const lost = unexplained(differences(sample, eventToProto(fast), 'Event'), 'proto→DTO→proto');
          assert.deepEqual(lost, [], `proto → DTO (fast) → proto lost:\n  ${lost.join('\n  ')}`);
        }
      });
    }
  }
});
