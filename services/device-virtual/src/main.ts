#!/usr/bin/env node
import { startDeviceVirtual } from './index.js';

try {
  await startDeviceVirtual({ handleSignals: true });
} catch (err) {
  console.error(`device-virtual: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
