import { Router, type Express } from 'express';
import { API_BASE, asyncRoute, parsePaging, sendOk } from '@edgex-ts/sdk/runtime';
import { commandOptionsOf, type CommandDomain } from '../domain/index.js';
import { pathParam, queryParams, settingsBody } from './params.js';

function correlationOf(locals: Record<string, unknown>): string | undefined {
  return typeof locals.correlationId === 'string' && locals.correlationId !== '' ? locals.correlationId : undefined;
}

/** The EdgeX v3 core-command API (reference §2.3) under /api/v3. */
export function mountCommandRoutes(app: Express, domain: CommandDomain, maxResultCount: number): void {
  const r = Router();

  r.get(
    '/device/all',
    asyncRoute(async (req, res) => {
      const { deviceCoreCommands, totalCount } = await domain.list(parsePaging(req.query, maxResultCount));
      sendOk(res, 200, { totalCount, deviceCoreCommands });
    }),
  );
  r.get(
    '/device/name/:name',
    asyncRoute(async (req, res) => {
      sendOk(res, 200, { deviceCoreCommand: await domain.byDeviceName(pathParam(req, 'name')) });
    }),
  );
  r.get(
    '/device/name/:name/:command',
    asyncRoute(async (req, res) => {
      const opts = commandOptionsOf(queryParams(req));
      const event = await domain.issueGet(pathParam(req, 'name'), pathParam(req, 'command'), opts, correlationOf(res.locals));
      // ds-returnevent=false (or a device service that returned no event): 200 with an empty body, as EdgeX.
      if (event === undefined) res.status(200).end();
      else sendOk(res, 200, { event });
    }),
  );
  r.put(
    '/device/name/:name/:command',
    asyncRoute(async (req, res) => {
      const opts = commandOptionsOf(queryParams(req));
      const values = settingsBody(req);
      await domain.issueSet(pathParam(req, 'name'), pathParam(req, 'command'), values, opts, correlationOf(res.locals));
      sendOk(res, 200, {});
    }),
  );

  app.use(API_BASE, r);
}
