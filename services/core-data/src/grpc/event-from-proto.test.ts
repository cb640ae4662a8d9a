import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventFromProto, eventToProto } from '@edgex-ts/contracts';
import { eventFromProtoFast } from './event-from-proto.js';
import { makeEvent } from '../test-support/events.js';

describe('eventFromProtoFast', () => {
  it('maps exactly as eventFromProto, common shape or not', () => {
    const plain = makeEvent({ resources: 4 });
    delete plain.readings[1].id;
    delete plain.readings[2].units;
    const tagged = makeEvent({ resources: 2 });
    tagged.tags = { site: 'lab' };
    const readingTags = makeEvent({ resources: 2 });
    readingTags.readings[1].tags = { q: 1 };
    const { value: _v, ...base } = makeEvent({ resources: 1 }).readings[0];
    const binary = makeEvent({ resources: 1 });
    binary.readings = [{ ...base, valueType: 'Binary', binaryValue: 'AQID', mediaType: 'application/octet-stream' }];
    for (const ev of [plain, tagged, readingTags, binary]) {
      const pb = eventToProto(ev);
      assert.deepEqual(eventFromProtoFast(pb), eventFromProto(pb));
    }
  });
});
