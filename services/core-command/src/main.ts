import { startCoreCommand } from './index.js';

try {
  await startCoreCommand({ handleSignals: true });
} catch (err) {
  console.error(`core-command failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
