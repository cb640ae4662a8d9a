import { eventWire } from '@edgex-ts/contracts';
import { Router, type Express } from 'express';
import { API_BASE, asyncRoute, CONTENT_TYPE_JSON, parsePaging, restRoutes, sendOk } from '@edgex-ts/runtime';
import { commandOptionsOf, type CommandDomain } from '../domain/index.js';
import { pathParam, queryParams, settingsBody } from './params.js';

function idsOf(locals: Record<string, unknown>): { correlationID?: string } {
  return typeof locals.correlationId === 'string' && locals.correlationId !== '' ? { correlationID: locals.correlationId } : {};
}

export interface RestOptions {
  /** Service.MaxResultCount. */
  maxResultCount: number;
}

/** Mounts the EdgeX v3 core-command API (reference §2.3) under /api/v3. */
export function mountRestRoutes(app: Express, domain: CommandDomain, { maxResultCount }: RestOptions): void {
  const router = Router();
  const r = restRoutes(router);

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
      const { event } = await domain.issueGet(pathParam(req, 'name'), pathParam(req, 'command'), opts, idsOf(res.locals));
      // ds-returnevent=false (or a device service that returned no event): 200 with an empty body and, as
      // EdgeX's core-command writes every answer's header, Content-Type application/json.
      if (event === undefined) res.status(200).setHeader('Content-Type', CONTENT_TYPE_JSON).end();
      // A CBOR answer (Binary readings) reaches REST clients as JSON, binaryValue in base64: EdgeX decodes it too.
      else sendOk(res, 200, { event: eventWire(event) });
    }),
  );
  r.put(
    '/device/name/:name/:command',
    asyncRoute(async (req, res) => {
      const opts = commandOptionsOf(queryParams(req));
      const values = settingsBody(req);
      await domain.issueSet(pathParam(req, 'name'), pathParam(req, 'command'), values, opts, idsOf(res.locals));
      sendOk(res, 200, {});
    }),
  );

  app.use(API_BASE, router);
}
