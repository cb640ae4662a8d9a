import { EdgeXError, errorMessage, parseJson, STORED_JSON, stringifyJson } from '@edgex-ts/contracts';
import type { Notification, NotificationStatus, Subscription, Transmission } from '@edgex-ts/contracts';
import { migrateSqlite, type SqliteDatabase, type SqliteSchema } from '@edgex-ts/sqlite';
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

export const SUPPORT_NOTIFICATIONS_SCHEMA: SqliteSchema = {
  owner: 'support-notifications',
  migrations: [
    (db) =>
      db.exec(`
      CREATE TABLE IF NOT EXISTS subscriptions (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL, receiver TEXT NOT NULL,
        categories TEXT NOT NULL, labels TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS subscriptions_created ON subscriptions(created, name);
      CREATE INDEX IF NOT EXISTS subscriptions_receiver ON subscriptions(receiver);
      CREATE TABLE IF NOT EXISTS notifications (
        id TEXT PRIMARY KEY, created INTEGER NOT NULL, modified INTEGER NOT NULL, category TEXT, labels TEXT NOT NULL,
        status TEXT NOT NULL, acknowledged INTEGER NOT NULL, pending INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS notifications_created ON notifications(created, id);
      CREATE INDEX IF NOT EXISTS notifications_modified ON notifications(modified);
      CREATE INDEX IF NOT EXISTS notifications_category ON notifications(category, created);
      CREATE INDEX IF NOT EXISTS notifications_status ON notifications(status, created);
      CREATE INDEX IF NOT EXISTS notifications_pending ON notifications(pending, created) WHERE pending = 1;
      CREATE TABLE IF NOT EXISTS transmissions (
        id TEXT PRIMARY KEY, created INTEGER NOT NULL, notification_id TEXT NOT NULL, subscription_name TEXT NOT NULL,
        status TEXT NOT NULL, next_attempt INTEGER, resend_limit INTEGER, resend_interval_ms INTEGER, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS transmissions_created ON transmissions(created, id);
      CREATE INDEX IF NOT EXISTS transmissions_notification ON transmissions(notification_id);
      CREATE INDEX IF NOT EXISTS transmissions_subscription ON transmissions(subscription_name, created);
      CREATE INDEX IF NOT EXISTS transmissions_status ON transmissions(status, created);
      CREATE INDEX IF NOT EXISTS transmissions_due ON transmissions(next_attempt) WHERE next_attempt IS NOT NULL;
    `),
  ],
};

interface Where {
  sql: string;
  params: unknown[];
}

function where(clauses: [string, unknown[]][]): Where {
  return clauses.length ? { sql: `WHERE ${clauses.map(([c]) => `(${c})`).join(' AND ')}`, params: clauses.flatMap(([, p]) => p) } : { sql: '', params: [] };
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function databaseError(what: string, err: unknown): EdgeXError {
  return err instanceof EdgeXError ? err : new EdgeXError('Database', `failed to ${what}: ${errorMessage(err)}`, err);
}

/** Runs a store operation, turning driver errors into EdgeXError Database. */
function guarded<T>(what: string, fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(databaseError(what, err));
  }
}

class SqliteSubscriptions implements SubscriptionStore {
  constructor(private readonly db: SqliteDatabase) {}

  private row(s: Subscription) {
    return {
      id: s.id,
      name: s.name,
      created: s.created ?? 0,
      receiver: s.receiver,
      categories: JSON.stringify(s.categories ?? []),
      labels: JSON.stringify(s.labels ?? []),
      body: stringifyJson(s),
    };
  }

  add(s: Subscription): Promise<void> {
    return guarded(`add subscription ${s.name}`, () => {
      try {
        this.db
          .prepare(
            'INSERT INTO subscriptions (id, name, created, receiver, categories, labels, body) VALUES (@id, @name, @created, @receiver, @categories, @labels, @body)',
          )
          .run(this.row(s));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const byId = this.db.prepare('SELECT 1 FROM subscriptions WHERE id = ?').get(s.id) !== undefined;
        throw new EdgeXError('DuplicateName', `subscription ${byId ? `id ${s.id}` : `name ${s.name}`} already exists`, err);
      }
    });
  }

  update(s: Subscription): Promise<boolean> {
    return guarded(`update subscription ${s.name}`, () => {
      try {
        const sql =
          'UPDATE subscriptions SET name = @name, created = @created, receiver = @receiver, categories = @categories, labels = @labels, body = @body WHERE id = @id';
        return this.db.prepare(sql).run(this.row(s)).changes > 0;
      } catch (err) {
        if (isUniqueViolation(err)) throw new EdgeXError('DuplicateName', `subscription name ${s.name} already exists`, err);
        throw err;
      }
    });
  }

  byName(name: string): Promise<Subscription | undefined> {
    return guarded('read subscription', () => parseRow<Subscription>(this.db.prepare('SELECT body FROM subscriptions WHERE name = ?').get(name)));
  }

  byId(id: string): Promise<Subscription | undefined> {
    return guarded('read subscription', () => parseRow<Subscription>(this.db.prepare('SELECT body FROM subscriptions WHERE id = ?').get(id)));
  }

  deleteByName(name: string): Promise<boolean> {
    return guarded(`delete subscription ${name}`, () => this.db.prepare('DELETE FROM subscriptions WHERE name = ?').run(name).changes > 0);
  }

  list(filter: SubscriptionFilter, page: Paging): Promise<PageOf<Subscription>> {
    return guarded('list subscriptions', () => {
      const clauses: [string, unknown[]][] = [];
      if (filter.category !== undefined) clauses.push(['EXISTS (SELECT 1 FROM json_each(subscriptions.categories) WHERE value = ?)', [filter.category]]);
      if (filter.label !== undefined) clauses.push(['EXISTS (SELECT 1 FROM json_each(subscriptions.labels) WHERE value = ?)', [filter.label]]);
      if (filter.receiver !== undefined) clauses.push(['receiver = ?', [filter.receiver]]);
      return pageOf<Subscription>(this.db, 'subscriptions', where(clauses), 'created, name', page);
    });
  }

  matching(category: string | undefined, labels: readonly string[]): Promise<Subscription[]> {
    return guarded('find subscriptions', () => {
      const clauses: [string, unknown[]][] = [];
      if (category !== undefined) clauses.push(['EXISTS (SELECT 1 FROM json_each(subscriptions.categories) WHERE value = ?)', [category]]);
      if (labels.length) clauses.push([`EXISTS (SELECT 1 FROM json_each(subscriptions.labels) WHERE value IN (${marks(labels.length)}))`, [...labels]]);
      if (clauses.length === 0) return [];
      const rows = this.db
        .prepare(`SELECT body FROM subscriptions WHERE ${clauses.map(([c]) => `(${c})`).join(' OR ')} ORDER BY created, name`)
        .all(...clauses.flatMap(([, p]) => p));
      return rows.map((r) => parseRow<Subscription>(r)!);
    });
  }
}

interface NotificationRow {
  body: string;
  status: string;
  acknowledged: number;
  modified: number;
}

/** A notification from its row: the body as added, with the columns that change after (status, acknowledged, modified). */
function notificationOf(row: unknown): Notification | undefined {
  if (row === undefined) return undefined;
  const r = row as NotificationRow;
  const n = parseJson(r.body, STORED_JSON) as Notification;
  return { ...n, status: r.status as NotificationStatus, acknowledged: r.acknowledged === 1, modified: r.modified };
}

const NOTIFICATION_COLUMNS = 'body, status, acknowledged, modified';

class SqliteNotifications implements NotificationStore {
  constructor(private readonly db: SqliteDatabase) {}

  add(n: Notification, pending: boolean): Promise<void> {
    return guarded('add notification', () => {
      try {
        this.db
          .prepare(
            'INSERT INTO notifications (id, created, modified, category, labels, status, acknowledged, pending, body) VALUES (@id, @created, @modified, @category, @labels, @status, @acknowledged, @pending, @body)',
          )
          .run({
            id: n.id,
            created: n.created ?? 0,
            modified: n.modified ?? n.created ?? 0,
            category: n.category ?? null,
            labels: JSON.stringify(n.labels ?? []),
            status: n.status ?? 'NEW',
            acknowledged: n.acknowledged ? 1 : 0,
            pending: pending ? 1 : 0,
            body: stringifyJson(n),
          });
      } catch (err) {
        if (isUniqueViolation(err)) throw new EdgeXError('DuplicateName', `notification id ${n.id} already exists`, err);
        throw err;
      }
    });
  }

  byId(id: string): Promise<Notification | undefined> {
    return guarded('read notification', () => notificationOf(this.db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ?`).get(id)));
  }

  list(filter: NotificationFilter, page: Paging): Promise<PageOf<Notification>> {
    return guarded('list notifications', () => {
      const clauses: [string, unknown[]][] = [];
      if (filter.category !== undefined) clauses.push(['category = ?', [filter.category]]);
      if (filter.categories?.length) clauses.push([`category IN (${marks(filter.categories.length)})`, filter.categories]);
      if (filter.label !== undefined) clauses.push(['EXISTS (SELECT 1 FROM json_each(notifications.labels) WHERE value = ?)', [filter.label]]);
      if (filter.status !== undefined) clauses.push(['status = ?', [filter.status]]);
      if (filter.start !== undefined) clauses.push(['created >= ?', [filter.start]]);
      if (filter.end !== undefined) clauses.push(['created <= ?', [filter.end]]);
      if (filter.acknowledged !== undefined) clauses.push(['acknowledged = ?', [filter.acknowledged ? 1 : 0]]);
      if (filter.subscribedBy) {
        const { categories, labels } = filter.subscribedBy;
        const parts: string[] = [];
        if (categories.length) parts.push(`category IN (${marks(categories.length)})`);
        if (labels.length) parts.push(`EXISTS (SELECT 1 FROM json_each(notifications.labels) WHERE value IN (${marks(labels.length)}))`);
        clauses.push([parts.length ? parts.join(' OR ') : '0', [...categories, ...labels]]);
      }
      const w = where(clauses);
      const totalCount = (this.db.prepare(`SELECT COUNT(*) AS n FROM notifications ${w.sql}`).get(...w.params) as { n: number }).n;
      const rows = this.db
        .prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications ${w.sql} ORDER BY created DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...w.params, page.limit, page.offset);
      return { totalCount, items: rows.map((r) => notificationOf(r)!) };
    });
  }

  pending(limit: number, except: ReadonlySet<string>): Promise<Notification[]> {
    return guarded('read pending notifications', () => {
      const ids = [...except];
      const rows = this.db
        .prepare(
          `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE pending = 1 ${ids.length ? `AND id NOT IN (${marks(ids.length)})` : ''} ORDER BY created, id LIMIT ?`,
        )
        .all(...ids, limit);
      return rows.map((r) => notificationOf(r)!);
    });
  }

  markDistributed(id: string, status: NotificationStatus, modified: number): Promise<void> {
    return guarded('update notification', () => {
      this.db.prepare('UPDATE notifications SET pending = 0, status = ?, modified = ? WHERE id = ?').run(status, modified, id);
    });
  }

  setAcknowledged(ids: readonly string[], acknowledged: boolean, modified: number): Promise<string[]> {
    return guarded('acknowledge notifications', () =>
      this.db.transaction(() => {
        const missing = this.missing(ids);
        if (missing.length) return missing;
        this.db
          .prepare(`UPDATE notifications SET acknowledged = ?, modified = ? WHERE id IN (${marks(ids.length)})`)
          .run(acknowledged ? 1 : 0, modified, ...ids);
        return [];
      })(),
    );
  }

  private missing(ids: readonly string[]): string[] {
    const found = new Set(
      (this.db.prepare(`SELECT id FROM notifications WHERE id IN (${marks(ids.length)})`).all(...ids) as { id: string }[]).map((r) => r.id),
    );
    return ids.filter((id) => !found.has(id));
  }

  deleteByIds(ids: readonly string[]): Promise<string[]> {
    return guarded('delete notifications', () =>
      this.db.transaction(() => {
        const missing = this.missing(ids);
        if (missing.length) return missing;
        this.deleteWhere(`id IN (${marks(ids.length)})`, [...ids]);
        return [];
      })(),
    );
  }

  private deleteWhere(condition: string, params: unknown[]): number {
    this.db.prepare(`DELETE FROM transmissions WHERE notification_id IN (SELECT id FROM notifications WHERE ${condition})`).run(...params);
    return this.db.prepare(`DELETE FROM notifications WHERE ${condition}`).run(...params).changes;
  }

  deleteModifiedBefore(modifiedBefore: number, processedOnly: boolean): Promise<number> {
    return guarded('delete notifications by age', () =>
      this.db.transaction(() => this.deleteWhere(`modified <= ?${processedOnly ? " AND status = 'PROCESSED'" : ''}`, [modifiedBefore]))(),
    );
  }

  count(): Promise<number> {
    return guarded('count notifications', () => (this.db.prepare('SELECT COUNT(*) AS n FROM notifications').get() as { n: number }).n);
  }

  deleteBeyondNewest(keep: number, limit: number): Promise<number> {
    return guarded('delete the oldest notifications', () =>
      this.db.transaction(() => {
        const ids = (this.db.prepare('SELECT id FROM notifications ORDER BY created DESC, id DESC LIMIT ? OFFSET ?').all(limit, keep) as { id: string }[]).map(
          (r) => r.id,
        );
        return ids.length ? this.deleteWhere(`id IN (${marks(ids.length)})`, ids) : 0;
      })(),
    );
  }
}

class SqliteTransmissions implements TransmissionStore {
  constructor(private readonly db: SqliteDatabase) {}

  private row(t: Transmission, schedule: ResendSchedule | undefined) {
    return {
      id: t.id,
      created: t.created ?? 0,
      notification_id: t.notificationId,
      subscription_name: t.subscriptionName,
      status: t.status,
      next_attempt: schedule?.nextAttemptAt ?? null,
      resend_limit: schedule?.limit ?? null,
      resend_interval_ms: schedule?.intervalMs ?? null,
      body: stringifyJson(t),
    };
  }

  add(t: Transmission, schedule?: ResendSchedule): Promise<void> {
    return guarded('add transmission', () => {
      try {
        this.db
          .prepare(
            `INSERT INTO transmissions (id, created, notification_id, subscription_name, status, next_attempt, resend_limit, resend_interval_ms, body)
             VALUES (@id, @created, @notification_id, @subscription_name, @status, @next_attempt, @resend_limit, @resend_interval_ms, @body)`,
          )
          .run(this.row(t, schedule));
      } catch (err) {
        if (isUniqueViolation(err)) throw new EdgeXError('DuplicateName', `transmission id ${t.id} already exists`, err);
        throw err;
      }
    });
  }

  update(t: Transmission, schedule?: ResendSchedule): Promise<void> {
    return guarded('update transmission', () => {
      this.db
        .prepare(
          `UPDATE transmissions SET status = @status, next_attempt = @next_attempt, resend_limit = @resend_limit, resend_interval_ms = @resend_interval_ms, body = @body WHERE id = @id`,
        )
        .run(this.row(t, schedule));
    });
  }

  byId(id: string): Promise<Transmission | undefined> {
    return guarded('read transmission', () => parseRow<Transmission>(this.db.prepare('SELECT body FROM transmissions WHERE id = ?').get(id)));
  }

  list(filter: TransmissionFilter, page: Paging): Promise<PageOf<Transmission>> {
    return guarded('list transmissions', () => {
      const clauses: [string, unknown[]][] = [];
      if (filter.status !== undefined) clauses.push(['status = ?', [filter.status]]);
      if (filter.subscriptionName !== undefined) clauses.push(['subscription_name = ?', [filter.subscriptionName]]);
      if (filter.notificationId !== undefined) clauses.push(['notification_id = ?', [filter.notificationId]]);
      if (filter.start !== undefined) clauses.push(['created >= ?', [filter.start]]);
      if (filter.end !== undefined) clauses.push(['created <= ?', [filter.end]]);
      return pageOf<Transmission>(this.db, 'transmissions', where(clauses), 'created DESC, id DESC', page);
    });
  }

  ofNotification(notificationId: string): Promise<Transmission[]> {
    return guarded('read transmissions', () =>
      this.db
        .prepare('SELECT body FROM transmissions WHERE notification_id = ? ORDER BY created, id')
        .all(notificationId)
        .map((r) => parseRow<Transmission>(r)!),
    );
  }

  dueResends(now: number, limit: number, except: ReadonlySet<string>): Promise<ScheduledTransmission[]> {
    return guarded('read due resends', () => {
      const ids = [...except];
      const rows = this.db
        .prepare(
          `SELECT body, next_attempt, resend_limit, resend_interval_ms FROM transmissions WHERE next_attempt IS NOT NULL AND next_attempt <= ?
           ${ids.length ? `AND id NOT IN (${marks(ids.length)})` : ''} ORDER BY next_attempt, id LIMIT ?`,
        )
        .all(now, ...ids, limit) as { body: string; next_attempt: number; resend_limit: number; resend_interval_ms: number }[];
      return rows.map((r) => ({
        transmission: parseRow<Transmission>(r)!,
        schedule: { nextAttemptAt: r.next_attempt, limit: r.resend_limit, intervalMs: r.resend_interval_ms },
      }));
    });
  }

  nextResendAt(): Promise<number | undefined> {
    return guarded('read due resends', () => {
      const row = this.db.prepare('SELECT MIN(next_attempt) AS at FROM transmissions WHERE next_attempt IS NOT NULL').get() as { at: number | null };
      return row.at ?? undefined;
    });
  }

  deleteCreatedBefore(createdBefore: number): Promise<number> {
    return guarded(
      'delete transmissions by age',
      () => this.db.prepare("DELETE FROM transmissions WHERE created <= ? AND status <> 'RESENDING'").run(createdBefore).changes,
    );
  }
}

function parseRow<T>(row: unknown): T | undefined {
  return row === undefined ? undefined : (parseJson((row as { body: string }).body, STORED_JSON) as T);
}

function pageOf<T>(db: SqliteDatabase, table: string, w: Where, order: string, page: Paging): PageOf<T> {
  const totalCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${w.sql}`).get(...w.params) as { n: number }).n;
  const rows = db.prepare(`SELECT body FROM ${table} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...w.params, page.limit, page.offset);
  return { totalCount, items: rows.map((r) => parseRow<T>(r)!) };
}

/** support-notifications' stores in one SQLite file (migrated to the current schema). */
export function sqliteNotificationStores(db: SqliteDatabase): NotificationStores {
  migrateSqlite(db, SUPPORT_NOTIFICATIONS_SCHEMA);
  return {
    subscriptions: new SqliteSubscriptions(db),
    notifications: new SqliteNotifications(db),
    transmissions: new SqliteTransmissions(db),
    close: async () => {
      db.close();
    },
  };
}
