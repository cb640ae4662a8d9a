import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { freePort } from '../../test/helpers/ports.js';
import type { DeviceServiceSdk, ProtocolDriver } from './driver.js';
import { startDeviceService } from './service.js';

const MQTT_BROKER_INFO = z.object({
  Host: z.string().default('localhost'),
  Port: z.number().int().default(1883),
  IncomingTopic: z.string().default('incoming/data/#'),
});

function driver(): ProtocolDriver & { sdk?: DeviceServiceSdk } {
  return {
    initialize(sdk) {
      this.sdk = sdk;
    },
    handleReadCommands: async () => [],
    handleWriteCommands: async () => {},
    start() {},
    stop() {},
    addDevice() {},
    updateDevice() {},
    removeDevice() {},
  };
}

async function start(env: NodeJS.ProcessEnv, d = driver(), sections: Record<string, z.ZodType> = { MQTTBrokerInfo: MQTT_BROKER_INFO }) {
  const dead = await freePort();
  return startDeviceService({
    name: 'device-custom-config-test',
    driver: d,
    argv: [],
    env,
    configSections: sections,
    defaults: { MQTTBrokerInfo: { Host: 'broker.local' } },
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: dead, GrpcPort: dead } },
      Device: { ProfilesDir: '/nonexistent', DevicesDir: '/nonexistent' },
    },
  });
}

test('a device service declares its own config sections: defaults, service defaults and env reach the driver validated', async () => {
  const d = driver();
  const ds = await start({ MQTTBROKERINFO_PORT: '1884' }, d);
  try {
    assert.deepEqual(d.sdk?.customConfig, { MQTTBrokerInfo: { Host: 'broker.local', Port: 1884, IncomingTopic: 'incoming/data/#' } });
  } finally {
    await ds.stop();
  }
});

test('a bad value in a custom section stops the start with a message naming the key; common section names are refused', async () => {
  await assert.rejects(start({ MQTTBROKERINFO_PORT: 'abc' }), /MQTTBrokerInfo\.Port/);
  await assert.rejects(start({}, driver(), { Device: z.object({}) }), /configSections: Device is a section of every device service/);
});
