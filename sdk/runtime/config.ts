import { readFileSync } from 'node:fs';
import { errorMessage } from '@edgex-ts/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export * from './config-schema.js';

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

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
  'support-logging',
  'device-virtual',
] as const;

type Obj = Record<string, unknown>;
/** Any zod schema (the base of zod's classic and mini schemas, as `.shape` and `.unwrap()` give them). */
type AnySchema = z.core.$ZodType;

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
  const file = opts.file ?? configFileFromArgv(opts.argv ?? process.argv) ?? emptyToUndefined(env.EDGEX_CONFIG_FILE);
  const recipe: ConfigRecipe = {
    service: opts.service,
    schema: opts.schema,
    defaults: opts.defaults,
    file: file ? { path: file, values: readYamlFile(file) } : undefined,
    env,
    overrides: opts.overrides,
  };
  const config = composeConfig(recipe, undefined) as z.infer<S>;
  recipes.set(config, recipe);
  return config;
}

/** What loadConfig read, kept so a config provider (Consul KV) can be layered in later. */
interface ConfigRecipe {
  service: string;
  schema: z.ZodObject<any>;
  defaults: Obj | undefined;
  file: { path: string; values: Obj } | undefined;
  env: NodeJS.ProcessEnv;
  overrides: Obj | undefined;
}

const recipes = new WeakMap<object, ConfigRecipe>();

/**
 * Values from a configuration provider, one per key path, placed between the file and the environment.
 * `source` names where each came from in error messages (e.g. `consul edgex-ts/core-data/Service/Port`).
 */
export interface ProviderValue {
  path: string[];
  value: unknown;
  source: string;
}

function composeConfig(recipe: ConfigRecipe, provider: ProviderValue[] | undefined): unknown {
  const sources = new Map<string, string>();
  let merged: Obj = {};
  const layer = (value: unknown, source: string) => {
    if (value === undefined) return;
    merged = mergeLayer(merged, value as Obj, [], source, sources);
  };
  layer({ Database: { Path: `./data/${recipe.service}.db` } }, 'default');
  layer(recipe.defaults, 'service defaults');
  if (recipe.file) layer(recipe.file.values, `file ${recipe.file.path}`);
  if (provider) {
    const p: Obj = {};
    for (const v of provider) setPath(p, v.path, new Sourced(v.source, v.value));
    layer(p, '');
  }
  layer(consulAddrLayer(recipe.env), '');
  layer(mongoUrlLayer(recipe.env), '');
  layer(envLayer(recipe.schema, merged, recipe.env), '');
  layer(recipe.overrides, 'overrides');

  const result = recipe.schema.safeParse(merged);
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
    const a = argv[i];
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
    throw new ConfigError(`config: cannot read config file ${file}: ${errorMessage(err)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config: config file ${file} is not valid YAML: ${errorMessage(err)}`);
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
    if (isPlainObject(v) && !(v instanceof Sourced)) {
      const prev = isPlainObject(out[k]) ? out[k] : {};
      out[k] = mergeLayer(prev, v, p, source, sources);
      if (Object.keys(v).length === 0) sources.set(p.join('.'), source);
    } else if (v instanceof Sourced) {
      out[k] = v.value;
      sources.set(p.join('.'), v.source);
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

/** A value that remembers where it came from (e.g. `env SERVICE_PORT`) for error messages. */
class Sourced {
  constructor(
    readonly source: string,
    readonly value: unknown,
  ) {}
}

// ---- schema walking ---------------------------------------------------------------------------
// Through zod's public classes only: `instanceof z.ZodObject` and the others (zod checks the schema's traits,
// so a schema built by another copy of zod is recognised too), `.shape`, `.unwrap()`, `.in`, `.valueType`,
// `.options`, `.values` and `.type`.

/** Wrappers that only default, relax or re-tag the schema inside them (`.unwrap()` gives it). */
function isWrapper(
  s: AnySchema,
): s is z.ZodDefault | z.ZodPrefault | z.ZodOptional | z.ZodExactOptional | z.ZodNullable | z.ZodCatch | z.ZodReadonly | z.ZodNonOptional {
  return (
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault ||
    s instanceof z.ZodOptional ||
    s instanceof z.ZodExactOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodCatch ||
    s instanceof z.ZodReadonly ||
    s instanceof z.ZodNonOptional
  );
}

/** The schema that reads the value: wrappers removed, and the input side of a pipe (`.transform`). */
function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    if (isWrapper(s)) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else return s;
  }
}

function shapeOf(s: AnySchema): Record<string, AnySchema> | undefined {
  const u = unwrap(s);
  return u instanceof z.ZodObject ? u.shape : undefined;
}

interface Leaf {
  path: string[];
  schema: AnySchema;
}

function collectLeaves(schema: AnySchema, current: unknown, path: string[], out: Leaf[], records: Leaf[]): void {
  const u = unwrap(schema);
  if (u instanceof z.ZodObject) {
    for (const [k, child] of Object.entries(u.shape)) {
      collectLeaves(child, isPlainObject(current) ? current[k] : undefined, [...path, k], out, records);
    }
  } else if (u instanceof z.ZodRecord) {
    records.push({ path, schema: u.valueType });
    const names = new Set<string>([...WELL_KNOWN_SERVICES, ...(isPlainObject(current) ? Object.keys(current) : [])]);
    for (const name of names) {
      collectLeaves(u.valueType, isPlainObject(current) ? current[name] : undefined, [...path, name], out, records);
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
    const value = coerce(raw, leaf, `env ${name}`);
    setPath(layer, leaf.path, new Sourced(`env ${name}`, value));
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
        return { path: [...rec.path, entry, field], schema: unwrap(fields[field]) };
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
  cur[path[path.length - 1]] = value;
}

/** What a text value must be read as for leaf `s`: zod's type name (`number`, `boolean`, `enum`, …). */
function leafKind(s: AnySchema): { kind: string; options?: unknown[] } {
  if (s instanceof z.ZodEnum) return { kind: 'enum', options: s.options };
  if (s instanceof z.ZodLiteral) {
    const values = [...s.values];
    return { kind: typeof values[0], options: values };
  }
  if (s instanceof z.ZodUnion) {
    const kinds = s.options.map((o) => leafKind(unwrap(o)).kind);
    if (kinds.length > 0 && kinds.every((k) => k === kinds[0])) return { kind: kinds[0] };
    return { kind: 'unknown' };
  }
  return { kind: s instanceof z.ZodType ? s.type : 'unknown' };
}

function coerce(raw: string, leaf: Leaf, source: string): unknown {
  const key = leaf.path.join('.');
  const fail = (what: string) => new ConfigError(`config: ${key} = ${JSON.stringify(raw)} (from ${source}): ${what}`);
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

// ---- configuration providers (Consul KV) ------------------------------------------------------

/**
 * `CONSUL_HTTP_ADDR` (Consul's own variable: `127.0.0.1:8500`, `http://consul:8500`, `https://…`) turns on
 * the Consul registry and configuration: Registry.Type consul, Registry.Host/Port/Scheme from it.
 * REGISTRY_* variables are applied after it and win.
 */
function consulAddrLayer(env: NodeJS.ProcessEnv): Obj | undefined {
  const raw = env.CONSUL_HTTP_ADDR?.trim();
  if (!raw) return undefined;
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(raw);
  if (!m) {
    throw new ConfigError(`config: Registry = ${JSON.stringify(raw)} (from env CONSUL_HTTP_ADDR): expected host:port, e.g. 127.0.0.1:8500`);
  }
  const src = 'env CONSUL_HTTP_ADDR';
  const scheme = m[1] ?? (env.CONSUL_HTTP_SSL === 'true' ? 'https' : 'http');
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 8501 : 8500;
  return {
    Registry: {
      Type: new Sourced(src, 'consul'),
      Host: new Sourced(src, m[2].replace(/^\[|\]$/g, '')),
      Port: new Sourced(src, port),
      Scheme: new Sourced(src, scheme),
    },
  };
}

/** MONGODB_URL=mongodb://host:port/db switches Database to MongoDB (Type + Url); DATABASE_* variables still win. */
function mongoUrlLayer(env: NodeJS.ProcessEnv): Obj | undefined {
  const raw = env.MONGODB_URL?.trim();
  if (!raw) return undefined;
  const src = 'env MONGODB_URL';
  return { Database: { Type: new Sourced(src, 'mongodb'), Url: new Sourced(src, raw) } };
}

/** The recipe behind a config returned by loadConfig (undefined for configs built another way). */
function recipeOf(config: object): ConfigRecipe | undefined {
  return recipes.get(config);
}

/** True when `config` came from loadConfig, so a provider can be layered into it. */
export function isLoadedConfig(config: object): boolean {
  return recipes.has(config);
}

/** The service name a loaded config was loaded for. */
export function configServiceName(config: object): string | undefined {
  return recipeOf(config)?.service;
}

/**
 * The configuration a provider is seeded with: schema defaults < service defaults < file, validated,
 * without environment or overrides (those stay local to the process).
 */
export function seedConfigOf(config: object): Obj {
  const r = mustRecipe(config);
  return composeConfig({ ...r, env: {}, overrides: undefined }, undefined) as Obj;
}

/**
 * Converts a provider's text value for `path` to the key's type (as for environment variables).
 * Returns undefined for a path the schema does not know. Throws ConfigError naming the key and `source`.
 */
export function coerceProviderValue(config: object, path: string[], raw: string, source: string): unknown {
  const leaf = leafAt(mustRecipe(config).schema, path);
  if (!leaf) return undefined;
  return coerce(raw, { path, schema: unwrap(leaf) }, source);
}

/**
 * Re-composes a loaded config with provider values (file < provider < environment < overrides), validates
 * it, and updates `config` in place, so every holder of the object sees the result.
 * Throws ConfigError naming the key and its source when a value is invalid.
 */
export function applyProviderValues(config: object, values: ProviderValue[]): void {
  const next = composeConfig(mustRecipe(config), values) as Obj;
  replaceInPlace(config as Obj, next);
}

/**
 * Validates `value` for key `path` of a loaded config against its schema, alone and within the whole config.
 * Returns the parsed value, or the reason it is invalid.
 */
export function validateKey(config: object, path: string[], value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  const schema = mustRecipe(config).schema;
  const leaf = leafAt(schema, path);
  if (!leaf) return { ok: false, reason: 'unknown key' };
  const one = z.safeParse(leaf, value);
  if (!one.success) return { ok: false, reason: one.error.issues.map((i) => i.message).join('; ') };
  const candidate = structuredClone(config) as Obj;
  setPath(candidate, path, one.data);
  const all = schema.safeParse(candidate);
  if (!all.success) return { ok: false, reason: all.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, value: one.data };
}

/** True when the environment or the programmatic overrides set `path` (they win over any provider). */
export function isFixedLocally(config: object, path: string[]): boolean {
  const r = mustRecipe(config);
  const env = envLayer(r.schema, config as Obj, r.env);
  for (const layer of [env, r.overrides]) {
    if (layer && getPath(layer, path) !== undefined) return true;
  }
  return false;
}

function mustRecipe(config: object): ConfigRecipe {
  const r = recipeOf(config);
  if (!r) throw new Error('config: this configuration was not created by loadConfig');
  return r;
}

/** The (unwrapped) schema of one leaf key, walking objects and records; undefined when unknown. */
function leafAt(schema: AnySchema, path: string[]): AnySchema | undefined {
  let cur: AnySchema = schema;
  for (const seg of path) {
    const u = unwrap(cur);
    if (u instanceof z.ZodObject) {
      const next = u.shape[seg];
      if (!next) return undefined;
      cur = next;
    } else if (u instanceof z.ZodRecord) {
      cur = u.valueType;
    } else {
      return undefined;
    }
  }
  return unwrap(cur) instanceof z.ZodObject ? undefined : cur;
}

/** Makes `target` deep-equal to `source`, reusing nested objects so references held elsewhere stay live. */
function replaceInPlace(target: Obj, source: Obj): void {
  for (const k of Object.keys(target)) if (!(k in source)) delete target[k];
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k];
    if (isPlainObject(v) && isPlainObject(cur)) replaceInPlace(cur, v);
    else target[k] = v;
  }
}
