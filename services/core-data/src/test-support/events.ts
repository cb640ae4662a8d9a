import { randomUUID } from 'node:crypto';
import type { Event, ExactInteger } from '@edgex-ts/contracts';

/** A valid EdgeX event for tests: `resources` is a list of resource names or a count. */
export function makeEvent(opts: {
  deviceName?: string;
  profileName?: string;
  sourceName?: string;
  origin?: ExactInteger;
  resources?: string[] | number;
}): Event {
  const deviceName = opts.deviceName ?? 'dev';
  const profileName = opts.profileName ?? 'prof';
  const origin = opts.origin ?? BigInt(Date.now()) * 1_000_000n;
  const res = opts.resources ?? ['r'];
  const names = typeof res === 'number' ? Array.from({ length: res }, (_, i) => `r${i}`) : res;
  return {
    id: randomUUID(),
    deviceName,
    profileName,
    sourceName: opts.sourceName ?? names[0],
    origin,
    readings: names.map((resourceName, i) => ({
      id: randomUUID(),
      origin,
      deviceName,
      resourceName,
      profileName,
      valueType: 'Int32' as const,
      units: 'C',
      value: String(i),
    })),
  };
}

export function addEventRequest(event: Event): object {
  return { apiVersion: 'v3', requestId: randomUUID(), event };
}
