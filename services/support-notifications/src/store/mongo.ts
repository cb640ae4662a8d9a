import type { Collection, Document, Filter } from 'mongodb';
import { EdgeXError } from '@edgex-ts/contracts';
import type { Notification, NotificationStatus, Subscription, Transmission } from '@edgex-ts/contracts';
import { ensureIndexes, isDuplicateKeyError, type MongoHandle } from '@edgex-ts/mongo';
import type {
  NotificationFilter,
  NotificationStore,
  NotificationStores,
  PageOf,
  Paging,
  ResendSchedule,
  ScheduledTransmission,
  SubscriptionFilter,
  SubscriptionStore,
  TransmissionFilter,
  TransmissionStore,
} from './types.js';

/**
 * Documents are the DTOs' own fields (none of them has user-chosen keys) with the id as `_id`, plus the queue's
 * fields: `pending` on a notification, `nextAttempt`/`resendLimit`/`resendIntervalMs` on a transmission.
 */
type Doc = Document & { _id: string };

/** A copy without undefined fields (the driver would store them as null). */
function defined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function dtoOf<T>(doc: Doc | null, drop: readonly string[] = []): T | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  for (const k of drop) delete rest[k];
  return { ...rest, id: _id } as T;
}

async function insert(mongo: MongoHandle, col: Collection<Doc>, doc: Doc, what: string, duplicate: () => Promise<EdgeXError>): Promise<void> {
  await mongo.run(what, async (attempt) => {
    try {
      await col.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // A retry may meet its own earlier attempt, stored before the reply was lost.
      if (attempt > 1 && (await col.countDocuments({ _id: doc._id })) > 0) return;
      throw await duplicate();
    }
  });
}

async function pageOf<T>(
  mongo: MongoHandle,
  col: Collection<Doc>,
  filter: Filter<Doc>,
  sort: Record<string, 1 | -1>,
  page: Paging,
  what: string,
  drop: readonly string[] = [],
): Promise<PageOf<T>> {
  return mongo.run(what, async () => {
    const totalCount = await col.countDocuments(filter);
    const docs = page.limit === 0 ? [] : await col.find(filter).sort(sort).skip(page.offset).limit(page.limit).toArray();
    return { totalCount, items: docs.map((d) => dtoOf<T>(d as Doc, drop)!) };
  });
}

class MongoSubscriptions implements SubscriptionStore {
  constructor(
    private readonly mongo: MongoHandle,
    private readonly col: Collection<Doc>,
  ) {}

  private doc(s: Subscription): Doc {
    const { id, ...rest } = s;
    return { ...defined(rest), categories: s.categories ?? [], labels: s.labels ?? [], _id: id! };
  }

  add(s: Subscription): Promise<void> {
    const doc = this.doc(s);
    return insert(this.mongo, this.col, doc, `add subscription ${s.name}`, async () => {
      const byId = (await this.col.countDocuments({ _id: doc._id })) > 0;
      return new EdgeXError('DuplicateName', `subscription ${byId ? `id ${s.id}` : `name ${s.name}`} already exists`);
    });
  }

  update(s: Subscription): Promise<boolean> {
    return this.mongo.run(`update subscription ${s.name}`, async () => {
      try {
        return (await this.col.replaceOne({ _id: s.id! }, this.doc(s))).matchedCount > 0;
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new EdgeXError('DuplicateName', `subscription name ${s.name} already exists`, err);
        throw err;
      }
    });
  }

  byName(name: string): Promise<Subscription | undefined> {
    return this.mongo.run('read subscription', async () => this.read(await this.col.findOne({ name })));
  }

  byId(id: string): Promise<Subscription | undefined> {
    return this.mongo.run('read subscription', async () => this.read(await this.col.findOne({ _id: id })));
  }

  private read(doc: Doc | null): Subscription | undefined {
    const s = dtoOf<Subscription>(doc);
    return s && withoutEmptyLists(s);
  }

  deleteByName(name: string): Promise<boolean> {
    return this.mongo.run(`delete subscription ${name}`, async () => (await this.col.deleteOne({ name })).deletedCount > 0);
  }

  list(filter: SubscriptionFilter, page: Paging): Promise<PageOf<Subscription>> {
    const f: Filter<Doc> = {};
    if (filter.category !== undefined) f.categories = filter.category;
    if (filter.label !== undefined) f.labels = filter.label;
    if (filter.receiver !== undefined) f.receiver = filter.receiver;
    return pageOf<Subscription>(this.mongo, this.col, f, { created: 1, name: 1 }, page, 'list subscriptions').then(emptyListsAbsent);
  }

  matching(category: string | undefined, labels: readonly string[]): Promise<Subscription[]> {
    const or: Filter<Doc>[] = [];
    if (category !== undefined) or.push({ categories: category });
    if (labels.length) or.push({ labels: { $in: [...labels] } });
    if (or.length === 0) return Promise.resolve([]);
    return this.mongo.run('find subscriptions', async () => {
      const docs = await this.col.find({ $or: or }).sort({ created: 1, name: 1 }).toArray();
      return docs.map((d) => withoutEmptyLists(dtoOf<Subscription>(d)!));
    });
  }
}

/** categories/labels are stored as arrays (to query them); an empty one was not sent. */
function withoutEmptyLists<T extends { categories?: string[]; labels?: string[] }>(s: T): T {
  const out = { ...s };
  if (!out.categories?.length) delete out.categories;
  if (!out.labels?.length) delete out.labels;
  return out;
}

function emptyListsAbsent<T extends { categories?: string[]; labels?: string[] }>(page: PageOf<T>): PageOf<T> {
  return { totalCount: page.totalCount, items: page.items.map(withoutEmptyLists) };
}

const NOTIFICATION_QUEUE_FIELDS = ['pending'];

class MongoNotifications implements NotificationStore {
  constructor(
    private readonly mongo: MongoHandle,
    private readonly col: Collection<Doc>,
    private readonly transmissions: Collection<Doc>,
  ) {}

  private read(doc: Doc | null): Notification | undefined {
    const n = dtoOf<Notification>(doc, NOTIFICATION_QUEUE_FIELDS);
    if (n && !n.labels?.length) delete n.labels;
    return n;
  }

  add(n: Notification, pending: boolean): Promise<void> {
    const { id, ...rest } = n;
    const doc: Doc = { ...defined(rest), labels: n.labels ?? [], status: n.status ?? 'NEW', acknowledged: n.acknowledged ?? false, pending, _id: id! };
    return insert(this.mongo, this.col, doc, 'add notification', async () => new EdgeXError('DuplicateName', `notification id ${id} already exists`));
  }

  byId(id: string): Promise<Notification | undefined> {
    return this.mongo.run('read notification', async () => this.read(await this.col.findOne({ _id: id })));
  }

  list(filter: NotificationFilter, page: Paging): Promise<PageOf<Notification>> {
    const and: Filter<Doc>[] = [];
    if (filter.category !== undefined) and.push({ category: filter.category });
    if (filter.categories?.length) and.push({ category: { $in: filter.categories } });
    if (filter.label !== undefined) and.push({ labels: filter.label });
    if (filter.status !== undefined) and.push({ status: filter.status });
    if (filter.start !== undefined) and.push({ created: { $gte: filter.start } });
    if (filter.end !== undefined) and.push({ created: { $lte: filter.end } });
    if (filter.acknowledged !== undefined) and.push({ acknowledged: filter.acknowledged });
    if (filter.subscribedBy) {
      const { categories, labels } = filter.subscribedBy;
      const or: Filter<Doc>[] = [];
      if (categories.length) or.push({ category: { $in: categories } });
      if (labels.length) or.push({ labels: { $in: labels } });
      and.push(or.length ? { $or: or } : { _id: { $in: [] } });
    }
    return this.mongo.run('list notifications', async () => {
      const f: Filter<Doc> = and.length ? { $and: and } : {};
      const totalCount = await this.col.countDocuments(f);
      const docs = page.limit === 0 ? [] : await this.col.find(f).sort({ created: -1, _id: -1 }).skip(page.offset).limit(page.limit).toArray();
      return { totalCount, items: docs.map((d) => this.read(d)!) };
    });
  }

  pending(limit: number, except: ReadonlySet<string>): Promise<Notification[]> {
    return this.mongo.run('read pending notifications', async () => {
      const docs = await this.col
        .find({ pending: true, _id: { $nin: [...except] } })
        .sort({ created: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => this.read(d)!);
    });
  }

  async markDistributed(id: string, status: NotificationStatus, modified: number): Promise<void> {
    await this.mongo.run('update notification', () => this.col.updateOne({ _id: id }, { $set: { pending: false, status, modified } }));
  }

  private async missing(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.col.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    return ids.filter((id) => !found.has(id));
  }

  setAcknowledged(ids: readonly string[], acknowledged: boolean, modified: number): Promise<string[]> {
    return this.mongo.run('acknowledge notifications', async () => {
      const missing = await this.missing(ids);
      if (missing.length) return missing;
      await this.col.updateMany({ _id: { $in: [...ids] } }, { $set: { acknowledged, modified } });
      return [];
    });
  }

  private async deleteIds(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    await this.transmissions.deleteMany({ notificationId: { $in: ids } });
    return (await this.col.deleteMany({ _id: { $in: ids } })).deletedCount;
  }

  deleteByIds(ids: readonly string[]): Promise<string[]> {
    return this.mongo.run('delete notifications', async () => {
      const missing = await this.missing(ids);
      if (missing.length) return missing;
      await this.deleteIds([...ids]);
      return [];
    });
  }

  deleteModifiedBefore(modifiedBefore: number, processedOnly: boolean): Promise<number> {
    const f: Filter<Doc> = processedOnly ? { modified: { $lte: modifiedBefore }, status: 'PROCESSED' } : { modified: { $lte: modifiedBefore } };
    return this.mongo.run('delete notifications by age', async () => {
      const ids = (await this.col.find(f, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
      return this.deleteIds(ids);
    });
  }

  count(): Promise<number> {
    return this.mongo.run('count notifications', () => this.col.countDocuments({}));
  }

  deleteBeyondNewest(keep: number, limit: number): Promise<number> {
    return this.mongo.run('delete the oldest notifications', async () => {
      const docs = await this.col
        .find({}, { projection: { _id: 1 } })
        .sort({ created: -1, _id: -1 })
        .skip(keep)
        .limit(limit)
        .toArray();
      return this.deleteIds(docs.map((d) => d._id));
    });
  }
}

const TRANSMISSION_QUEUE_FIELDS = ['nextAttempt', 'resendLimit', 'resendIntervalMs'];

class MongoTransmissions implements TransmissionStore {
  constructor(
    private readonly mongo: MongoHandle,
    private readonly col: Collection<Doc>,
  ) {}

  private doc(t: Transmission, schedule: ResendSchedule | undefined): Doc {
    const { id, ...rest } = t;
    return {
      ...defined(rest),
      _id: id!,
      nextAttempt: schedule?.nextAttemptAt ?? null,
      resendLimit: schedule?.limit ?? null,
      resendIntervalMs: schedule?.intervalMs ?? null,
    };
  }

  private read(doc: Doc | null): Transmission | undefined {
    return dtoOf<Transmission>(doc, TRANSMISSION_QUEUE_FIELDS);
  }

  add(t: Transmission, schedule?: ResendSchedule): Promise<void> {
    return insert(
      this.mongo,
      this.col,
      this.doc(t, schedule),
      'add transmission',
      async () => new EdgeXError('DuplicateName', `transmission id ${t.id} already exists`),
    );
  }

  async update(t: Transmission, schedule?: ResendSchedule): Promise<void> {
    await this.mongo.run('update transmission', () => this.col.replaceOne({ _id: t.id! }, this.doc(t, schedule)));
  }

  byId(id: string): Promise<Transmission | undefined> {
    return this.mongo.run('read transmission', async () => this.read(await this.col.findOne({ _id: id })));
  }

  list(filter: TransmissionFilter, page: Paging): Promise<PageOf<Transmission>> {
    const f: Filter<Doc> = {};
    if (filter.status !== undefined) f.status = filter.status;
    if (filter.subscriptionName !== undefined) f.subscriptionName = filter.subscriptionName;
    if (filter.notificationId !== undefined) f.notificationId = filter.notificationId;
    if (filter.start !== undefined || filter.end !== undefined) {
      f.created = { ...(filter.start !== undefined ? { $gte: filter.start } : {}), ...(filter.end !== undefined ? { $lte: filter.end } : {}) };
    }
    return pageOf<Transmission>(this.mongo, this.col, f, { created: -1, _id: -1 }, page, 'list transmissions', TRANSMISSION_QUEUE_FIELDS);
  }

  ofNotification(notificationId: string): Promise<Transmission[]> {
    return this.mongo.run('read transmissions', async () =>
      (await this.col.find({ notificationId }).sort({ created: 1, _id: 1 }).toArray()).map((d) => this.read(d)!),
    );
  }

  dueResends(now: number, limit: number, except: ReadonlySet<string>): Promise<ScheduledTransmission[]> {
    return this.mongo.run('read due resends', async () => {
      const docs = await this.col
        .find({ nextAttempt: { $ne: null, $lte: now }, _id: { $nin: [...except] } })
        .sort({ nextAttempt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({
        transmission: this.read(d)!,
        schedule: { nextAttemptAt: d.nextAttempt as number, limit: d.resendLimit as number, intervalMs: d.resendIntervalMs as number },
      }));
    });
  }

  nextResendAt(): Promise<number | undefined> {
    return this.mongo.run('read due resends', async () => {
      const [doc] = await this.col
        .find({ nextAttempt: { $ne: null } }, { projection: { nextAttempt: 1 } })
        .sort({ nextAttempt: 1 })
        .limit(1)
        .toArray();
      return (doc?.nextAttempt as number | undefined) ?? undefined;
    });
  }

  deleteCreatedBefore(createdBefore: number): Promise<number> {
    return this.mongo.run(
      'delete transmissions by age',
      async () => (await this.col.deleteMany({ created: { $lte: createdBefore }, status: { $ne: 'RESENDING' } })).deletedCount,
    );
  }
}

/** support-notifications' stores in MongoDB (collections subscriptions, notifications, transmissions). */
export async function mongoNotificationStores(mongo: MongoHandle): Promise<NotificationStores> {
  const subscriptions = mongo.db.collection<Doc>('subscriptions');
  const notifications = mongo.db.collection<Doc>('notifications');
  const transmissions = mongo.db.collection<Doc>('transmissions');
  await ensureIndexes(mongo, subscriptions, [
    { key: { name: 1 }, name: 'name_unique', unique: true },
    { key: { created: 1, name: 1 }, name: 'created_name' },
    { key: { categories: 1 }, name: 'categories' },
    { key: { labels: 1 }, name: 'labels' },
    { key: { receiver: 1 }, name: 'receiver' },
  ]);
  await ensureIndexes(mongo, notifications, [
    { key: { created: -1, _id: -1 }, name: 'created' },
    { key: { modified: 1 }, name: 'modified' },
    { key: { category: 1, created: -1 }, name: 'category_created' },
    { key: { labels: 1 }, name: 'labels' },
    { key: { status: 1, created: -1 }, name: 'status_created' },
    { key: { pending: 1, created: 1 }, name: 'pending_created' },
  ]);
  await ensureIndexes(mongo, transmissions, [
    { key: { created: -1, _id: -1 }, name: 'created' },
    { key: { notificationId: 1 }, name: 'notification' },
    { key: { subscriptionName: 1, created: -1 }, name: 'subscription_created' },
    { key: { status: 1, created: -1 }, name: 'status_created' },
    { key: { nextAttempt: 1 }, name: 'next_attempt' },
  ]);
  return {
    subscriptions: new MongoSubscriptions(mongo, subscriptions),
    notifications: new MongoNotifications(mongo, notifications, transmissions),
    transmissions: new MongoTransmissions(mongo, transmissions),
    close: () => mongo.close(),
  };
}
