import { EdgeXError, httpStatusOf, LogEntrySchema, logEntryV1Wire, parseDto } from '@edgex-ts/contracts';
import { EDGEX_TS_VERSION, restRoutes, sendJson, type CommonConfig } from '@edgex-ts/runtime';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { checkLogFilter, type LoggingDomain } from '../domain/index.js';
import type { LogFilter } from '../store/types.js';
import { commaList, nonNegativeInteger } from './params.js';

/** EdgeX 1.x's base path. */
export const API_V1 = '/api/v1';

/** EdgeX 1.x answers errors as plain text with the status. */
function v1Route(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res) => {
    fn(req, res).catch((err: unknown) => {
      const status = err instanceof EdgeXError ? httpStatusOf(err.kind) : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) (res.app.locals.log as { error?: (o: object, m: string) => void } | undefined)?.error?.({ err }, 'request failed');
      res.status(status).type('text/plain').send(message);
    });
  };
}

/**
 * The filter of an EdgeX 1.x path: `{services}`, `{keywords}`, `{levels}` comma-separated; `{start}`/`{end}` in ms
 * where 0 means unbounded (both inclusive); `{age}` = older than that many ms.
 */
function filterOf(params: Record<string, string | undefined>): LogFilter {
  const start = params.start === undefined ? 0 : nonNegativeInteger(params.start, 'start');
  const end = params.end === undefined ? 0 : nonNegativeInteger(params.end, 'end');
  const filter: LogFilter = {
    originServices: commaList(params.services),
    keywords: commaList(params.keywords),
    logLevels: commaList(params.levels),
    start: start > 0 ? start : undefined,
    end: end > 0 ? end : undefined,
  };
  return checkLogFilter(filter, { logLevels: 'logLevels', start: 'start', end: 'end' });
}

/** `{limit}` capped at Service.MaxResultCount; 0 or absent = MaxResultCount (EdgeX 1.x's checkMaxLimitCount). */
function limitOf(params: Record<string, string | undefined>, maxResultCount: number): number {
  const limit = params.limit === undefined ? 0 : nonNegativeInteger(params.limit, 'limit');
  return limit === 0 || limit > maxResultCount ? maxResultCount : limit;
}

/** EdgeX 1.x (Edinburgh) support-logging routes, exactly as its router has them, under /api/v1. */
export function v1Routes(domain: LoggingDomain, config: CommonConfig): Router {
  const router = Router();
  const routes = restRoutes(router);
  const maxResultCount = config.Service.MaxResultCount;

  routes.get(`${API_V1}/ping`, (_req, res) => {
    res.type('text/plain').send('pong');
  });
  routes.get(`${API_V1}/version`, (_req, res) => sendJson(res, 200, { version: EDGEX_TS_VERSION }));

  routes.post(
    `${API_V1}/logs`,
    v1Route(async (req, res) => {
      const entry = parseDto(LogEntrySchema, req.body, 'logEntry');
      await domain.add([entry], { stampNow: true });
      res.status(202).end();
    }),
  );

  const list = v1Route(async (req, res) => {
    const params = req.params as Record<string, string | undefined>;
    const filter = filterOf(params);
    const { entries } = await domain.query(filter, { offset: 0, limit: limitOf(params, maxResultCount) }, 'oldest-first');
    sendJson(res, 200, entries.map(logEntryV1Wire));
  });
  const remove = v1Route(async (req, res) => {
    const params = req.params as Record<string, string | undefined>;
    const removed = params.age !== undefined ? await domain.removeOlderThan(nonNegativeInteger(params.age, 'age')) : await domain.remove(filterOf(params));
    res.status(200).type('text/plain').send(String(removed));
  });

  const logs = `${API_V1}/logs`;
  routes.get(logs, list);
  routes.get(`${logs}/:limit`, list);
  routes.get(`${logs}/:start/:end/:limit`, list);
  routes.get(`${logs}/originServices/:services/:start/:end/:limit`, list);
  routes.get(`${logs}/keywords/:keywords/:start/:end/:limit`, list);
  routes.get(`${logs}/logLevels/:levels/:start/:end/:limit`, list);
  routes.get(`${logs}/logLevels/:levels/originServices/:services/:start/:end/:limit`, list);

  routes.delete(`${logs}/:start/:end`, remove);
  routes.delete(`${logs}/keywords/:keywords/:start/:end`, remove);
  routes.delete(`${logs}/originServices/:services/:start/:end`, remove);
  routes.delete(`${logs}/logLevels/:levels/:start/:end`, remove);
  routes.delete(`${logs}/logLevels/:levels/originServices/:services/:start/:end`, remove);
  routes.delete(`${logs}/removeold/age/:age`, remove);
  return router;
}
