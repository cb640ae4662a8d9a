import type { Express } from 'express';
import { API_BASE } from '@edgex-ts/runtime';
import type { NotificationsDomain } from '../domain/index.js';
import { notificationRoutes } from './notification-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { transmissionRoutes } from './transmission-routes.js';

/** Mounts the EdgeX v3 support-notifications API (with EdgeX v4's additions) under /api/v3. */
export function mountRestRoutes(app: Express, domain: NotificationsDomain, opts: { maxResultCount: number }): void {
  app.use(API_BASE, subscriptionRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, notificationRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, transmissionRoutes(domain, opts.maxResultCount));
}
