#!/usr/bin/env node
import { startCoreData } from './index.js';

try {
  await startCoreData({ handleSignals: true });
} catch (err) {
  process.stderr.write(`core-data: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
