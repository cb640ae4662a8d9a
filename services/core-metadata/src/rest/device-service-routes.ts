import { Router } from 'express';
import { AddDeviceServiceRequestSchema, UpdateDeviceServiceRequestSchema, deviceServiceWire } from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { MetadataDomain } from '../domain/index.js';
import { listParams, pathParam } from './params.js';

/** /deviceservice: EdgeX v3 core-metadata device-service endpoints. */
export function deviceServiceRoutes(domain: MetadataDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const services = domain.deviceServices;

  r.post(
    '/deviceservice',
    asyncRoute((req, res) => handleBatch(req, res, AddDeviceServiceRequestSchema, async (item) => ({ id: (await services.add(item.service)).id }))),
  );
  r.patch(
    '/deviceservice',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateDeviceServiceRequestSchema, async (item) => {
        await services.update(item.service);
        return {};
      }),
    ),
  );
  r.get(
    '/deviceservice/all',
    asyncRoute(async (req, res) => {
      const page = await services.list(listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, services: page.items.map(deviceServiceWire) });
    }),
  );
  r.get(
    '/deviceservice/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { service: deviceServiceWire(await services.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/deviceservice/name/:name',
    asyncRoute(async (req, res) => {
      await services.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  return router;
}
