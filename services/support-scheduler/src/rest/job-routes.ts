import { Router } from 'express';
import { AddScheduleJobRequestSchema, UpdateScheduleJobRequestSchema, scheduleActionRecordWire, scheduleJobWire } from '@edgex-ts/contracts';
import { asyncRoute, checkOffset, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { SchedulerDomain } from '../domain/index.js';
import type { RecordQuery } from '../store/types.js';
import { listParams, pathParam, recordParams, statusParam } from './params.js';

/** EdgeX v4's /job and /scheduleactionrecord endpoints. */
export function jobRoutes(domain: SchedulerDomain, maxResultCount: number): Router {
  const router = Router();
  const r = restRoutes(router);

  r.post(
    '/job',
    asyncRoute((req, res) => handleBatch(req, res, AddScheduleJobRequestSchema, async (item) => domain.jobs.add(item.scheduleJob))),
  );
  r.patch(
    '/job',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateScheduleJobRequestSchema, async (item) => {
        await domain.jobs.update(item.scheduleJob);
        return {};
      }),
    ),
  );
  r.get(
    '/job/all',
    asyncRoute(async (req, res) => {
      const query = listParams(req, maxResultCount);
      const page = await domain.jobs.list(query);
      checkOffset(query.offset, page.totalCount);
      sendOk(res, 200, { totalCount: page.totalCount, scheduleJobs: page.items.map(scheduleJobWire) });
    }),
  );
  r.get(
    '/job/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { scheduleJob: scheduleJobWire(await domain.jobs.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/job/name/:name',
    asyncRoute(async (req, res) => {
      await domain.jobs.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );
  r.post(
    '/job/trigger/name/:name',
    asyncRoute(async (req, res) => {
      await domain.jobs.trigger(pathParam(req, 'name'));
      sendOk(res, 202, {});
    }),
  );

  const records = (filter: (req: Parameters<typeof pathParam>[0]) => Pick<RecordQuery, 'jobName' | 'status'>) =>
    asyncRoute(async (req, res) => {
      const query = { ...recordParams(req, maxResultCount), ...filter(req) };
      const page = await domain.records.list(query);
      checkOffset(query.offset, page.totalCount);
      sendOk(res, 200, { totalCount: page.totalCount, scheduleActionRecords: page.items.map(scheduleActionRecordWire) });
    });
  r.get(
    '/scheduleactionrecord/all',
    records(() => ({})),
  );
  r.get(
    '/scheduleactionrecord/status/:status',
    records((req) => ({ status: statusParam(req) })),
  );
  r.get(
    '/scheduleactionrecord/job/name/:name',
    records((req) => ({ jobName: pathParam(req, 'name') })),
  );
  r.get(
    '/scheduleactionrecord/job/name/:name/status/:status',
    records((req) => ({ jobName: pathParam(req, 'name'), status: statusParam(req) })),
  );
  r.get(
    '/scheduleactionrecord/latest/job/name/:name',
    asyncRoute(async (req, res) => {
      const latest = await domain.records.latestOfJob(pathParam(req, 'name'));
      sendOk(res, 200, { totalCount: latest.length, scheduleActionRecords: latest.map(scheduleActionRecordWire) });
    }),
  );
  return router;
}
