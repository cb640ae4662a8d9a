import { Router } from 'express';
import {
  AddIntervalActionRequestSchema,
  AddIntervalRequestSchema,
  UpdateIntervalActionRequestSchema,
  UpdateIntervalRequestSchema,
  intervalActionWire,
  intervalWire,
} from '@edgex-ts/contracts';
import { asyncRoute, checkOffset, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { SchedulerDomain } from '../domain/index.js';
import { listParams, pathParam } from './params.js';

/** EdgeX v3's /interval and /intervalaction endpoints. */
export function intervalRoutes(domain: SchedulerDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const { intervals, intervalActions } = domain;

  r.post(
    '/interval',
    asyncRoute((req, res) => handleBatch(req, res, AddIntervalRequestSchema, async (item) => intervals.add(item.interval))),
  );
  r.patch(
    '/interval',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateIntervalRequestSchema, async (item) => {
        await intervals.update(item.interval);
        return {};
      }),
    ),
  );
  r.get(
    '/interval/all',
    asyncRoute(async (req, res) => {
      const query = listParams(req, maxResultCount);
      const page = await intervals.list({ offset: query.offset, limit: query.limit });
      checkOffset(query.offset, page.totalCount);
      sendOk(res, 200, { totalCount: page.totalCount, intervals: page.items.map(intervalWire) });
    }),
  );
  r.get(
    '/interval/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { interval: intervalWire(await intervals.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/interval/name/:name',
    asyncRoute(async (req, res) => {
      await intervals.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );

  r.post(
    '/intervalaction',
    asyncRoute((req, res) => handleBatch(req, res, AddIntervalActionRequestSchema, async (item) => intervalActions.add(item.action))),
  );
  r.patch(
    '/intervalaction',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateIntervalActionRequestSchema, async (item) => {
        await intervalActions.update(item.action);
        return {};
      }),
    ),
  );
  r.get(
    '/intervalaction/all',
    asyncRoute(async (req, res) => {
      const query = listParams(req, maxResultCount);
      const page = await intervalActions.list({ offset: query.offset, limit: query.limit });
      checkOffset(query.offset, page.totalCount);
      sendOk(res, 200, { totalCount: page.totalCount, actions: page.items.map(intervalActionWire) });
    }),
  );
  r.get(
    '/intervalaction/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { action: intervalActionWire(await intervalActions.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/intervalaction/name/:name',
    asyncRoute(async (req, res) => {
      await intervalActions.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  return router;
}
