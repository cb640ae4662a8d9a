import { AddLogEntryRequestSchema, EdgeXError, parseDto } from '@edgex-ts/contracts';
import { API_VERSION, asyncRoute, checkOffset, parsePaging, restRoutes, sendJson, sendOk } from '@edgex-ts/runtime';
import { Router } from 'express';
import { checkLogFilter, type LoggingDomain } from '../domain/index.js';
import type { LogFilter } from '../store/types.js';
import { commaList, nonNegativeInteger } from './params.js';

/** Query filters of `GET /log/all`: service, level, keyword (comma-separated, repeatable), start and end in ms (inclusive). */
function filterOf(query: Record<string, unknown>): LogFilter {
  const filter: LogFilter = {
    originServices: commaList(query.service),
    logLevels: commaList(query.level),
    keywords: commaList(query.keyword),
    start: query.start === undefined ? undefined : nonNegativeInteger(query.start, 'start'),
    end: query.end === undefined ? undefined : nonNegativeInteger(query.end, 'end'),
  };
  return checkLogFilter(filter, { logLevels: 'level', start: 'start', end: 'end' });
}

/** The EdgeX-v3-style API (mounted under /api/v3): batch add, query with paging, delete by age. */
export function v3Routes(domain: LoggingDomain, maxResultCount: number): Router {
  const router = Router();
  const routes = restRoutes(router);

  // A batch as EdgeX v3 batches are: every item valid or one 400 naming it; then all stored at once, 207 per item.
  routes.post(
    '/log',
    asyncRoute(async (req, res) => {
      const body: unknown = req.body === null ? [] : req.body;
      if (!Array.isArray(body)) throw new EdgeXError('ContractInvalid', 'request body must be a JSON array of AddLogEntryRequest');
      const items = body.map((raw: unknown, i) => parseDto(AddLogEntryRequestSchema, raw, `request[${i}]`));
      const stored = await domain.add(items.map((item) => item.logEntry));
      const answers = stored.map((e, i) => ({
        apiVersion: API_VERSION,
        ...(items[i].requestId ? { requestId: items[i].requestId } : {}),
        statusCode: 201,
        id: e.id,
      }));
      sendJson(res, 207, answers.length ? answers : null);
    }),
  );

  routes.get(
    '/log/all',
    asyncRoute(async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const filter = filterOf(query);
      const page = parsePaging(query, maxResultCount);
      const { entries, totalCount } = await domain.query(filter, page, 'newest-first');
      checkOffset(page.offset, totalCount);
      sendOk(res, 200, { totalCount, logEntries: entries });
    }),
  );

  routes.delete(
    '/log/age/:age',
    asyncRoute(async (req, res) => {
      const removed = await domain.removeOlderThan(nonNegativeInteger(req.params.age, 'age'));
      sendOk(res, 200, { removedCount: removed });
    }),
  );
  return router;
}
