import { Router } from 'express';
import { AddProvisionWatcherRequestSchema, UpdateProvisionWatcherRequestSchema, provisionWatcherWire } from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { MetadataDomain } from '../domain/index.js';
import { listParams, pathParam } from './params.js';

/** /provisionwatcher: EdgeX v3 core-metadata provision-watcher endpoints. */
export function provisionWatcherRoutes(domain: MetadataDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const watchers = domain.provisionWatchers;

  r.post(
    '/provisionwatcher',
    asyncRoute((req, res) =>
      handleBatch(req, res, AddProvisionWatcherRequestSchema, async (item) => ({
        id: (await watchers.add(item.provisionWatcher)).id,
      })),
    ),
  );
  r.patch(
    '/provisionwatcher',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateProvisionWatcherRequestSchema, async (item) => {
        await watchers.update(item.provisionWatcher);
        return {};
      }),
    ),
  );
  r.get(
    '/provisionwatcher/all',
    asyncRoute(async (req, res) => {
      const page = await watchers.list(listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, provisionWatchers: page.items.map(provisionWatcherWire) });
    }),
  );
  r.get(
    '/provisionwatcher/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { provisionWatcher: provisionWatcherWire(await watchers.byName(pathParam(req, 'name'))) })),
  );
  r.get(
    '/provisionwatcher/service/name/:name',
    asyncRoute(async (req, res) => {
      const page = await watchers.byService(pathParam(req, 'name'), listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, provisionWatchers: page.items.map(provisionWatcherWire) });
    }),
  );
  r.get(
    '/provisionwatcher/profile/name/:name',
    asyncRoute(async (req, res) => {
      const page = await watchers.byProfile(pathParam(req, 'name'), listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, provisionWatchers: page.items.map(provisionWatcherWire) });
    }),
  );
  r.delete(
    '/provisionwatcher/name/:name',
    asyncRoute(async (req, res) => {
      await watchers.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  return router;
}
