import { decodeCborDto, EdgeXError, eventWire, isCborContentType, readingWire } from '@edgex-ts/contracts';
import { API_BASE, asyncRoute, parseNs, parsePaging, restRoutes, sendOk } from '@edgex-ts/runtime';
import express, { Router, type Express, type Request } from 'express';
import type { Event, Reading } from '@edgex-ts/contracts';
import { aggregateReadings, withNumericValue, type DataDomain } from '../domain/index.js';
import type { EventFilter, ReadingFilter } from '../store/types.js';
import { aggregateOption, numericOption, readingPaging } from './query-options.js';

export interface RestOptions {
  /** Service.MaxResultCount. */
  maxResultCount: number;
  /** Service.MaxRequestSize, KB: bounds CBOR bodies as the runtime's parser bounds JSON ones. */
  maxRequestSizeKb: number;
}

/** Mounts the EdgeX v3 core-data API (reference §2.1) under /api/v3. Handlers only translate; rules live in the domain. */
export function mountRestRoutes(app: Express, domain: DataDomain, { maxResultCount, maxRequestSizeKb }: RestOptions): void {
  const router = Router();
  const routes = restRoutes(router);
  const paging = (req: Request) => parsePaging(req.query, maxResultCount);
  const ns = (req: Request, name: string) => parseNs(String(req.params[name]), name); // exact: bigint beyond 2^53
  const range = (req: Request) => ({ start: ns(req, 'start'), end: ns(req, 'end') });
  const p = (req: Request, name: string) => String(req.params[name]);

  // ---- events ----
  // EdgeX's Go device SDK posts events with Binary readings as CBOR (Content-Type application/cbor).
  const cborBody = express.raw({ type: (req) => isCborContentType(req.headers['content-type']), limit: maxRequestSizeKb * 1024 });
  routes.post(
    '/event/:serviceName/:profileName/:deviceName/:sourceName',
    cborBody,
    asyncRoute(async (req, res) => {
      const request = domain.parseAddEventRequest(addEventBody(req));
      // The body's size: its Content-Length, or (sent chunked) the CBOR bytes read.
      const length = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : Buffer.isBuffer(req.body) ? req.body.length : NaN;
      const id = await domain.addEvent(request.event, {
        transport: 'rest',
        sizeBytes: Number.isFinite(length) ? length : undefined,
        serviceName: p(req, 'serviceName'),
        pathNames: { profileName: p(req, 'profileName'), deviceName: p(req, 'deviceName'), sourceName: p(req, 'sourceName') },
      });
      sendOk(res, 201, { id });
    }),
  );
  /** Events as asked: with `numeric=true` their numeric reading values as JSON numbers (EdgeX 4). */
  const eventsAsAsked = (req: Request) =>
    numericOption(req.query) ? (e: Event) => eventWire({ ...e, readings: e.readings.map(withNumericValue) }) : (e: Event) => eventWire(e);
  const events = (filterOf: (req: Request) => EventFilter) =>
    asyncRoute(async (req, res) => {
      const shape = eventsAsAsked(req);
      const { totalCount, events: found } = await domain.listEvents(filterOf(req), paging(req));
      sendOk(res, 200, { totalCount, events: found.map(shape) });
    });
  routes.get(
    '/event/all',
    events(() => ({})),
  );
  routes.get(
    '/event/id/:id',
    asyncRoute(async (req, res) => {
      const shape = eventsAsAsked(req);
      sendOk(res, 200, { event: shape(await domain.getEvent(p(req, 'id'))) });
    }),
  );
  routes.get(
    '/event/count',
    asyncRoute(async (_req, res) => sendOk(res, 200, countBody(await domain.countEvents({})))),
  );
  routes.get(
    '/event/count/device/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, countBody(await domain.countEvents({ deviceName: p(req, 'name') })))),
  );
  routes.get(
    '/event/device/name/:name',
    events((req) => ({ deviceName: p(req, 'name') })),
  );
  routes.get(
    '/event/start/:start/end/:end',
    events((req) => range(req)),
  );
  routes.delete(
    '/event/id/:id',
    asyncRoute(async (req, res) => {
      await domain.deleteEvent(p(req, 'id'));
      sendOk(res, 200, {});
    }),
  );
  routes.delete(
    '/event/device/name/:name',
    asyncRoute(async (req, res) => {
      const name = p(req, 'name');
      // EdgeX deletes in the background and answers 202 at once.
      domain.deleteEventsByDevice(name).catch((err: unknown) => res.app.locals.log?.error({ err, device: name }, 'delete by device failed'));
      sendOk(res, 202, {});
    }),
  );
  routes.delete(
    '/event/age/:age',
    asyncRoute(async (req, res) => {
      const age = ns(req, 'age');
      if (age < 0) throw new EdgeXError('ContractInvalid', `age: must not be negative, got ${age}`);
      domain.deleteEventsByAge(age).catch((err: unknown) => res.app.locals.log?.error({ err, age }, 'delete by age failed'));
      sendOk(res, 202, {});
    }),
  );

  // ---- readings ----
  // EdgeX 4's options: aggregateFunc (one aggregated reading per device/profile/resource/value type),
  // numeric (values as JSON numbers), offset=-1 (no totalCount).
  const listReadings = domain.listReadings.bind(domain);
  const readings = (filterOf: (req: Request) => ReadingFilter) =>
    asyncRoute(async (req, res) => {
      const filter = filterOf(req);
      const numeric = numericOption(req.query);
      const aggregate = aggregateOption(req.query);
      const { page, countTotal } = readingPaging(req.query, maxResultCount);
      if (aggregate) {
        const aggregated = await aggregateReadings(listReadings, filter, aggregate.fn, page, maxResultCount);
        sendOk(res, 200, { aggregateFunc: aggregate.given, readings: aggregated });
        return;
      }
      const { totalCount, readings: found } = await domain.listReadings(filter, page);
      const shape = numeric ? (r: Reading) => readingWire(withNumericValue(r)) : readingWire;
      sendOk(res, 200, { totalCount: countTotal ? totalCount : 0, readings: found.map(shape) });
    });
  routes.get(
    '/reading/all',
    readings(() => ({})),
  );
  routes.get(
    '/reading/count',
    asyncRoute(async (_req, res) => sendOk(res, 200, countBody(await domain.countReadings({})))),
  );
  routes.get(
    '/reading/count/device/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, countBody(await domain.countReadings({ deviceName: p(req, 'name') })))),
  );
  routes.get(
    '/reading/device/name/:name',
    readings((req) => ({ deviceName: p(req, 'name') })),
  );
  routes.get(
    '/reading/resourceName/:resourceName',
    readings((req) => ({ resourceNames: [p(req, 'resourceName')] })),
  );
  routes.get(
    '/reading/device/name/:deviceName/resourceName/:resourceName',
    readings((req) => ({ deviceName: p(req, 'deviceName'), resourceNames: [p(req, 'resourceName')] })),
  );
  routes.get(
    '/reading/start/:start/end/:end',
    readings((req) => range(req)),
  );
  routes.get(
    '/reading/resourceName/:resourceName/start/:start/end/:end',
    readings((req) => ({ resourceNames: [p(req, 'resourceName')], ...range(req) })),
  );
  routes.get(
    '/reading/device/name/:deviceName/resourceName/:resourceName/start/:start/end/:end',
    readings((req) => ({ deviceName: p(req, 'deviceName'), resourceNames: [p(req, 'resourceName')], ...range(req) })),
  );
  routes.get(
    '/reading/device/name/:deviceName/start/:start/end/:end',
    readings((req) => ({ deviceName: p(req, 'deviceName'), resourceNames: resourceNamesOf(req.body), ...range(req) })),
  );

  app.use(API_BASE, router);
}

/**
 * EdgeX's CountResponse, readable by clients of EdgeX 3.1 and 4.0: 3.1 (go-mod-core-contracts v3.1) writes the
 * key `Count` (no JSON tag), 4.0 (v4) writes `count`. Go clients of either match keys case-insensitively, but
 * other clients do not, so both keys are sent with the same value.
 */
function countBody(count: number): { count: number; Count: number } {
  return { count, Count: count };
}

/** The AddEventRequest of a POST in its JSON shape, whether it came as JSON or as CBOR. */
function addEventBody(req: Request): unknown {
  if (Buffer.isBuffer(req.body)) {
    if (req.body.length === 0) throw new EdgeXError('ContractInvalid', 'request body is missing: expected an AddEventRequest in CBOR');
    return decodeCborDto(req.body, 'request body');
  }
  if (req.body === undefined) throw new EdgeXError('ContractInvalid', 'request body is missing: expected an AddEventRequest JSON object');
  return req.body;
}

/** Optional GET body `{"resourceNames":["a","b"]}`. */
function resourceNamesOf(body: unknown): string[] | undefined {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return undefined;
  const names = (body as { resourceNames?: unknown }).resourceNames;
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n.trim() !== '')) {
    throw new EdgeXError('ContractInvalid', 'resourceNames: expected an array of non-blank strings');
  }
  return names as string[];
}
