#!/usr/bin/env node
import { startDeviceModbus } from './index.js';

try {
  await startDeviceModbus({ handleSignals: true });
} catch (err) {
  console.error(`device-modbus: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
