import type { Database, Statement } from 'better-sqlite3';
import { EdgeXError, errorMessage, parseJson, STORED_JSON, stringifyJson } from '@edgex-ts/contracts';
import type { PageOf } from '../types.js';

/** An entity as every metadata aggregate has it: id, unique name, created (ms), labels. */
export interface StoredEntity {
  id?: string;
  name: string;
  created?: number;
  labels?: string[];
}

/** An extra indexed column, computed from the entity. */
export interface IndexedColumn<T> {
  column: string;
  of(entity: T): string | null | undefined;
}

export interface TableQuery {
  offset: number;
  limit: number;
  labels?: string[];
  /** column → exact value; undefined entries are ignored. */
  where?: Record<string, string | undefined>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * One aggregate in one SQLite table: the DTO as JSON in `body`, plus indexed columns for id, name,
 * created, labels and whatever the aggregate is queried by. Names and ids are unique.
 */
export class JsonTable<T extends StoredEntity> {
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly byNameStmt: Statement;
  private readonly byIdStmt: Statement;
  private readonly deleteStmt: Statement;

  constructor(
    private readonly db: Database,
    private readonly table: string,
    /** Human name for messages, e.g. "device profile". */
    private readonly kind: string,
    private readonly columns: IndexedColumn<T>[],
  ) {
    for (const name of [table, ...columns.map((c) => c.column)]) {
      if (!IDENTIFIER.test(name)) throw new EdgeXError('UnexpectedServerError', `invalid SQL identifier ${name}`);
    }
    const extra = columns.map((c) => `, ${c.column} TEXT`).join('');
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created INTEGER NOT NULL,
      labels TEXT NOT NULL DEFAULT '[]'${extra},
      body TEXT NOT NULL
    )`);
    this.addMissingColumns();
    db.exec(`CREATE INDEX IF NOT EXISTS ${table}_created ON ${table}(created, name)`);
    for (const c of columns) db.exec(`CREATE INDEX IF NOT EXISTS ${table}_${c.column} ON ${table}(${c.column})`);

    const cols = ['id', 'name', 'created', 'labels', ...columns.map((c) => c.column), 'body'];
    this.insertStmt = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
    this.updateStmt = db.prepare(
      `UPDATE ${table} SET ${cols
        .filter((c) => c !== 'id')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    );
    this.byNameStmt = db.prepare(`SELECT body FROM ${table} WHERE name = ?`);
    this.byIdStmt = db.prepare(`SELECT body FROM ${table} WHERE id = ?`);
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE name = ?`);
  }

  /** A table from before an indexed column was declared gets it, computed from each row's body. */
  private addMissingColumns(): void {
    const present = new Set((this.db.prepare('SELECT name FROM pragma_table_info(?)').all(this.table) as { name: string }[]).map((c) => c.name));
    const missing = this.columns.filter((c) => !present.has(c.column));
    if (missing.length === 0) return;
    for (const c of missing) this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN ${c.column} TEXT`);
    const fill = this.db.prepare(`UPDATE ${this.table} SET ${missing.map((c) => `${c.column} = @${c.column}`).join(', ')} WHERE id = @id`);
    for (const row of this.db.prepare(`SELECT id, body FROM ${this.table}`).all() as { id: string; body: string }[]) {
      const entity = parseJson(row.body, STORED_JSON) as T;
      fill.run({ id: row.id, ...Object.fromEntries(missing.map((c) => [c.column, c.of(entity) ?? null])) });
    }
  }

  private row(entity: T): Record<string, unknown> {
    if (!entity.id) throw new EdgeXError('UnexpectedServerError', `${this.kind} ${entity.name} has no id`);
    const row: Record<string, unknown> = {
      id: entity.id,
      name: entity.name,
      created: entity.created ?? 0,
      labels: JSON.stringify(entity.labels ?? []),
      body: stringifyJson(entity),
    };
    for (const c of this.columns) row[c.column] = c.of(entity) ?? null;
    return row;
  }

  add(entity: T): void {
    try {
      this.insertStmt.run(this.row(entity));
    } catch (err) {
      if (isUniqueViolation(err)) {
        const what = this.byIdStmt.get(entity.id) !== undefined ? `id ${entity.id}` : `name ${entity.name}`;
        throw new EdgeXError('DuplicateName', `${this.kind} ${what} already exists`, err);
      }
      throw databaseError(`add ${this.kind} ${entity.name}`, err);
    }
  }

  update(entity: T): boolean {
    try {
      return this.updateStmt.run(this.row(entity)).changes > 0;
    } catch (err) {
      if (isUniqueViolation(err)) throw new EdgeXError('DuplicateName', `${this.kind} name ${entity.name} already exists`, err);
      throw databaseError(`update ${this.kind} ${entity.name}`, err);
    }
  }

  byName(name: string): T | undefined {
    return this.parse(this.byNameStmt.get(name));
  }

  byId(id: string): T | undefined {
    return this.parse(this.byIdStmt.get(id));
  }

  deleteByName(name: string): boolean {
    return this.deleteStmt.run(name).changes > 0;
  }

  private filter(query: Omit<TableQuery, 'offset' | 'limit'>): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of Object.entries(query.where ?? {})) {
      if (value === undefined) continue;
      if (!this.columns.some((c) => c.column === column)) throw new EdgeXError('UnexpectedServerError', `${this.table} has no column ${column}`);
      clauses.push(`${column} = ?`);
      params.push(value);
    }
    for (const label of query.labels ?? []) {
      clauses.push(`EXISTS (SELECT 1 FROM json_each(${this.table}.labels) WHERE json_each.value = ?)`);
      params.push(label);
    }
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  count(query: Omit<TableQuery, 'offset' | 'limit'>): number {
    const { sql, params } = this.filter(query);
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM ${this.table} ${sql}`).get(...params) as { n: number };
    return row.n;
  }

  list(query: TableQuery): PageOf<T> {
    const { sql, params } = this.filter(query);
    const totalCount = this.count(query);
    const limit = query.limit < 0 ? -1 : query.limit;
    const rows = this.db.prepare(`SELECT body FROM ${this.table} ${sql} ORDER BY created, name LIMIT ? OFFSET ?`).all(...params, limit, query.offset);
    return { totalCount, items: rows.map((r) => this.parse(r)!) };
  }

  private parse(row: unknown): T | undefined {
    if (row === undefined) return undefined;
    return parseJson((row as { body: string }).body, STORED_JSON) as T;
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function databaseError(what: string, err: unknown): EdgeXError {
  return new EdgeXError('Database', `failed to ${what}: ${errorMessage(err)}`, err);
}
