/**
 * Loads device profiles and devices from folders of YAML/JSON files (EdgeX `Device.ProfilesDir` and
 * `Device.DevicesDir`), validated with the contracts' schemas. Errors name the file and the field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  DeviceProfileSchema,
  DeviceSchema,
  EdgeXError,
  errorMessage,
  ProvisionWatcherSchema,
  parseDto,
  type Device,
  type DeviceProfile,
  type ProvisionWatcher,
} from '@edgex-ts/contracts';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** A profile or device together with the file it came from. */
export interface Loaded<T> {
  file: string;
  value: T;
}

/** Files with an accepted extension (.yaml, .yml, .json) directly in `dir`, sorted by name; [] when `dir` does not exist. */
export async function listDefinitionFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => EXTENSIONS.has(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
}

/** Parses one YAML or JSON file; syntax errors name the file and position. */
export async function readDefinitionFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    if (extname(file).toLowerCase() === '.json') return JSON.parse(text) as unknown;
    return parseYaml(text, { prettyErrors: true }) as unknown;
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message.split('\n')[0] : errorMessage(err);
    throw new EdgeXError('ContractInvalid', `${file}: not valid ${extname(file).slice(1).toUpperCase()}: ${detail}`, err);
  }
}

function withFile(file: string, err: unknown): EdgeXError {
  return new EdgeXError('ContractInvalid', `${file}: ${errorMessage(err)}`, err);
}

/** Loads every profile file of `dir` (one profile per file). Duplicate profile names are an error. */
export async function loadProfiles(dir: string): Promise<Loaded<DeviceProfile>[]> {
  const out: Loaded<DeviceProfile>[] = [];
  const seen = new Map<string, string>();
  for (const file of await listDefinitionFiles(dir)) {
    const raw = await readDefinitionFile(file);
    let profile: DeviceProfile;
    try {
      profile = parseDto(DeviceProfileSchema, raw, '');
    } catch (err) {
      throw withFile(file, err);
    }
    const other = seen.get(profile.name);
    if (other) throw new EdgeXError('ContractInvalid', `${file}: name: profile "${profile.name}" is already defined in ${other}`);
    seen.set(profile.name, file);
    out.push({ file, value: profile });
  }
  return out;
}

/**
 * Loads every device file of `dir`: YAML/JSON with a top-level `deviceList:` array, or a JSON array.
 * As in EdgeX, `serviceName` is forced to `serviceName`, `adminState` to UNLOCKED and `operatingState` to UP.
 * Duplicate device names are an error.
 */
export async function loadDevices(dir: string, serviceName: string): Promise<Loaded<Device>[]> {
  const out: Loaded<Device>[] = [];
  const seen = new Map<string, string>();
  for (const file of await listDefinitionFiles(dir)) {
    const raw = await readDefinitionFile(file);
    let list: unknown[];
    let root: string;
    if (Array.isArray(raw)) {
      list = raw;
      root = '';
    } else if (raw !== null && typeof raw === 'object' && Array.isArray((raw as { deviceList?: unknown }).deviceList)) {
      list = (raw as { deviceList: unknown[] }).deviceList;
      root = 'deviceList';
    } else {
      throw new EdgeXError('ContractInvalid', `${file}: deviceList: expected a top-level deviceList array (or a JSON array of devices)`);
    }
    list.forEach((item, i) => {
      const where = `${root}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new EdgeXError('ContractInvalid', `${file}: ${where}: expected a device object`);
      }
      const forced = { ...item, serviceName, adminState: 'UNLOCKED', operatingState: 'UP' };
      let device: Device;
      try {
        device = parseDto(DeviceSchema, forced, where);
      } catch (err) {
        throw withFile(file, err);
      }
      const other = seen.get(device.name);
      if (other) throw new EdgeXError('ContractInvalid', `${file}: ${where}.name: device "${device.name}" is already defined in ${other}`);
      seen.set(device.name, file);
      out.push({ file, value: device });
    });
  }
  return out;
}

/** blockingIdentifiers values as strings: YAML files write numbers (e.g. `Port: [397, 398]`) that match as text. */
function blockingAsText(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const w = raw as { blockingIdentifiers?: unknown };
  const b = w.blockingIdentifiers;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return raw;
  const asText = Object.fromEntries(
    Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'number' || typeof x === 'boolean' ? String(x) : x)) : v]),
  );
  return { ...w, blockingIdentifiers: asText };
}

/**
 * Loads every provision watcher file of `dir` (EdgeX `Device.ProvisionWatchersDir`, one watcher per file).
 * A watcher without `serviceName` belongs to `serviceName`. Duplicate names are an error.
 */
export async function loadProvisionWatchers(dir: string, serviceName: string): Promise<Loaded<ProvisionWatcher>[]> {
  const out: Loaded<ProvisionWatcher>[] = [];
  const seen = new Map<string, string>();
  for (const file of await listDefinitionFiles(dir)) {
    const raw = blockingAsText(await readDefinitionFile(file));
    const withService =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw as { serviceName?: unknown }).serviceName ? { ...raw, serviceName } : raw;
    let watcher: ProvisionWatcher;
    try {
      watcher = parseDto(ProvisionWatcherSchema, withService, '');
    } catch (err) {
      throw withFile(file, err);
    }
    const other = seen.get(watcher.name);
    if (other) throw new EdgeXError('ContractInvalid', `${file}: name: provision watcher "${watcher.name}" is already defined in ${other}`);
    seen.set(watcher.name, file);
    out.push({ file, value: watcher });
  }
  return out;
}
