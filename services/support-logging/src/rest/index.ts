import { API_BASE, type CommonConfig } from '@edgex-ts/runtime';
import type { Express } from 'express';
import type { LoggingDomain } from '../domain/index.js';
import { v1Routes } from './v1.js';
import { v3Routes } from './v3.js';

/** EdgeX 1.x's /api/v1/logs routes and the v3-style /api/v3/log routes. */
export function mountRestRoutes(app: Express, domain: LoggingDomain, config: CommonConfig): void {
  app.use(v1Routes(domain, config));
  app.use(API_BASE, v3Routes(domain, config.Service.MaxResultCount));
}
