// MongoDB plumbing (openMongo, retries, error classification, batched inserts) against a real FerretDB.
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino, type Logger } from 'pino';
import { startFerretDb, type FerretDb } from '../../test/helpers/ferretdb.js';
import { freePort } from '../../test/helpers/ports.js';
import { startTcpProxy } from '../../test/helpers/tcp-proxy.js';
import { waitFor } from '../../test/helpers/wait.js';
import { commonConfigSchema, ConfigError, loadConfig } from '@edgex-ts/runtime';
import { flattenConfig } from '@edgex-ts/consul';
import { EdgeXError } from '@edgex-ts/contracts';
import { ensureIndexes, insertBatch, isDuplicateKeyError, isTransientMongoError, mongoDatabaseName, openMongo, type NamedIndex } from './index.js';
import { redactConfig } from '@edgex-ts/runtime';

const silent = pino({ level: 'silent' });

function capturingLogger(): { log: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, dest), lines: () => lines };
}

const load = (env: NodeJS.ProcessEnv, overrides?: object) => loadConfig({ service: 'core-metadata', schema: commonConfigSchema, argv: [], env, overrides });

describe('Database config', () => {
  test('defaults to SQLite; MONGODB_URL alone switches to MongoDB', () => {
    assert.equal(load({}).Database.Type, 'sqlite');
    const c = load({ MONGODB_URL: 'mongodb://127.0.0.1:27017/edgex' });
    assert.equal(c.Database.Type, 'mongodb');
    assert.equal(c.Database.Url, 'mongodb://127.0.0.1:27017/edgex');
    assert.equal(c.Database.Timeout, '5s');
  });

  test('DATABASE_* variables and overrides still win over MONGODB_URL', () => {
    assert.equal(load({ MONGODB_URL: 'mongodb://h/edgex', DATABASE_TYPE: 'sqlite' }).Database.Type, 'sqlite');
    assert.equal(load({ MONGODB_URL: 'mongodb://h/edgex' }, { Database: { Type: 'sqlite' } }).Database.Type, 'sqlite');
  });

  test('Type mongodb without a usable Url stops the service naming the key', () => {
    assert.throws(
      () => load({ DATABASE_TYPE: 'mongodb' }),
      (e: unknown) => e instanceof ConfigError && /Database\.Url/.test(e.message) && /required/.test(e.message),
    );
    assert.throws(
      () => load({ MONGODB_URL: 'http://h:27017' }),
      (e: unknown) => e instanceof ConfigError && /Database\.Url = "http:\/\/h:27017" \(from env MONGODB_URL\)/.test(e.message),
    );
  });

  test('a password in the URL is hidden from GET /config and never seeded into Consul KV', () => {
    const c = load({ MONGODB_URL: 'mongodb://edgex:s3cret@db:27017/edgex' });
    const shown = redactConfig(c) as typeof c;
    assert.equal(shown.Database.Url, 'mongodb://edgex:*****@db:27017/edgex');
    assert.equal(
      flattenConfig(c as unknown as Record<string, unknown>).some((e) => e.text.includes('s3cret')),
      false,
    );
  });

  test('database name: explicit, else the URL path, else edgex', () => {
    assert.equal(mongoDatabaseName('mongodb://h:1/abc?x=1'), 'abc');
    assert.equal(mongoDatabaseName('mongodb://h:1/abc', 'other'), 'other');
    assert.equal(mongoDatabaseName('mongodb://h:1'), 'edgex');
    assert.equal(mongoDatabaseName('mongodb://u:p@h:1/'), 'edgex');
  });
});

describe('openMongo against FerretDB', () => {
  let ferret: FerretDb;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(async () => {
    await ferret?.stop();
  });

  test('a server that is not there: a clear error naming the URL (password hidden), within the timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(openMongo(`mongodb://u:pw@127.0.0.1:${port}/edgex`, undefined, silent, { timeoutMs: 800 }), (e: Error) => {
      assert.match(e.message, new RegExp(`cannot connect to mongodb://u:\\*\\*\\*\\*\\*@127\\.0\\.0\\.1:${port}/edgex within 800 ms`));
      assert.match(e.message, /MONGODB_URL/);
      assert.doesNotMatch(e.message, /pw@/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  test('duplicate keys and transient errors are told apart', async () => {
    const mongo = await openMongo(ferret.url, 'plumbing', silent);
    try {
      const col = mongo.db.collection<{ _id: string; name: string }>('dup');
      await col.createIndex({ name: 1 }, { unique: true });
      await col.insertOne({ _id: 'a', name: 'x' });
      const onInsert = await col.insertOne({ _id: 'b', name: 'x' }).catch((e: unknown) => e);
      assert.ok(isDuplicateKeyError(onInsert));
      assert.equal(isTransientMongoError(onInsert), false);
      await col.insertOne({ _id: 'c', name: 'y' });
      const onReplace = await col.replaceOne({ _id: 'c' }, { name: 'x' }).catch((e: unknown) => e);
      assert.ok(isDuplicateKeyError(onReplace), String(onReplace));
      assert.equal(isTransientMongoError(new Error('x')), false);
      // The socket's own error, as it can surface when the server goes away mid-write.
      assert.equal(isTransientMongoError(await socketResetError()), true);
      // Non-transient server errors become Database, and EdgeXErrors pass through run() unchanged.
      await assert.rejects(
        mongo.run('bad query', () => col.find({ $nonsense: 1 } as never).toArray()),
        (e: unknown) => e instanceof EdgeXError && e.kind === 'Database' && /bad query: database/.test(e.message),
      );
      const mine = new EdgeXError('DuplicateName', 'mine');
      await assert.rejects(
        mongo.run('x', async () => {
          throw mine;
        }),
        (e: unknown) => e === mine,
      );
    } finally {
      await mongo.close();
    }
  });

  test('ensureIndexes creates what is missing, and a second run (every start) creates nothing', async () => {
    const mongo = await openMongo(ferret.url, 'plumbing', silent);
    try {
      const col = mongo.db.collection('indexed');
      const idx: NamedIndex[] = [
        { key: { name: 1 }, name: 'name_unique', unique: true },
        { key: { created: 1, name: 1 }, name: 'created_name' },
        { key: { labels: 1 }, name: 'labels' },
      ];
      assert.deepEqual(await ensureIndexes(mongo, col, idx), ['name_unique', 'created_name', 'labels']);
      assert.deepEqual(await ensureIndexes(mongo, col, idx), []);
      assert.deepEqual(await ensureIndexes(mongo, col, [...idx, { key: { t: 1 }, name: 't' }]), ['t']);
    } finally {
      await mongo.close();
    }
  });

  test('insertBatch: a repeated batch (a retry whose first reply was lost) is neither an error nor doubled', async () => {
    const mongo = await openMongo(ferret.url, 'plumbing', silent);
    try {
      const col = mongo.db.collection<{ _id: string; v: number }>('batch');
      const docs = Array.from({ length: 50 }, (_, i) => ({ _id: `e${i}`, v: i }));
      assert.equal(await insertBatch(mongo, col, docs.slice(0, 20), 'add events'), 20);
      assert.equal(await insertBatch(mongo, col, docs, 'add events'), 30);
      assert.equal(await insertBatch(mongo, col, [], 'add events'), 0);
      assert.equal(await col.countDocuments({}), 50);
    } finally {
      await mongo.close();
    }
  });

  test('a server restart mid-use: the driver reconnects, operations just work', async () => {
    const mongo = await openMongo(ferret.url, 'plumbing', silent, { timeoutMs: 15_000 });
    try {
      const col = mongo.db.collection<{ _id: string }>('restart');
      await mongo.run('insert before', () => col.insertOne({ _id: 'before' }));
      const restarting = ferret.restart();
      const during = mongo.run('upsert during restart', () => col.updateOne({ _id: 'during' }, { $set: { at: 1 } }, { upsert: true }));
      await restarting;
      await during;
      await mongo.run('insert after restart', () => col.insertOne({ _id: 'after' }));
      assert.equal(await mongo.run('count after', () => col.countDocuments({})), 3);
    } finally {
      await mongo.close();
    }
  });

  test('a lost link: logged once as lost and once as restored; an operation issued meanwhile succeeds when it is back', async () => {
    const proxy = await startTcpProxy(ferret.port);
    const { log, lines } = capturingLogger();
    const mongo = await openMongo(`mongodb://127.0.0.1:${proxy.port}/`, 'plumbing', log, { timeoutMs: 20_000 });
    try {
      const col = mongo.db.collection<{ _id: string }>('link');
      await mongo.run('insert before', () => col.insertOne({ _id: 'before' }));
      proxy.cut();
      await waitFor('loss logged', () => lines().some((l) => /connection to mongodb:\/\/127\.0\.0\.1:\d+\/ lost/.test(l)), { timeoutMs: 15_000 });
      assert.equal(mongo.connected, false);
      const during = mongo.run('insert while down', () => col.insertOne({ _id: 'during' }));
      proxy.restore();
      await during;
      await waitFor('recovery logged', () => lines().some((l) => /connection to mongodb:\/\/127\.0\.0\.1:\d+\/ restored/.test(l)), { timeoutMs: 15_000 });
      assert.equal(mongo.connected, true);
      assert.equal(lines().filter((l) => / lost /.test(l)).length, 1);
      assert.equal(await mongo.run('count after', () => col.countDocuments({})), 2);
    } finally {
      await mongo.close();
      await proxy.close();
    }
  });

  test('a server that stays away: ServiceUnavailable naming the operation and the URL, no crash', async () => {
    const own = await startFerretDb();
    const mongo = await openMongo(own.url, 'plumbing', silent, { timeoutMs: 1000 });
    try {
      const col = mongo.db.collection<{ _id: string }>('gone');
      await col.insertOne({ _id: 'x' });
      await own.stop();
      await assert.rejects(
        mongo.run('read x', () => col.findOne({ _id: 'x' })),
        (e: unknown) => {
          assert.ok(e instanceof EdgeXError, String(e));
          assert.equal(e.kind, 'ServiceUnavailable');
          assert.match(
            e.message,
            new RegExp(`^read x \\(gave up after \\d+ attempts in \\d+ ms\\): database mongodb://127\\.0\\.0\\.1:${own.port}/ is unavailable`),
          );
          return true;
        },
      );
    } finally {
      await mongo.close();
      await own.stop();
    }
  });
});

/** The error Node gives a client whose connection the server resets. */
async function socketResetError(): Promise<Error> {
  const server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<Error>((resolve) => {
      const client = connect((server.address() as AddressInfo).port, '127.0.0.1', () => client.write('hello'));
      client.on('error', resolve);
    });
  } finally {
    server.close();
  }
}
