import type { Express } from 'express';
import { API_BASE } from '@edgex-ts/runtime';
import type { SchedulerDomain } from '../domain/index.js';
import { intervalRoutes } from './interval-routes.js';
import { jobRoutes } from './job-routes.js';

export interface RestOptions {
  /** Service.MaxResultCount. */
  maxResultCount: number;
}

/** Mounts EdgeX v3's interval API and EdgeX v4's job API under /api/v3. */
export function mountRestRoutes(app: Express, domain: SchedulerDomain, opts: RestOptions): void {
  app.use(API_BASE, intervalRoutes(domain, opts.maxResultCount));
  app.use(API_BASE, jobRoutes(domain, opts.maxResultCount));
}
