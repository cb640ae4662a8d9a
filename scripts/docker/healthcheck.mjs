// Container health check of the edgex-ts images: every REST port of the image's service(s) answers
// GET /api/v3/ping with 200. The ports are the EdgeX defaults staged in image/health.json; a service image
// follows SERVICE_PORT when it is set. Exit 0 = healthy, 1 = unhealthy (with the reason on stdout).
import { readFileSync } from 'node:fs';

const health = JSON.parse(readFileSync(new URL('./image/health.json', import.meta.url), 'utf8'));
const fromEnv = health.portVariable ? process.env[health.portVariable] : undefined;
const ports = fromEnv ? [Number(fromEnv)] : health.ports;

const failures = [];
await Promise.all(
  ports.map(async (port) => {
    const url = `http://127.0.0.1:${port}/api/v3/ping`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.status !== 200) failures.push(`${url}: ${res.status}`);
    } catch (err) {
      failures.push(`${url}: ${err.cause?.code ?? err.message}`);
    }
  }),
);
if (failures.length) {
  console.log(`${health.name} unhealthy: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`${health.name} healthy (${ports.map((p) => `:${p}`).join(' ')})`);
