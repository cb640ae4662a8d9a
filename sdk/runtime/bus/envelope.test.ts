import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EdgeXError } from '../contracts.js';
import { edgexCbor } from '../../../test/edgex/go-cbor/vectors.js';
import { decodeEnvelope, newEnvelope, payloadDto } from './envelope.js';

interface BinaryEvent {
  event: { origin: bigint; readings: { valueType: string; binaryValue?: string; mediaType?: string; value?: string; origin: bigint }[] };
}

describe('payloadDto: a DTO in its JSON shape, JSON or CBOR', () => {
  test("EdgeX's CBOR event (device SDK envelope): bytes as base64 binaryValue, 64-bit origins exact", () => {
    const env = decodeEnvelope(edgexCbor.addEventEnvelope);
    assert.equal(env.contentType, 'application/cbor');
    const { event } = payloadDto(env) as BinaryEvent;
    const edgexJson = JSON.parse(edgexCbor.eventJson) as { readings: { binaryValue: string }[] };
    assert.equal(event.readings[0].binaryValue, edgexJson.readings[0].binaryValue);
    assert.equal(event.readings[0].mediaType, 'image/png');
    assert.equal(event.origin, 1796657960933599538n);
    assert.equal(event.readings[1].origin, 1796657960933599539n);
    assert.equal(event.readings[1].value, '18446744073709551615');
  });

  test('JSON payloads keep integers beyond 2^53 exact too', () => {
    const env = newEnvelope(Buffer.from('{"event":{"origin":1796657960933599538}}'));
    assert.deepEqual(payloadDto(env), { event: { origin: 1796657960933599538n } });
  });

  test('a payload that is not what its content type says: ContractInvalid naming the encoding', () => {
    const kindAndMessage = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof EdgeXError);
        return `${err.kind}: ${err.message}`;
      }
      assert.fail('expected an error');
    };
    assert.match(
      kindAndMessage(() => payloadDto(newEnvelope(Buffer.from([0xa1, 0x61]), { contentType: 'application/cbor' }))),
      /^ContractInvalid: .*not valid CBOR/,
    );
    assert.match(
      kindAndMessage(() => payloadDto(newEnvelope(Buffer.from('{nope')))),
      /^ContractInvalid: .*not valid JSON/,
    );
  });
});

describe('decodeEnvelope: CBOR envelopes', () => {
  test("the whole envelope in CBOR (EdgeX's EDGEX_MSG_CBOR_ENCODE=true): fields read, the request inside it decoded by payloadDto", () => {
    const env = decodeEnvelope(edgexCbor.addEventCborEnvelope);
    assert.equal(env.correlationID, '4d5e6f7a-8b9c-4d4e-9f5a-6b7c8d9e0f1a');
    assert.equal(env.contentType, 'application/cbor');
    const { event } = payloadDto(env) as BinaryEvent;
    assert.equal(event.origin, 1796657960933599538n);
    assert.equal(event.readings[0].binaryValue, (JSON.parse(edgexCbor.eventJson) as { readings: { binaryValue: string }[] }).readings[0].binaryValue);
  });

  test('a CBOR map that is not an envelope, or broken CBOR, is a ContractInvalid', () => {
    assert.throws(
      () => decodeEnvelope(Buffer.from([0xa1, 0x61])),
      (err: unknown) => err instanceof EdgeXError && /not valid CBOR/.test(err.message),
    );
  });
});
