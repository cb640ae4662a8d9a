import { Router } from 'express';
import { sendOk } from '@edgex-ts/sdk/runtime';
import { stringify as toToml } from 'smol-toml';
import type { UnitsOfMeasure } from '../domain/index.js';

/** The units of measure as EdgeX's TOML encoding writes them (its Go field names as keys). */
function tomlOf(uom: UnitsOfMeasure): string {
  const units = Object.fromEntries(
    Object.entries(uom.units ?? {}).map(([group, u]) => [group, { ...(u.source ? { Source: u.source } : {}), ...(u.values ? { Values: u.values } : {}) }]),
  );
  return toToml({ ...(uom.source ? { Source: uom.source } : {}), Units: units });
}

/** GET /uom: the units of measure, JSON (`{uom}`) or, with `Accept: application/toml`, the file's content as TOML. */
export function unitsOfMeasureRoutes(uom: UnitsOfMeasure): Router {
  const r = Router();
  r.get('/uom', (req, res) => {
    if (req.get('accept') === 'application/toml') res.status(200).type('application/toml').send(tomlOf(uom));
    else sendOk(res, 200, { uom });
  });
  return r;
}
