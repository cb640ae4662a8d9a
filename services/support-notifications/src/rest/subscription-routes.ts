import { Router, type Request } from 'express';
import { AddSubscriptionRequestSchema, subscriptionWire, UpdateSubscriptionRequestSchema } from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { NotificationsDomain } from '../domain/index.js';
import type { SubscriptionFilter } from '../store/types.js';
import { checked, paging, pathParam } from './params.js';

/** /subscription: EdgeX v3 support-notifications subscription endpoints. */
export function subscriptionRoutes(domain: NotificationsDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const subs = domain.subscriptions;

  r.post(
    '/subscription',
    asyncRoute((req, res) => handleBatch(req, res, AddSubscriptionRequestSchema, async (item) => ({ id: await subs.add(item.subscription) }))),
  );
  r.patch(
    '/subscription',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateSubscriptionRequestSchema, async (item) => {
        await subs.update(item.subscription);
        return {};
      }),
    ),
  );
  const list = (filterOf: (req: Request) => SubscriptionFilter) =>
    asyncRoute(async (req, res) => {
      const p = paging(req, maxResultCount);
      const page = checked(await subs.list(filterOf(req), p), p);
      sendOk(res, 200, { totalCount: page.totalCount, subscriptions: page.items.map(subscriptionWire) });
    });
  r.get(
    '/subscription/all',
    list(() => ({})),
  );
  r.get(
    '/subscription/category/:category',
    list((req) => ({ category: pathParam(req, 'category') })),
  );
  r.get(
    '/subscription/label/:label',
    list((req) => ({ label: pathParam(req, 'label') })),
  );
  r.get(
    '/subscription/receiver/:receiver',
    list((req) => ({ receiver: pathParam(req, 'receiver') })),
  );
  r.get(
    '/subscription/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { subscription: subscriptionWire(await subs.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/subscription/name/:name',
    asyncRoute(async (req, res) => {
      await subs.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  return router;
}
