import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { coerceProviderValue, ConfigError, isFixedLocally, validateKey, type ConfigWatcher, type WritableChange } from '@edgex-ts/runtime';
import type { CommonConfig } from '@edgex-ts/runtime';
import { consulErrorText, type Consul } from './client.js';
import { kvEntries } from './config.js';

/**
 * Watches `<prefix>Writable/` in Consul KV with blocking queries and applies changed values to
 * `config.Writable` in place. Each value is converted and validated against the service's schema; an
 * invalid one is logged (naming the key, the value and the reason) and the old value stays. Keys set by the
 * environment or by overrides win over Consul and are left alone.
 */
export class WritableWatcher implements ConfigWatcher {
  private watch: ReturnType<Consul['watch']> | undefined;
  private readonly rejected = new Map<string, string>();
  private failing = false;

  constructor(
    private readonly consul: Consul,
    private readonly config: CommonConfig,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly onChange: (changes: WritableChange[]) => void,
  ) {}

  start(): void {
    if (this.watch) return;
    const w = this.consul.watch({
      method: this.consul.kv.get,
      options: { key: `${this.prefix}Writable/`, recurse: 'true', wait: '30s' },
      backoffMax: 5000,
    });
    w.on('change', (data: unknown) => {
      if (this.failing) this.log.info(`config: watching ${this.prefix}Writable/ in Consul again`);
      this.failing = false;
      this.apply(data);
    });
    w.on('error', (err: unknown) => {
      if (!this.failing) {
        this.log.warn(`config: watch of ${this.prefix}Writable/ failed, retrying: ${consulErrorText(err, this.config.Registry)}`);
      }
      this.failing = true;
    });
    this.watch = w;
  }

  stop(): void {
    this.watch?.end();
    this.watch = undefined;
  }

  /**
   * Stores a secret as EdgeX does without a secret store: under `Writable/InsecureSecrets/<name>/` in the
   * service's configuration keys, from where the watch applies it like any Writable change.
   */
  async storeInsecureSecret(name: string, data: Record<string, string>): Promise<void> {
    const base = `${this.prefix}Writable/InsecureSecrets/${name}/`;
    await this.consul.kv.set({ key: `${base}SecretName`, value: name });
    for (const [key, value] of Object.entries(data)) await this.consul.kv.set({ key: `${base}SecretData/${key}`, value });
  }

  /** Applies one snapshot of the Writable folder; returns what changed. */
  apply(items: unknown): WritableChange[] {
    const changes: WritableChange[] = [];
    for (const e of kvEntries(items, this.prefix)) {
      const key = e.path.join('.');
      const current = getAt(this.config, e.path);
      const kept = `keeping ${JSON.stringify(current)}`;
      let value: unknown;
      try {
        value = coerceProviderValue(this.config, e.path, e.raw, `consul ${e.key}`);
      } catch (err) {
        if (err instanceof ConfigError) this.reject(e.key, e.raw, `${err.message}; ${kept}`);
        else throw err;
        continue;
      }
      if (value === undefined || isDeepStrictEqual(value, current)) {
        this.rejected.delete(e.key);
        continue;
      }
      if (isFixedLocally(this.config, e.path)) {
        this.reject(e.key, e.raw, `config: ${key} changed in Consul (${e.key}) but is set by the environment or overrides, which win; ${kept}`, 'warn');
        continue;
      }
      const v = validateKey(this.config, e.path, value);
      if (!v.ok) {
        this.reject(e.key, e.raw, `config: ${key} = ${JSON.stringify(e.raw)} (from consul ${e.key}): ${v.reason}; ${kept}`);
        continue;
      }
      this.rejected.delete(e.key);
      setAt(this.config, e.path, v.value);
      changes.push({ key, path: e.path, oldValue: current, newValue: v.value });
    }
    if (changes.length > 0) {
      this.log.info(
        { changes: changes.map((c) => ({ key: c.key, from: c.oldValue, to: c.newValue })) },
        `config: applied ${changes.map((c) => `${c.key}=${JSON.stringify(c.newValue)}`).join(', ')} from Consul`,
      );
      this.onChange(changes);
    }
    return changes;
  }

  /** Logs a rejected value once (until it changes again). */
  private reject(kvKey: string, raw: string, message: string, level: 'error' | 'warn' = 'error'): void {
    if (this.rejected.get(kvKey) === raw) return;
    this.rejected.set(kvKey, raw);
    this.log[level]({ key: kvKey, value: raw }, message);
  }
}

function getAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setAt(obj: object, path: string[], value: unknown): void {
  let cur = obj as Record<string, unknown>;
  for (const p of path.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}
