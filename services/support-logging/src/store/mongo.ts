import { parseJson, STORED_JSON, stringifyJson, type LogEntry, type LogEntryLevel } from '@edgex-ts/contracts';
import { ensureIndexes, insertBatch, type MongoHandle } from '@edgex-ts/mongo';
import type { Collection, Filter } from 'mongodb';
import { argsText, type LogFilter, type LogStore, type SortOrder } from './types.js';

/** EdgeX 1.x's collection name. */
export const LOG_COLLECTION = 'logEntries';

interface LogDocument {
  _id: string;
  originService: string;
  logLevel: string;
  message: string;
  /** JSON text: args may hold integers beyond 2^53 that must come back exact. */
  argsJson: string;
  argsText: string;
  created: number;
}

function entryOf(doc: LogDocument): LogEntry {
  return {
    id: doc._id,
    originService: doc.originService,
    logLevel: doc.logLevel as LogEntryLevel,
    message: doc.message,
    args: parseJson(doc.argsJson, STORED_JSON) as unknown[],
    created: doc.created,
  };
}

function documentOf(e: LogEntry): LogDocument {
  return {
    _id: e.id,
    originService: e.originService,
    logLevel: e.logLevel,
    message: e.message,
    argsJson: stringifyJson(e.args),
    argsText: argsText(e.args),
    created: e.created,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function queryOf(filter: LogFilter): Filter<LogDocument> {
  const and: Filter<LogDocument>[] = [];
  if (filter.originServices?.length) and.push({ originService: { $in: filter.originServices } });
  if (filter.logLevels?.length) and.push({ logLevel: { $in: filter.logLevels } });
  if (filter.keywords?.length) {
    and.push({
      $or: filter.keywords.flatMap((k) => {
        const pattern = { $regex: escapeRegex(k) };
        return [{ message: pattern }, { argsText: pattern }];
      }),
    });
  }
  if (filter.start !== undefined) and.push({ created: { $gte: filter.start } });
  if (filter.end !== undefined) and.push({ created: { $lte: filter.end } });
  return and.length ? { $and: and } : {};
}

/**
 * Log entries in MongoDB, one document each (`_id` = the entry's id). A batch is inserted unordered: should an
 * insert fail part way, its retry stores the rest without doubling what was stored.
 */
export class MongoLogStore implements LogStore {
  private constructor(
    private readonly mongo: MongoHandle,
    private readonly col: Collection<LogDocument>,
  ) {}

  static async open(mongo: MongoHandle): Promise<MongoLogStore> {
    const col = mongo.db.collection<LogDocument>(LOG_COLLECTION);
    await ensureIndexes(mongo, col, [
      { name: 'created_id', key: { created: 1, _id: 1 } },
      { name: 'originService_created', key: { originService: 1, created: 1 } },
    ]);
    return new MongoLogStore(mongo, col);
  }

  async add(entries: LogEntry[]): Promise<void> {
    await insertBatch(this.mongo, this.col, entries.map(documentOf), `add ${entries.length} log entries`);
  }

  async find(filter: LogFilter, page: { offset: number; limit: number }, order: SortOrder): Promise<LogEntry[]> {
    const dir = order === 'newest-first' ? -1 : 1;
    const docs = await this.mongo.run('find log entries', () =>
      this.col.find(queryOf(filter)).sort({ created: dir, _id: dir }).skip(page.offset).limit(page.limit).toArray(),
    );
    return docs.map(entryOf);
  }

  count(filter: LogFilter): Promise<number> {
    return this.mongo.run('count log entries', () => this.col.countDocuments(queryOf(filter)));
  }

  async remove(filter: LogFilter): Promise<number> {
    const res = await this.mongo.run('remove log entries', () => this.col.deleteMany(queryOf(filter)));
    return res.deletedCount;
  }

  async removeOldest(limit: number): Promise<number> {
    const oldest = await this.mongo.run('find the oldest log entries', () =>
      this.col
        .find({}, { projection: { _id: 1 } })
        .sort({ created: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    if (oldest.length === 0) return 0;
    const res = await this.mongo.run('remove the oldest log entries', () => this.col.deleteMany({ _id: { $in: oldest.map((d) => d._id) } }));
    return res.deletedCount;
  }

  close(): Promise<void> {
    return this.mongo.close();
  }
}
