// prepack: copies the template (examples/device-template: src/ and res/) into dist/template/, where the
// packed starter reads it. The in-repository test of the template (src/driver.test.ts) ships: it is the new
// project's driver test.
import { cpSync, existsSync, rmSync } from 'node:fs';

const from = new URL('../../examples/device-template/', import.meta.url);
const to = new URL('./dist/template/', import.meta.url);
if (!existsSync(new URL('src/driver.ts', from))) {
  console.error(`copy-template: no template at ${from.pathname}`);
  process.exit(1);
}
if (!existsSync(new URL('./dist/cli.js', import.meta.url))) {
  console.error('copy-template: dist/cli.js is missing: build first (npm run build at the repository root)');
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
for (const dir of ['src', 'res']) cpSync(new URL(dir, from), new URL(dir, to), { recursive: true });
