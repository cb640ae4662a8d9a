// A consumer of core-data's re-published events, in its own process as an app service would be: subscribes
// to edgex/events/core/# (QoS 1), prints "subscribed", then counts the events of one device and prints
// "received <n>" once it has `expected` of them.
//   node --import tsx bench/ingest/core-subscriber.ts <brokerPort> <device> <expected>
import mqtt from 'mqtt';

const [port, device, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-core-sub-${process.pid}` });
let received = 0;
client.on('message', (topic) => {
  if (topic.split('/')[5] !== device) return;
  if (++received === expected) {
    process.stdout.write(`received ${received}\n`);
    void client.endAsync().then(() => process.exit(0));
  }
});
await client.subscribeAsync('edgex/events/core/#', { qos: 1 });
process.stdout.write('subscribed\n');
