// mqtt-packet's number cache is one setting for the whole process: the bus turns it off through mqtt.js's
// `writeCache: false` (to save 6 MB of heap), and the all-in-one's embedded aedes broker, which writes its
// packets with the same mqtt-packet, turns it off as well. Harmless only if the cache changes no byte written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';

const { generate, writeToStream } = mqttPacket;

/** Packets of every kind aedes and mqtt.js write that carry 16-bit numbers (packet ids, lengths). */
function packetsWith(id: number): mqttPacket.Packet[] {
  const topic = 't'.repeat(id % 300);
  return [
    { cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, messageId: id, retain: false, dup: false },
    { cmd: 'puback', messageId: id },
    { cmd: 'pubrec', messageId: id },
    { cmd: 'pubrel', messageId: id },
    { cmd: 'pubcomp', messageId: id },
    { cmd: 'subscribe', messageId: id, subscriptions: [{ topic: `${topic}/#`, qos: 1 }] },
    { cmd: 'suback', messageId: id, granted: [1, 128] },
    { cmd: 'unsubscribe', messageId: id, unsubscriptions: [topic || 'a'] },
    { cmd: 'unsuback', messageId: id },
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: false, clientId: topic || 'c', keepalive: id },
  ] as mqttPacket.Packet[];
}

test("the packets written are byte for byte the same with mqtt-packet's number cache on and off", () => {
  const before = writeToStream.cacheNumbers;
  try {
    // Every id whose low byte or high byte differs in kind (0, 1, 255, 256, …), then a spread to the maximum.
    for (let id = 1; id <= 65_535; id = id < 600 || id >= 65_400 ? id + 1 : id + 257) {
      writeToStream.cacheNumbers = true;
      const cached = packetsWith(id).map((p) => generate(p));
      writeToStream.cacheNumbers = false;
      const generated = packetsWith(id).map((p) => generate(p));
      generated.forEach((bytes, i) => assert.ok(bytes.equals(cached[i]), `${packetsWith(id)[i].cmd} with number ${id}`));
    }
  } finally {
    writeToStream.cacheNumbers = before;
  }
});
