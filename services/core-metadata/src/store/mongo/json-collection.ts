import type { Collection, Filter } from 'mongodb';
import { EdgeXError, parseJson, STORED_JSON, stringifyJson } from '@edgex-ts/contracts';
import { ensureIndexes, isDuplicateKeyError, type MongoHandle, type NamedIndex } from '@edgex-ts/mongo';
import type { PageOf } from '../types.js';

/** An entity as every metadata aggregate has it: id, unique name, created (ms), labels. */
export interface StoredEntity {
  id?: string;
  name: string;
  created?: number;
  labels?: string[];
}

/** An extra indexed field, computed from the entity (e.g. serviceName). */
export interface IndexedField<T> {
  field: string;
  of(entity: T): string | null | undefined;
}

export interface CollectionQuery {
  offset: number;
  limit: number;
  labels?: string[];
  /** field → exact value; undefined entries are ignored. */
  where?: Record<string, string | undefined>;
}

/**
 * The stored document. The DTO is kept as its JSON text in `body`: DTO maps (protocols, attributes, tags, …)
 * have user-chosen keys, which may hold `.` or start with `$` — names MongoDB-compatible servers refuse as
 * field names. Everything the services query by sits beside it as a plain, indexed field.
 */
export interface EntityDocument {
  _id: string;
  name: string;
  created: number;
  labels: string[];
  body: string;
  [field: string]: unknown;
}

/**
 * One aggregate in one MongoDB collection, with the same semantics as the SQLite JsonTable: unique ids (`_id`)
 * and names (unique index), list ordered by (created, name), label filter = every given label present.
 * Every operation retries transient failures within Database.Timeout (then ServiceUnavailable).
 */
export class JsonCollection<T extends StoredEntity> {
  private readonly col: Collection<EntityDocument>;

  constructor(
    private readonly mongo: MongoHandle,
    collection: string,
    /** Human name for messages, e.g. "device profile". */
    private readonly kind: string,
    private readonly fields: IndexedField<T>[],
    /** Compound indexes beyond one per field, e.g. [['manufacturer', 'model']]. */
    private readonly compound: string[][] = [],
  ) {
    this.col = mongo.db.collection<EntityDocument>(collection);
  }

  /** Creates the indexes every query needs (idempotent; run at open). */
  async ensureIndexes(): Promise<void> {
    const indexes: NamedIndex[] = [
      { key: { name: 1 }, name: 'name_unique', unique: true },
      { key: { created: 1, name: 1 }, name: 'created_name' },
      { key: { labels: 1 }, name: 'labels' },
      ...this.fields.map((f) => ({ key: { [f.field]: 1, created: 1, name: 1 }, name: `${f.field}_created_name` })),
      ...this.compound.map((fs) => ({
        key: Object.fromEntries([...fs.map((f) => [f, 1]), ['created', 1], ['name', 1]]),
        name: `${fs.join('_')}_created_name`,
      })),
    ];
    await ensureIndexes(this.mongo, this.col, indexes);
  }

  /**
   * Documents written before an indexed field was added (e.g. a device's `parent`) get it computed from their body,
   * so queries by it find them (idempotent; run at open).
   */
  async fillMissingFields(): Promise<void> {
    if (this.fields.length === 0) return;
    const missing = { $or: this.fields.map((f) => ({ [f.field]: { $exists: false } })) } as Filter<EntityDocument>;
    const docs = await this.mongo.run(`read ${this.kind}s to index`, () => this.col.find(missing, { projection: { body: 1 } }).toArray());
    for (const doc of docs) {
      const entity = this.parse(doc)!;
      const fields = Object.fromEntries(this.fields.map((f) => [f.field, f.of(entity) ?? null]));
      await this.mongo.run(`index ${this.kind} ${entity.name}`, () => this.col.updateOne({ _id: doc._id }, { $set: fields }));
    }
  }

  private document(entity: T): EntityDocument {
    if (!entity.id) throw new EdgeXError('UnexpectedServerError', `${this.kind} ${entity.name} has no id`);
    const doc: EntityDocument = {
      _id: entity.id,
      name: entity.name,
      created: entity.created ?? 0,
      labels: entity.labels ?? [],
      body: stringifyJson(entity),
    };
    for (const f of this.fields) doc[f.field] = f.of(entity) ?? null;
    return doc;
  }

  async add(entity: T): Promise<void> {
    const doc = this.document(entity);
    await this.mongo.run(`add ${this.kind} ${entity.name}`, async (attempt) => {
      try {
        await this.col.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // A retry may meet its own earlier attempt, stored before the reply was lost: that is success.
        if (attempt > 1 && (await this.col.findOne({ _id: doc._id }))?.body === doc.body) return;
        const what = (await this.col.countDocuments({ _id: doc._id })) > 0 ? `id ${entity.id}` : `name ${entity.name}`;
        throw new EdgeXError('DuplicateName', `${this.kind} ${what} already exists`, err);
      }
    });
  }

  async update(entity: T): Promise<boolean> {
    const doc = this.document(entity);
    return this.mongo.run(`update ${this.kind} ${entity.name}`, async () => {
      try {
        return (await this.col.replaceOne({ _id: doc._id }, doc)).matchedCount > 0;
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new EdgeXError('DuplicateName', `${this.kind} name ${entity.name} already exists`, err);
        throw err;
      }
    });
  }

  async byName(name: string): Promise<T | undefined> {
    return this.parse(await this.mongo.run(`read ${this.kind} ${name}`, () => this.col.findOne({ name }, { projection: { body: 1 } })));
  }

  async byId(id: string): Promise<T | undefined> {
    return this.parse(await this.mongo.run(`read ${this.kind} with id ${id}`, () => this.col.findOne({ _id: id }, { projection: { body: 1 } })));
  }

  async deleteByName(name: string): Promise<boolean> {
    const res = await this.mongo.run(`delete ${this.kind} ${name}`, () => this.col.deleteOne({ name }));
    return res.deletedCount > 0;
  }

  private filter(query: Omit<CollectionQuery, 'offset' | 'limit'>): Filter<EntityDocument> {
    const filter: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(query.where ?? {})) {
      if (value === undefined) continue;
      if (!this.fields.some((f) => f.field === field)) throw new EdgeXError('UnexpectedServerError', `${this.kind} has no indexed field ${field}`);
      filter[field] = value;
    }
    if (query.labels && query.labels.length > 0) filter.labels = { $all: query.labels };
    return filter;
  }

  async count(query: Omit<CollectionQuery, 'offset' | 'limit'>): Promise<number> {
    const filter = this.filter(query);
    return this.mongo.run(`count ${this.kind}s`, () => this.col.countDocuments(filter));
  }

  async list(query: CollectionQuery): Promise<PageOf<T>> {
    const filter = this.filter(query);
    const totalCount = await this.count(query);
    // limit 0 asks for nothing (as SQLite's LIMIT 0); MongoDB's limit(0) would mean "no limit".
    if (query.limit === 0 || query.offset >= totalCount) return { totalCount, items: [] };
    const docs = await this.mongo.run(`list ${this.kind}s`, () => {
      let cursor = this.col
        .find(filter, { projection: { body: 1 } })
        .sort({ created: 1, name: 1 })
        .skip(query.offset);
      if (query.limit > 0) cursor = cursor.limit(query.limit);
      return cursor.toArray();
    });
    return { totalCount, items: docs.map((d) => this.parse(d)!) };
  }

  private parse(doc: Pick<EntityDocument, 'body'> | null): T | undefined {
    return doc ? (parseJson(doc.body, STORED_JSON) as T) : undefined;
  }
}
