import type { Logger } from 'pino';
import { applyProviderValues, coerceProviderValue, seedConfigOf, type ProviderValue } from '@edgex-ts/runtime';
import type { CommonConfig } from '@edgex-ts/runtime';
import { consulErrorText, type Consul } from './client.js';
import { hasUrlPassword } from '@edgex-ts/runtime';

/** Key names never written to Consul KV (secrets stay in files and the environment); nor are URLs with a password. */
const SECRET_KEY = /password|secret|token/i;

interface KvItem {
  Key: string;
  Value: string | null;
}

/** `<ConfigStem>/<service>/`, the KV folder of one service. */
export function kvPrefix(registry: CommonConfig['Registry'], service: string): string {
  return `${registry.ConfigStem.replace(/\/+$/, '')}/${service}/`;
}

/** Flattens a config into KV entries: `Section/Key` → text (strings as is, everything else JSON). */
export function flattenConfig(obj: Record<string, unknown>, path: string[] = []): { path: string[]; text: string }[] {
  const out: { path: string[]; text: string }[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || SECRET_KEY.test(k) || (typeof v === 'string' && hasUrlPassword(v))) continue;
    const p = [...path, k];
    if (typeof v === 'object' && !Array.isArray(v)) out.push(...flattenConfig(v as Record<string, unknown>, p));
    else out.push({ path: p, text: typeof v === 'string' ? v : JSON.stringify(v) });
  }
  return out;
}

/** KV items under `prefix` as config paths (`Writable/LogLevel` → ['Writable', 'LogLevel']); folders skipped. */
export function kvEntries(items: unknown, prefix: string): { key: string; path: string[]; raw: string }[] {
  const list = Array.isArray(items) ? (items as KvItem[]) : items ? [items as KvItem] : [];
  return list
    .filter((i) => i.Key.startsWith(prefix) && !i.Key.endsWith('/'))
    .map((i) => ({ key: i.Key, path: i.Key.slice(prefix.length).split('/'), raw: i.Value ?? '' }));
}

/**
 * Consul KV as a configuration layer (file < Consul < environment < overrides): seeds every key that is
 * missing under `<ConfigStem>/<service>/` from the service's defaults and file (so the first start writes
 * them all, later starts only new keys), then reads the folder back into `config`, in place.
 * A value that does not fit its key throws ConfigError naming the key (the service does not start).
 */
export async function loadConsulConfig(
  consul: Consul,
  config: CommonConfig,
  service: string,
  log: Logger,
): Promise<{ prefix: string; seeded: number; read: number }> {
  const prefix = kvPrefix(config.Registry, service);
  const fail = (what: string, err: unknown) => new Error(`config: cannot ${what} ${prefix} in ${consulErrorText(err, config.Registry)}`);
  let items: unknown;
  try {
    items = await consul.kv.get({ key: prefix, recurse: true });
  } catch (err) {
    throw fail('read', err);
  }
  const existing = kvEntries(items, prefix);
  const have = new Set(existing.map((e) => e.key));
  let seeded = 0;
  try {
    for (const { path, text } of flattenConfig(seedConfigOf(config))) {
      const key = prefix + path.join('/');
      if (have.has(key)) continue;
      // cas=0: only if still absent, so two instances starting together cannot overwrite an edit.
      if (await consul.kv.set({ key, value: text, cas: 0 })) seeded++;
    }
  } catch (err) {
    throw fail('seed', err);
  }
  if (seeded > 0) log.info({ prefix, keys: seeded }, `config: seeded ${seeded} keys under ${prefix} in Consul`);

  const values: ProviderValue[] = [];
  for (const e of existing) {
    const source = `consul ${e.key}`;
    const value = coerceProviderValue(config, e.path, e.raw, source);
    if (value === undefined) {
      log.debug({ key: e.key }, 'config: key in Consul not known to this service, ignored');
      continue;
    }
    values.push({ path: e.path, value, source });
  }
  applyProviderValues(config, values);
  log.info({ prefix, keys: values.length }, `config: read ${values.length} keys from Consul under ${prefix}`);
  return { prefix, seeded, read: values.length };
}
