/**
 * Units of measure (EdgeX 3): a file of unit groups that core-metadata serves on GET /api/v3/uom and, with
 * Writable.UoM.Validation on, checks every device resource's `units` against.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EdgeXError, type DeviceProfile } from '@edgex-ts/sdk/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The file core-metadata ships (res/uom.yaml), used when UoM.UoMFile is empty. */
export const DEFAULT_UOM_FILE = fileURLToPath(new URL('../../res/uom.yaml', import.meta.url));

/** EdgeX's UnitsOfMeasure as JSON: unit groups, each with its values and, optionally, where they come from. */
export interface UnitsOfMeasure {
  source?: string;
  units?: Record<string, { source?: string; values?: string[] }>;
}

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

/** Reads and checks a units-of-measure file; an error names the file and the key at fault. */
export function loadUnitsOfMeasure(path: string): UnitsOfMeasure {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`UoM.UoMFile ${path}: ${(err as Error).message}`);
  }
  const parsed = uomFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`UoM.UoMFile ${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const { Source, Units } = parsed.data;
  const uom: UnitsOfMeasure = {};
  if (Source) uom.source = Source;
  if (Units) {
    uom.units = Object.fromEntries(
      Object.entries(Units).map(([group, u]) => [group, { ...(u.Source ? { source: u.Source } : {}), ...(u.Values ? { values: u.Values } : {}) }]),
    );
  }
  return uom;
}

/**
 * Throws ContractInvalid naming the first device resource of `profile` whose `units` is not a known unit.
 * Empty units pass, and so does everything when the file lists no unit groups (as in EdgeX).
 */
export function checkUnits(uom: UnitsOfMeasure, profile: DeviceProfile): void {
  const groups = Object.values(uom.units ?? {});
  if (groups.length === 0) return;
  const known = new Set(groups.flatMap((g) => g.values ?? []));
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
