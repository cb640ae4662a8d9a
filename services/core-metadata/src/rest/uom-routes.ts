import { Router } from 'express';
import { restRoutes, sendOk } from '@edgex-ts/runtime';
import { stringify as toToml } from 'smol-toml';
import { unitsOfMeasureJson, type UnitsOfMeasure } from '../domain/index.js';

/** GET /uom: the units of measure, JSON (`{uom}`) or, with `Accept: application/toml`, as TOML with the file's keys. */
export function unitsOfMeasureRoutes(uom: UnitsOfMeasure): Router {
  const router = Router();
  const r = restRoutes(router);
  const json = unitsOfMeasureJson(uom);
  r.get('/uom', (req, res) => {
    if (req.get('accept') === 'application/toml') res.status(200).type('application/toml').send(toToml(uom));
    else sendOk(res, 200, { uom: json });
  });
  return router;
}
