import type { Collection, Filter } from 'mongodb';
import {
  EdgeXError,
  parseJson,
  STORED_JSON,
  stringifyJson,
  type Interval,
  type IntervalAction,
  type ScheduleActionRecord,
  type ScheduleJob,
} from '@edgex-ts/contracts';
import { ensureIndexes, isDuplicateKeyError, type MongoHandle } from '@edgex-ts/mongo';
import type { EntityStore, IntervalActionStore, RecordQuery, RecordStore, SchedulerStores, ScheduleStateStore } from '../types.js';

/** The DTO is kept as JSON text (`body`): user maps (properties) may hold keys MongoDB refuses as field names. */
interface EntityDocument {
  _id: string;
  name: string;
  created: number;
  labels: string[];
  ref: string;
  body: string;
}

interface RecordDocument {
  _id: string;
  jobName: string;
  status: string;
  scheduledAt: number;
  created: number;
  body: string;
}

interface Named {
  id?: string;
  name: string;
  created?: number;
  labels?: string[];
}

const parse = <T>(doc: { body: string } | null): T | undefined => (doc ? (parseJson(doc.body, STORED_JSON) as T) : undefined);

async function entityCollection<T extends Named>(mongo: MongoHandle, name: string, kind: string, refOf: (e: T) => string = () => ''): Promise<EntityStore<T>> {
  const col: Collection<EntityDocument> = mongo.db.collection<EntityDocument>(name);
  await ensureIndexes(mongo, col, [
    { key: { name: 1 }, name: 'name_unique', unique: true },
    { key: { created: 1, name: 1 }, name: 'created_name' },
    { key: { labels: 1 }, name: 'labels' },
    { key: { ref: 1, created: 1 }, name: 'ref_created' },
  ]);
  const doc = (e: T): EntityDocument => {
    if (!e.id) throw new EdgeXError('UnexpectedServerError', `${kind} ${e.name} has no id`);
    return { _id: e.id, name: e.name, created: e.created ?? 0, labels: e.labels ?? [], ref: refOf(e), body: stringifyJson(e) };
  };
  const projection = { projection: { body: 1 } };
  return {
    add: async (e) => {
      const d = doc(e);
      await mongo.run(`add ${kind} ${e.name}`, async (attempt) => {
        try {
          await col.insertOne(d);
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          // A retry may meet its own first attempt, stored before the reply was lost.
          if (attempt > 1 && (await col.findOne({ _id: d._id }))?.body === d.body) return;
          const what = (await col.countDocuments({ _id: d._id })) > 0 ? `id ${e.id}` : `name ${e.name}`;
          throw new EdgeXError('DuplicateName', `${kind} ${what} already exists`, err);
        }
      });
    },
    update: async (e) => {
      const d = doc(e);
      return mongo.run(`update ${kind} ${e.name}`, async () => {
        try {
          return (await col.replaceOne({ _id: d._id }, d)).matchedCount > 0;
        } catch (err) {
          if (isDuplicateKeyError(err)) throw new EdgeXError('DuplicateName', `${kind} name ${e.name} already exists`, err);
          throw err;
        }
      });
    },
    byName: async (n) => parse<T>(await mongo.run(`read ${kind} ${n}`, () => col.findOne({ name: n }, projection))),
    byId: async (id) => parse<T>(await mongo.run(`read ${kind} ${id}`, () => col.findOne({ _id: id }, projection))),
    deleteByName: async (n) => (await mongo.run(`delete ${kind} ${n}`, () => col.deleteOne({ name: n }))).deletedCount > 0,
    list: async (q) => {
      const filter: Filter<EntityDocument> = q.labels?.length ? { labels: { $all: q.labels } } : {};
      const totalCount = await mongo.run(`count ${kind}s`, () => col.countDocuments(filter));
      if (q.limit === 0 || q.offset >= totalCount) return { totalCount, items: [] };
      const docs = await mongo.run(`list ${kind}s`, () => {
        const cursor = col.find(filter, projection).sort({ created: 1, name: 1 }).skip(q.offset);
        return (q.limit > 0 ? cursor.limit(q.limit) : cursor).toArray();
      });
      return { totalCount, items: docs.map((d) => parse<T>(d)!) };
    },
  };
}

async function recordCollection(mongo: MongoHandle): Promise<RecordStore> {
  const col = mongo.db.collection<RecordDocument>('action_record');
  await ensureIndexes(mongo, col, [
    { key: { created: 1, scheduledAt: 1 }, name: 'created_scheduled' },
    { key: { jobName: 1, created: 1 }, name: 'job_created' },
    { key: { status: 1, created: 1 }, name: 'status_created' },
  ]);
  const filterOf = (q: Omit<RecordQuery, 'offset' | 'limit'>): Filter<RecordDocument> => {
    const f: Filter<RecordDocument> = {};
    if (q.jobName !== undefined) f.jobName = q.jobName;
    if (q.status !== undefined) f.status = q.status;
    if (q.start !== undefined || q.end !== undefined) {
      f.created = { ...(q.start !== undefined ? { $gte: q.start } : {}), ...(q.end !== undefined ? { $lte: q.end } : {}) };
    }
    return f;
  };
  const projection = { projection: { body: 1 } };
  return {
    add: async (records) => {
      if (records.length === 0) return;
      const docs = records.map((r) => ({
        _id: r.id!,
        jobName: r.jobName,
        status: r.status,
        scheduledAt: r.scheduledAt,
        created: r.created,
        body: stringifyJson(r),
      }));
      await mongo.run('add schedule action records', async () => {
        try {
          await col.insertMany(docs, { ordered: false });
        } catch (err) {
          // A retry meeting records its first attempt stored: those are in, the rest went in with them.
          if (!isDuplicateKeyError(err)) throw err;
        }
      });
    },
    list: async (q) => {
      const filter = filterOf(q);
      const totalCount = await mongo.run('count schedule action records', () => col.countDocuments(filter));
      if (q.limit === 0 || q.offset >= totalCount) return { totalCount, items: [] };
      const docs = await mongo.run('list schedule action records', () => {
        const cursor = col.find(filter, projection).sort({ created: -1, scheduledAt: -1 }).skip(q.offset);
        return (q.limit > 0 ? cursor.limit(q.limit) : cursor).toArray();
      });
      return { totalCount, items: docs.map((d) => parse<ScheduleActionRecord>(d)!) };
    },
    latestOfJob: async (jobName) => {
      const newest = await mongo.run(`latest records of ${jobName}`, () =>
        col
          .find({ jobName }, { projection: { created: 1 } })
          .sort({ created: -1 })
          .limit(1)
          .toArray(),
      );
      if (newest.length === 0) return [];
      const docs = await mongo.run(`latest records of ${jobName}`, () =>
        col.find({ jobName, created: newest[0].created }, projection).sort({ scheduledAt: 1 }).toArray(),
      );
      return docs.map((d) => parse<ScheduleActionRecord>(d)!);
    },
    count: async () => mongo.run('count schedule action records', () => col.countDocuments({})),
    deleteOldest: async (count) => {
      const oldest = await mongo.run('find oldest records', () =>
        col
          .find({}, { projection: { _id: 1 } })
          .sort({ created: 1, scheduledAt: 1 })
          .limit(count)
          .toArray(),
      );
      if (oldest.length === 0) return 0;
      const res = await mongo.run('delete oldest records', () => col.deleteMany({ _id: { $in: oldest.map((d) => d._id) } }));
      return res.deletedCount;
    },
  };
}

function stateCollection(mongo: MongoHandle): ScheduleStateStore {
  const state = mongo.db.collection<{ _id: string; lastRun: number }>('schedule_state');
  const seeded = mongo.db.collection<{ _id: string }>('schedule_seeded');
  return {
    lastRun: async (key) => (await mongo.run(`read last run of ${key}`, () => state.findOne({ _id: key })))?.lastRun,
    setLastRun: async (key, at) => {
      await mongo.run(`save last run of ${key}`, () => state.updateOne({ _id: key }, { $set: { lastRun: at } }, { upsert: true }));
    },
    forget: async (key) => {
      await mongo.run(`forget ${key}`, () => state.deleteOne({ _id: key }));
    },
    wasSeeded: async (kind, name) => (await mongo.run('read seeded', () => seeded.countDocuments({ _id: `${kind}/${name}` }))) > 0,
    markSeeded: async (kind, name) => {
      await mongo.run('mark seeded', () => seeded.updateOne({ _id: `${kind}/${name}` }, { $set: {} }, { upsert: true }));
    },
  };
}

/** Every store over one MongoDB database (opened with openMongo), indexes created; close() closes the connection. */
export async function mongoSchedulerStores(mongo: MongoHandle): Promise<SchedulerStores> {
  const intervalActions = await entityCollection<IntervalAction>(mongo, 'interval_action', 'interval action', (a) => a.intervalName);
  const actionsCol = mongo.db.collection<EntityDocument>('interval_action');
  const byInterval: IntervalActionStore['byInterval'] = async (name) => {
    const docs = await mongo.run(`actions of interval ${name}`, () =>
      actionsCol
        .find({ ref: name }, { projection: { body: 1 } })
        .sort({ created: 1, name: 1 })
        .toArray(),
    );
    return docs.map((d) => parse<IntervalAction>(d)!);
  };
  return {
    intervals: await entityCollection<Interval>(mongo, 'interval', 'interval'),
    intervalActions: { ...intervalActions, byInterval },
    jobs: await entityCollection<ScheduleJob>(mongo, 'schedule_job', 'schedule job'),
    records: await recordCollection(mongo),
    state: stateCollection(mongo),
    close: () => mongo.close(),
  };
}
