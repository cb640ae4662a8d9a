import { startCoreMetadata } from './index.js';

try {
  await startCoreMetadata({ handleSignals: true });
} catch (err) {
  console.error(`core-metadata failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
