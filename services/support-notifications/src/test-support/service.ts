// Starts support-notifications for a test (ephemeral ports, no bus, quiet log) and speaks its REST API.
import { pino } from 'pino';
import { startSupportNotifications, type SupportNotificationsConfigInput, type SupportNotificationsHandle } from '../index.js';

export type DatabaseSection = NonNullable<SupportNotificationsConfigInput['Database']>;

export async function startForTest(database: DatabaseSection, overrides: SupportNotificationsConfigInput = {}): Promise<SupportNotificationsHandle> {
  return startSupportNotifications({
    configOverrides: {
      ...overrides,
      Service: { Port: 0, GrpcPort: 0, RequestTimeout: '2s', ...overrides.Service },
      Database: database,
      MessageBus: { Disabled: true },
    },
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
}

export interface Api {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function apiOf(handle: { restPort: number }): Api {
  return {
    async call<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`http://127.0.0.1:${handle.restPort}/api/v3${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/** One subscription or notification in EdgeX's batch body. */
export const batch = <K extends string>(key: K, ...items: unknown[]) => items.map((item) => ({ apiVersion: 'v3', [key]: item }));
