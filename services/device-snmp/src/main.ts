#!/usr/bin/env node
import { startDeviceSnmp } from './index.js';

try {
  await startDeviceSnmp({ handleSignals: true });
} catch (err) {
  console.error(`device-snmp: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
