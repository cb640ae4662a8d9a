import { payloadJson, type MessageBus } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { MetadataKind } from '../metadata/metadata-cache.js';

const KINDS = new Set<string>(['device', 'deviceprofile', 'deviceservice']);

/**
 * Follows core-metadata's system events (`<prefix>/system-events/core-metadata/<type>/<action>/<owner>[/<profile>]`,
 * reference §4.3) and reports which device, profile or device service changed: `details.name` of the event.
 */
export async function followMetadataChanges(bus: MessageBus, log: Logger, changed: (kind: MetadataKind, name: string) => void): Promise<void> {
  const prefix = bus.topic('system-events', 'core-metadata') + '/';
  await bus.subscribe(`${prefix}#`, async (env, topic) => {
    const kind = topic.slice(prefix.length).split('/')[0] ?? '';
    if (!KINDS.has(kind)) return;
    let name: unknown;
    try {
      name = payloadJson<{ details?: { name?: unknown } }>(env).details?.name;
    } catch {
      name = undefined;
    }
    if (typeof name !== 'string' || name === '') {
      log.warn({ topic }, 'system event without details.name: ignored');
      return;
    }
    changed(kind as MetadataKind, name);
  });
}
