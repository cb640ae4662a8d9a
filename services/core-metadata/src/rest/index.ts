import type { Express } from 'express';
import { API_BASE } from '@edgex-ts/runtime';
import { correlationScope } from '../correlation.js';
import type { MetadataDomain, UnitsOfMeasure } from '../domain/index.js';
import { deviceProfileRoutes } from './device-profile-routes.js';
import { deviceRoutes } from './device-routes.js';
import { deviceServiceRoutes } from './device-service-routes.js';
import { provisionWatcherRoutes } from './provision-watcher-routes.js';
import { unitsOfMeasureRoutes } from './uom-routes.js';

export interface RestOptions {
  /** Service.MaxResultCount. */
  maxResultCount: number;
  /** Largest accepted profile upload, bytes. */
  maxUploadBytes: number;
  /** Served on GET /uom. */
  unitsOfMeasure: UnitsOfMeasure;
}

/** Mounts the EdgeX v3 core-metadata API under /api/v3. */
export function mountRestRoutes(app: Express, domain: MetadataDomain, opts: RestOptions): void {
  app.use(API_BASE, correlationScope());
  app.use(API_BASE, deviceServiceRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, deviceProfileRoutes(domain, opts.maxResultCount, opts.maxUploadBytes));
  app.use(API_BASE, deviceRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, provisionWatcherRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, unitsOfMeasureRoutes(opts.unitsOfMeasure));
}
