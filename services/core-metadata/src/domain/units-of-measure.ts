/**
 * Units of measure (EdgeX 3): a file of unit groups that core-metadata serves on GET /api/v3/uom and, with
 * Writable.UoM.Validation on, checks every device resource's `units` against.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EdgeXError, errorMessage, type DeviceProfile } from '@edgex-ts/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The file core-metadata ships (res/uom.yaml), used when UoM.UoMFile is empty. */
export const DEFAULT_UOM_FILE = fileURLToPath(new URL('../../res/uom.yaml', import.meta.url));

/** The file's shape: EdgeX's keys (Source, Units, Values); YAML or JSON. */
const uomFileSchema = z.strictObject({
  Source: z.string().optional(),
  Units: z
    .record(
      z.string(),
      z.strictObject({
        Source: z.string().optional(),
        // YAML reads `1` or `true` as non-strings; a unit is text.
        Values: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
      }),
    )
    .optional(),
});

/** The units of measure as the file has them (EdgeX's keys; also what the TOML answer shows). */
export type UnitsOfMeasure = z.infer<typeof uomFileSchema>;

/** Reads and checks a units-of-measure file; an error names the file and the key at fault. */
export function loadUnitsOfMeasure(path: string): UnitsOfMeasure {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `UoM.UoMFile ${path}: ${errorMessage(err)}`, err);
  }
  const parsed = uomFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EdgeXError('ContractInvalid', `UoM.UoMFile ${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** EdgeX's UnitsOfMeasure JSON (`source`, `units.<group>.source`, `.values`; empty fields left out). */
export function unitsOfMeasureJson(uom: UnitsOfMeasure): object {
  const units = Object.entries(uom.Units ?? {}).map(([group, u]) => [
    group,
    { ...(u.Source ? { source: u.Source } : {}), ...(u.Values ? { values: u.Values } : {}) },
  ]);
  return { ...(uom.Source ? { source: uom.Source } : {}), ...(uom.Units ? { units: Object.fromEntries(units) } : {}) };
}

/**
 * Throws ContractInvalid naming the first device resource of `profile` whose `units` is not a known unit.
 * Empty units pass, and so does everything when the file lists no unit groups (as in EdgeX).
 */
export function checkUnits(uom: UnitsOfMeasure, profile: DeviceProfile): void {
  const groups = Object.values(uom.Units ?? {});
  if (groups.length === 0) return;
  const known = new Set(groups.flatMap((g) => g.Values ?? []));
  profile.deviceResources.forEach((resource, i) => {
    const units = resource.properties?.units;
    if (units && !known.has(units)) {
      throw new EdgeXError(
        'ContractInvalid',
        `deviceResources[${i}] ${resource.name}: units "${units}" is not a unit of measure core-metadata knows (GET /api/v3/uom; Writable.UoM.Validation is on)`,
      );
    }
  });
}
