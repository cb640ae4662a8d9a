import { randomUUID } from 'node:crypto';

/** A random (v4) UUID, as EdgeX assigns to events, readings and entities. */
export function newUuid(): string {
  return randomUUID();
}
