import { Router, type Request } from 'express';
import { AddNotificationRequestSchema, GetNotificationRequestSchema, notificationWire, parseDto } from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { NotificationsDomain } from '../domain/index.js';
import type { NotificationFilter } from '../store/types.js';
import { ackParam, ageParam, checked, idsParam, notificationStatusParam, paging, pathParam, timeRange } from './params.js';

/** /notification and /cleanup: EdgeX v3 support-notifications notification endpoints, with EdgeX v4's acknowledgement and delete by ids. */
export function notificationRoutes(domain: NotificationsDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const notifications = domain.notifications;

  r.post(
    '/notification',
    asyncRoute((req, res) => handleBatch(req, res, AddNotificationRequestSchema, async (item) => ({ id: await notifications.add(item.notification) }))),
  );
  const list = (filterOf: (req: Request) => NotificationFilter) =>
    asyncRoute(async (req, res) => {
      const p = paging(req, maxResultCount);
      const page = checked(await notifications.list({ ...filterOf(req), acknowledged: ackParam(req) }, p), p);
      sendOk(res, 200, { totalCount: page.totalCount, notifications: page.items.map(notificationWire) });
    });
  // EdgeX v4: the query in the body, {queryCondition: {category: [...], start, end}}; no body = every notification.
  r.get(
    '/notification',
    list((req) => {
      const { queryCondition } = parseDto(GetNotificationRequestSchema, req.body ?? {}, 'request');
      return { categories: queryCondition.category, start: queryCondition.start, end: queryCondition.end };
    }),
  );
  r.get('/notification/start/:start/end/:end', list(timeRange));
  r.get(
    '/notification/category/:category',
    list((req) => ({ category: pathParam(req, 'category') })),
  );
  r.get(
    '/notification/label/:label',
    list((req) => ({ label: pathParam(req, 'label') })),
  );
  r.get(
    '/notification/status/:status',
    list((req) => ({ status: notificationStatusParam(req) })),
  );
  r.get(
    '/notification/subscription/name/:name',
    asyncRoute(async (req, res) => {
      const p = paging(req, maxResultCount);
      const page = checked(await notifications.bySubscriptionName(pathParam(req, 'name'), p, ackParam(req)), p);
      sendOk(res, 200, { totalCount: page.totalCount, notifications: page.items.map(notificationWire) });
    }),
  );
  r.get(
    '/notification/id/:id',
    asyncRoute(async (req, res) => sendOk(res, 200, { notification: notificationWire(await notifications.byId(pathParam(req, 'id'))) })),
  );
  r.delete(
    '/notification/id/:id',
    asyncRoute(async (req, res) => {
      await notifications.deleteByIds([pathParam(req, 'id')]);
      sendOk(res, 200, {});
    }),
  );
  r.delete(
    '/notification/ids/:ids',
    asyncRoute(async (req, res) => {
      await notifications.deleteByIds(idsParam(req));
      sendOk(res, 200, {});
    }),
  );
  r.put(
    '/notification/acknowledge/ids/:ids',
    asyncRoute(async (req, res) => {
      await notifications.setAcknowledged(idsParam(req), true);
      sendOk(res, 200, {});
    }),
  );
  r.put(
    '/notification/unacknowledge/ids/:ids',
    asyncRoute(async (req, res) => {
      await notifications.setAcknowledged(idsParam(req), false);
      sendOk(res, 200, {});
    }),
  );
  r.delete(
    '/notification/age/:age',
    asyncRoute(async (req, res) => {
      await notifications.deleteProcessedByAge(ageParam(req));
      sendOk(res, 202, {});
    }),
  );
  r.delete(
    '/cleanup',
    asyncRoute(async (_req, res) => {
      await notifications.cleanupByAge(0);
      sendOk(res, 202, {});
    }),
  );
  r.delete(
    '/cleanup/age/:age',
    asyncRoute(async (req, res) => {
      await notifications.cleanupByAge(ageParam(req));
      sendOk(res, 202, {});
    }),
  );
  return router;
}
