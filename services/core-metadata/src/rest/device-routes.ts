import { Router, type Request } from 'express';
import { AddDeviceRequestSchema, EdgeXError, UpdateDeviceRequestSchema, deviceWire } from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { DeviceWriteOptions, MetadataDomain } from '../domain/index.js';
import { listParams, pathParam } from './params.js';

/** EdgeX v4 `?bypassValidation=true`: store without asking the owning device service. */
function writeOptions(req: Request): DeviceWriteOptions {
  const v = req.query.bypassValidation;
  if (v === undefined || v === 'false') return {};
  if (v === 'true') return { bypassValidation: true };
  throw new EdgeXError('ContractInvalid', `bypassValidation: expected true or false, got ${JSON.stringify(v)}`);
}

/**
 * EdgeX v4 `descendantsOf` (a device name) and `maxLevels` (levels below it, 0 = all) on GET /device/all. Without
 * descendantsOf (or with it empty, as EdgeX's Go client sends for "no parent") the plain list is answered, as EdgeX
 * does; maxLevels is still checked.
 */
function treeQuery(req: Request): { ancestor: string; maxLevels: number } | undefined {
  const { descendantsOf, maxLevels } = req.query;
  if (descendantsOf !== undefined && typeof descendantsOf !== 'string') {
    throw new EdgeXError('ContractInvalid', 'descendantsOf: expected one device name');
  }
  let levels = 0;
  if (maxLevels !== undefined && maxLevels !== '') {
    if (typeof maxLevels !== 'string' || !/^\d+$/.test(maxLevels.trim()) || Number(maxLevels) > 2 ** 31 - 1) {
      throw new EdgeXError('ContractInvalid', `maxLevels: expected a non-negative integer (0 = no limit), got ${JSON.stringify(maxLevels)}`);
    }
    levels = Number(maxLevels);
  }
  return descendantsOf ? { ancestor: descendantsOf, maxLevels: levels } : undefined;
}

/** /device: EdgeX v3 core-metadata device endpoints. */
export function deviceRoutes(domain: MetadataDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const devices = domain.devices;

  r.post(
    '/device',
    asyncRoute((req, res) =>
      handleBatch(req, res, AddDeviceRequestSchema, async (item) => ({ id: (await devices.add(item.device, writeOptions(req))).id }), 'request'),
    ),
  );
  r.patch(
    '/device',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateDeviceRequestSchema, async (item) => {
        await devices.update(item.device, writeOptions(req));
        return {};
      }),
    ),
  );
  r.get(
    '/device/all',
    asyncRoute(async (req, res) => {
      const params = listParams(req, maxResultCount);
      const tree = treeQuery(req);
      const page = tree ? await devices.descendants(tree.ancestor, tree.maxLevels, params) : await devices.list(params);
      sendOk(res, 200, { totalCount: page.totalCount, devices: page.items.map(deviceWire) });
    }),
  );
  r.get(
    '/device/check/name/:name',
    asyncRoute(async (req, res) => {
      await devices.byName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  r.get(
    '/device/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { device: deviceWire(await devices.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/device/name/:name',
    asyncRoute(async (req, res) => {
      await devices.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  r.get(
    '/device/profile/name/:name',
    asyncRoute(async (req, res) => {
      const page = await devices.byProfile(pathParam(req, 'name'), listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, devices: page.items.map(deviceWire) });
    }),
  );
  r.get(
    '/device/service/name/:name',
    asyncRoute(async (req, res) => {
      const page = await devices.byService(pathParam(req, 'name'), listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, devices: page.items.map(deviceWire) });
    }),
  );
  return router;
}
