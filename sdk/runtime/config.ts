import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

export * from './config-schema.js';

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A configuration value that failed to load or validate; the message names the key and its source. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** EdgeX service keys known to the static registry, so CLIENTS_CORE_METADATA_HOST finds Clients['core-metadata']. */
export const WELL_KNOWN_SERVICES = [
  'core-data',
  'core-metadata',
  'core-command',
  'core-keeper',
  'support-notifications',
  'support-scheduler',
  'device-virtual',
] as const;

type Obj = Record<string, unknown>;
type AnySchema = z.ZodType;

export interface LoadConfigOptions<S extends z.ZodObject<any>> {
  service: string;
  schema: S;
  defaults?: DeepPartial<z.input<S>>;
  overrides?: DeepPartial<z.input<S>>;
  /** Config file path; else `--config <path>` in argv; else env EDGEX_CONFIG_FILE; else none. */
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** defaults < service defaults < YAML file < environment < overrides; validated against `schema`. */
export function loadConfig<S extends z.ZodObject<any>>(opts: LoadConfigOptions<S>): z.infer<S> {
  const env = opts.env ?? process.env;
  const sources = new Map<string, string>();
  let merged: Obj = {};
  const layer = (value: unknown, source: string) => {
    if (value === undefined) return;
    merged = mergeLayer(merged, value as Obj, [], source, sources);
  };

  layer({ Database: { Path: `./data/${opts.service}.db` } }, 'default');
  layer(opts.defaults, 'service defaults');
  const file = opts.file ?? configFileFromArgv(opts.argv ?? process.argv) ?? emptyToUndefined(env.EDGEX_CONFIG_FILE);
  if (file) layer(readYamlFile(file), `file ${file}`);
  layer(envLayer(opts.schema, merged, env), '');
  layer(opts.overrides, 'overrides');

  const result = opts.schema.safeParse(merged);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const key = path.join('.');
    const value = getPath(merged, path);
    const source = sourceOf(sources, path);
    const shown = value === undefined ? '(missing)' : JSON.stringify(value);
    return `config: ${key} = ${shown} (from ${source}): ${issue.message}`;
  });
  throw new ConfigError(lines.join('\n'));
}

function emptyToUndefined(s: string | undefined): string | undefined {
  return s && s.trim() !== '' ? s : undefined;
}

/** `--config <path>`, `--config=<path>`, also EdgeX's `-cf`/`--configFile`. */
export function configFileFromArgv(argv: string[]): string | undefined {
  const names = new Set(['--config', '-cf', '--configFile', '-c']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && names.has(a.slice(0, eq))) return a.slice(eq + 1);
    if (names.has(a) && i + 1 < argv.length) return argv[i + 1];
  }
  return undefined;
}

function readYamlFile(file: string): Obj {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read config file ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config: config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc)) throw new ConfigError(`config: config file ${file} must hold a mapping of sections`);
  return doc;
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function mergeLayer(base: Obj, layer: Obj, path: string[], source: string, sources: Map<string, string>): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === undefined) continue;
    const p = [...path, k];
    if (isPlainObject(v) && !(v instanceof EnvValue)) {
      const prev = isPlainObject(out[k]) ? (out[k] as Obj) : {};
      out[k] = mergeLayer(prev, v, p, source, sources);
      if (Object.keys(v).length === 0) sources.set(p.join('.'), source);
    } else if (v instanceof EnvValue) {
      out[k] = v.value;
      sources.set(p.join('.'), `env ${v.name}`);
    } else {
      out[k] = v;
      sources.set(p.join('.'), source);
    }
  }
  return out;
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function sourceOf(sources: Map<string, string>, path: string[]): string {
  for (let n = path.length; n > 0; n--) {
    const s = sources.get(path.slice(0, n).join('.'));
    if (s) return s;
  }
  return 'default';
}

/** A value taken from an environment variable (remembers the variable for error messages). */
class EnvValue {
  constructor(
    readonly name: string,
    readonly value: unknown,
  ) {}
}

// ---- schema walking -------------------------------------------------------------------------

interface ZodDefLike {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: AnySchema[];
}

function defOf(s: AnySchema): ZodDefLike {
  return (s as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ['default', 'prefault', 'optional', 'nullable', 'catch', 'readonly', 'nonoptional'].includes(d.type))
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

function shapeOf(s: AnySchema): Record<string, AnySchema> | undefined {
  const u = unwrap(s);
  const d = defOf(u);
  if (d.type !== 'object') return undefined;
  return (u as unknown as { shape: Record<string, AnySchema> }).shape;
}

interface Leaf {
  path: string[];
  schema: AnySchema;
}

function collectLeaves(schema: AnySchema, current: unknown, path: string[], out: Leaf[], records: Leaf[]): void {
  const u = unwrap(schema);
  const d = defOf(u);
  if (d.type === 'object') {
    for (const [k, child] of Object.entries(shapeOf(u)!)) {
      collectLeaves(child, isPlainObject(current) ? current[k] : undefined, [...path, k], out, records);
    }
  } else if (d.type === 'record' && d.valueType) {
    records.push({ path, schema: d.valueType });
    const names = new Set<string>([...WELL_KNOWN_SERVICES, ...(isPlainObject(current) ? Object.keys(current) : [])]);
    for (const name of names) {
      collectLeaves(d.valueType, isPlainObject(current) ? current[name] : undefined, [...path, name], out, records);
    }
  } else {
    out.push({ path, schema: u });
  }
}

const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

function envLayer(schema: AnySchema, current: Obj, env: NodeJS.ProcessEnv): Obj {
  const leaves: Leaf[] = [];
  const records: Leaf[] = [];
  collectLeaves(schema, current, [], leaves, records);
  const byName = new Map<string, Leaf>();
  for (const leaf of leaves) byName.set(norm(leaf.path.join('')), leaf);

  const layer: Obj = {};
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) continue;
    const leaf = byName.get(norm(name)) ?? recordLeafFor(name, records);
    if (!leaf) continue;
    const value = coerce(raw, leaf, name);
    setPath(layer, leaf.path, new EnvValue(name, value));
  }
  return layer;
}

/** CLIENTS_SUPPORT_NOTIFICATIONS_PORT → Clients['support-notifications'].Port for names not known in advance. */
function recordLeafFor(envName: string, records: Leaf[]): Leaf | undefined {
  const segs = envName.split('_');
  for (const rec of records) {
    const fields = shapeOf(rec.schema);
    if (!fields) continue;
    const prefix = norm(rec.path.join(''));
    for (let i = 1; i < segs.length; i++) {
      if (norm(segs.slice(0, i).join('')) !== prefix) continue;
      for (let j = segs.length - 1; j > i; j--) {
        const tail = norm(segs.slice(j).join(''));
        const field = Object.keys(fields).find((f) => norm(f) === tail);
        if (!field) continue;
        const entry = segs.slice(i, j).join('-').toLowerCase();
        return { path: [...rec.path, entry, field], schema: unwrap(fields[field]!) };
      }
    }
  }
  return undefined;
}

function setPath(obj: Obj, path: string[], value: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[path[path.length - 1]!] = value;
}

function leafKind(s: AnySchema): { kind: string; options?: unknown[] } {
  const d = defOf(s);
  if (d.type === 'enum') return { kind: 'enum', options: Object.values(d.entries ?? {}) };
  if (d.type === 'literal') return { kind: typeof (d.values ?? [])[0], options: d.values };
  if (d.type === 'union') {
    const kinds = (d.options ?? []).map((o) => leafKind(unwrap(o)).kind);
    if (kinds.length > 0 && kinds.every((k) => k === kinds[0])) return { kind: kinds[0]! };
    return { kind: 'unknown' };
  }
  return { kind: d.type };
}

function coerce(raw: string, leaf: Leaf, envName: string): unknown {
  const key = leaf.path.join('.');
  const fail = (what: string) =>
    new ConfigError(`config: ${key} = ${JSON.stringify(raw)} (from env ${envName}): ${what}`);
  const { kind, options } = leafKind(leaf.schema);
  switch (kind) {
    case 'number':
    case 'bigint': {
      const t = raw.trim();
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) throw fail('expected a number');
      return Number(t);
    }
    case 'boolean': {
      const t = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return true;
      if (['false', '0', 'no', 'off', ''].includes(t)) return false;
      throw fail('expected true or false');
    }
    case 'enum': {
      const match = (options ?? []).find((o) => String(o).toLowerCase() === raw.trim().toLowerCase());
      return match ?? raw;
    }
    case 'string':
      return raw;
    case 'array':
    case 'object':
    case 'record':
      try {
        return JSON.parse(raw);
      } catch {
        throw fail(`expected JSON (${kind})`);
      }
    default:
      return raw;
  }
}
