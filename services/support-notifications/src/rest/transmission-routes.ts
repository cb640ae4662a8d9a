import { Router, type Request } from 'express';
import { transmissionWire } from '@edgex-ts/contracts';
import { asyncRoute, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { NotificationsDomain } from '../domain/index.js';
import type { PageOf, Paging } from '../store/types.js';
import type { Transmission } from '@edgex-ts/contracts';
import { ageParam, checked, paging, pathParam, timeRange, transmissionStatusParam } from './params.js';

/** /transmission: EdgeX v3 support-notifications transmission endpoints. */
export function transmissionRoutes(domain: NotificationsDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const transmissions = domain.transmissions;

  const list = (query: (req: Request, p: Paging) => Promise<PageOf<Transmission>>) =>
    asyncRoute(async (req, res) => {
      const p = paging(req, maxResultCount);
      const page = checked(await query(req, p), p);
      sendOk(res, 200, { totalCount: page.totalCount, transmissions: page.items.map(transmissionWire) });
    });
  r.get(
    '/transmission/id/:id',
    asyncRoute(async (req, res) => sendOk(res, 200, { transmission: transmissionWire(await transmissions.byId(pathParam(req, 'id'))) })),
  );
  r.get(
    '/transmission/all',
    list((_req, p) => transmissions.list({}, p)),
  );
  r.get(
    '/transmission/start/:start/end/:end',
    list((req, p) => transmissions.list(timeRange(req), p)),
  );
  r.get(
    '/transmission/status/:status',
    list((req, p) => transmissions.list({ status: transmissionStatusParam(req) }, p)),
  );
  r.get(
    '/transmission/subscription/name/:name',
    list((req, p) => transmissions.bySubscriptionName(pathParam(req, 'name'), p)),
  );
  r.get(
    '/transmission/notification/id/:id',
    list((req, p) => transmissions.byNotificationId(pathParam(req, 'id'), p)),
  );
  r.delete(
    '/transmission/age/:age',
    asyncRoute(async (req, res) => {
      await transmissions.deleteByAge(ageParam(req));
      sendOk(res, 202, {});
    }),
  );
  return router;
}
