#!/usr/bin/env node
import { startDeviceMqtt } from './index.js';

try {
  await startDeviceMqtt({ handleSignals: true });
} catch (err) {
  console.error(`device-mqtt: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
