#!/usr/bin/env node
/**
 * `npm init @edgex-ts/device-service <name> [folder]` (npm runs this package's bin): a new device service in
 * `./<folder>` (default: the name without its scope).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeviceService } from './create.js';

const USAGE = 'usage: npm init @edgex-ts/device-service <name> [folder]';
const [name, directory, ...rest] = process.argv.slice(2);
if (!name || name.startsWith('-') || rest.length > 0) {
  console.error(USAGE);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
try {
  const created = createDeviceService({ name, directory, templateDir: fileURLToPath(new URL('./template/', import.meta.url)), sdkVersion: version });
  const folder = relative(process.cwd(), created.directory) || '.';
  console.log(
    `Created device service ${created.serviceName} in ${folder}.\n\n  cd ${folder}\n  npm install\n  npm run test:driver\n  npm start\n\nThen make the driver yours: see ${folder}/README.md.`,
  );
} catch (err) {
  console.error(`create-device-service: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
