// Central logging (issue #12): with Logging.EnableRemoteLogging every service's log lines arrive in support-logging
// and are found by service, level, keyword and time range, in the all-in-one and with every service its own
// process. With support-logging stopped the services keep answering; once it is back, each says how many lines it
// dropped, and what it kept is at most its Logging.RemoteBufferSize. A service's last line, on stop, arrives too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { SupportLoggingClient } from '@edgex-ts/client';
import type { LogEntry } from '@edgex-ts/contracts';
import { databaseSectionSchema } from '@edgex-ts/runtime';
import { openLogStore, startSupportLogging, type SupportLoggingHandle } from '@edgex-ts/support-logging';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { pino } from 'pino';
import { freePort } from '../helpers/ports.js';
import { startNode, type RunningProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const BUFFER = 20;
const BATCH = 10;
const PINGS = 100;

const dataDir = mkdtempSync(join(tmpdir(), 'edgex-central-logging-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** support-logging in this process on a fixed port (so that it can come back where the services look for it). */
function startLoggingService(port: number, dbPath: string): Promise<SupportLoggingHandle> {
  return startSupportLogging({
    configOverrides: { Service: { Host: '127.0.0.1', Port: port, GrpcPort: 0 }, Database: { Path: dbPath }, Retention: { Enabled: false } },
    env: {},
    argv: [],
    log: pino({ level: 'silent' }),
  });
}

/** Every entry of a query, all pages. */
async function allEntries(client: SupportLoggingClient, query: Parameters<SupportLoggingClient['queryLogEntries']>[0]): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await client.queryLogEntries({ ...query, offset, limit: 500 });
    out.push(...page.entries);
    if (out.length >= page.totalCount || page.entries.length === 0) return out;
  }
}

/** Each service's "<name> listening" line (INFO, logged at start), found by service, level, keyword and time range. */
async function expectStartLines(client: SupportLoggingClient, services: string[], since: number): Promise<void> {
  for (const service of services) {
    const found = await waitFor(
      `${service}'s start line in support-logging`,
      async () => {
        const { entries } = await client.queryLogEntries({ services: [service], levels: ['INFO'], keywords: ['listening'], start: since, end: Date.now() });
        return entries.length > 0 && entries;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    assert.equal(found[0].originService, service);
    assert.equal(found[0].message, `${service} listening`);
    assert.ok(found[0].created >= since);
  }
}

/** Each service's "<name> stopped" line, its last: the runtime sends what is buffered after it, on stop. */
async function expectStopLines(client: SupportLoggingClient, services: string[]): Promise<void> {
  for (const service of services) {
    const { entries } = await client.queryLogEntries({ services: [service], keywords: [`${service} stopped`] });
    assert.equal(entries.length, 1, `${service}'s stop line arrived`);
  }
}

/**
 * Stops support-logging, pings `pingUrl` PINGS times (each a DEBUG request line of that service) and checks every
 * service still answers, brings support-logging back, and checks the loss: the WARN entry of `service` counts the
 * dropped lines, at most RemoteBufferSize lines from the outage arrived, and every ping line either arrived or was
 * counted as dropped.
 */
async function outage(opts: {
  client: SupportLoggingClient;
  service: string;
  pingUrl: string;
  otherPings: string[];
  stop: () => Promise<void>;
  restart: () => Promise<void>;
}): Promise<void> {
  const { client, service } = opts;
  await opts.stop();
  const outageStart = Date.now();
  for (let i = 0; i < PINGS; i++) assert.equal((await fetch(opts.pingUrl)).status, 200, 'the service answers while support-logging is down');
  for (const url of opts.otherPings) assert.equal((await fetch(url)).status, 200, `${url} answers while support-logging is down`);
  const outageEnd = Date.now();
  await opts.restart();

  const report = await waitFor(
    `${service}'s report of the lines it dropped`,
    async () => {
      const { entries } = await client.queryLogEntries({ services: [service], levels: ['WARN'], keywords: ['were dropped'], start: outageStart });
      return entries[0];
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  assert.equal(report.args[0], 'droppedLines');
  const dropped = report.args[1] as number;
  assert.ok(dropped >= PINGS - BUFFER, `at least ${PINGS - BUFFER} of ${PINGS} lines could not be kept, ${dropped} reported`);
  assert.match(report.message, new RegExp(`^log shipping: ${dropped} log lines of ${service} were dropped`));

  const kept = await allEntries(client, { services: [service], start: outageStart, end: outageEnd });
  assert.ok(kept.length <= BUFFER, `at most RemoteBufferSize (${BUFFER}) lines from the outage arrived, got ${kept.length}`);
  const keptPings = kept.filter((e) => e.message === 'request' && e.args.includes('/api/v3/ping')).length;
  assert.ok(keptPings + dropped >= PINGS, `every ping line arrived or was counted: ${keptPings} arrived, ${dropped} dropped`);
}

describe('central logging in the all-in-one', () => {
  let suite: Suite | undefined;
  let logging: SupportLoggingHandle | undefined;
  after(async () => {
    await suite?.stop();
    await logging?.stop();
  });

  test("the suite's own support-logging (started first, stopped last) holds every other service's lines, from the first to the last", async () => {
    const since = Date.now();
    const suiteDir = join(dataDir, 'aio-own');
    suite = await startSuite({ dataDir: suiteDir, ephemeralPorts: true, host: '127.0.0.1', commonOverrides: { Logging: { EnableRemoteLogging: true } } });
    const shipping = suite.services.map((s) => s.name).filter((name) => name !== 'support-logging');
    assert.ok(shipping.length >= 7, `the suite runs support-logging and the others: ${shipping.join(', ')}`);
    await expectStartLines(new SupportLoggingClient(suite.endpoint('support-logging').rest), shipping, since);
    await suite.stop();
    suite = undefined;

    // support-logging is gone with the suite: its file shows what it received until it stopped.
    const store = await openLogStore(databaseSectionSchema.parse({ Type: 'sqlite', Path: join(suiteDir, 'support-logging.db') }), pino({ level: 'silent' }));
    try {
      for (const service of shipping) {
        assert.equal(await store.count({ originServices: [service], keywords: [`${service} stopped`] }), 1, `${service}'s stop line arrived`);
      }
    } finally {
      await store.close();
    }
  });

  test('with support-logging outside the suite: an outage of it costs a bounded, reported number of lines', async () => {
    const port = await freePort();
    const dbPath = join(dataDir, 'aio-support-logging.db');
    logging = await startLoggingService(port, dbPath);
    const client = new SupportLoggingClient(`http://127.0.0.1:${port}`);
    const since = Date.now();
    suite = await startSuite({
      dataDir: join(dataDir, 'aio'),
      ephemeralPorts: true,
      host: '127.0.0.1',
      commonOverrides: {
        Logging: { EnableRemoteLogging: true, RemoteBufferSize: BUFFER, RemoteBatchSize: BATCH, RemoteFlushInterval: '100ms', RemoteMaxRetryInterval: '500ms' },
        Clients: { 'support-logging': { Host: '127.0.0.1', Port: port } },
      },
      // core-data's request lines (DEBUG) are what the outage counts.
      serviceOverrides: { 'core-data': { Writable: { LogLevel: 'DEBUG' } } },
    });
    const shipping = suite.services.map((s) => s.name).filter((name) => name !== 'support-logging');
    await expectStartLines(client, shipping, since);

    const coreData = suite.endpoint('core-data').rest;
    await outage({
      client,
      service: 'core-data',
      pingUrl: `${coreData}/api/v3/ping`,
      otherPings: suite.services.filter((s) => s.name !== 'support-logging').map((s) => `${s.rest}/api/v3/ping`),
      stop: async () => {
        await logging!.stop();
        logging = undefined;
      },
      restart: async () => {
        logging = await startLoggingService(port, dbPath);
      },
    });

    await suite.stop();
    suite = undefined;
    await expectStopLines(client, shipping);
  });
});

describe('central logging with every service its own process', () => {
  const running: RunningProcess[] = [];
  after(async () => {
    for (const p of running.reverse()) await p.stop();
  });

  test('core-metadata and core-data processes ship to a support-logging process; an outage costs a bounded, reported number of lines', async () => {
    const ports = {
      logging: await freePort(),
      metadata: { rest: await freePort(), grpc: await freePort() },
      data: { rest: await freePort(), grpc: await freePort() },
    };
    const dbPath = join(dataDir, 'processes-support-logging.db');
    const launchLogging = () => {
      const proc = startNode([resolve('services/support-logging/dist/main.js')], {
        SERVICE_HOST: '127.0.0.1',
        SERVICE_PORT: String(ports.logging),
        SERVICE_GRPCPORT: '0',
        DATABASE_PATH: dbPath,
        RETENTION_ENABLED: 'false',
      });
      running.push(proc);
      return proc;
    };
    const launch = (service: string, p: { rest: number; grpc: number }, logLevel: string) => {
      const proc = startNode([resolve(`services/${service}/dist/main.js`)], {
        SERVICE_HOST: '127.0.0.1',
        SERVICE_PORT: String(p.rest),
        SERVICE_GRPCPORT: String(p.grpc),
        DATABASE_PATH: join(dataDir, `${service}.db`),
        MESSAGEBUS_DISABLED: 'true',
        WRITABLE_LOGLEVEL: logLevel,
        LOGGING_ENABLEREMOTELOGGING: 'true',
        LOGGING_REMOTEBUFFERSIZE: String(BUFFER),
        LOGGING_REMOTEBATCHSIZE: String(BATCH),
        LOGGING_REMOTEFLUSHINTERVAL: '100ms',
        LOGGING_REMOTEMAXRETRYINTERVAL: '500ms',
        CLIENTS_SUPPORT_LOGGING_HOST: '127.0.0.1',
        CLIENTS_SUPPORT_LOGGING_PORT: String(ports.logging),
      });
      running.push(proc);
      return proc;
    };
    let logging = launchLogging();
    const client = new SupportLoggingClient(`http://127.0.0.1:${ports.logging}`);
    await waitFor('support-logging to answer', async () => (await fetch(`http://127.0.0.1:${ports.logging}/api/v1/ping`)).ok, { timeoutMs: 20_000 });
    const since = Date.now();
    launch('core-metadata', ports.metadata, 'INFO');
    const dataProcess = launch('core-data', ports.data, 'DEBUG');
    const dump = () => running.map((p) => p.output()).join('\n---\n');
    await expectStartLines(client, ['core-metadata', 'core-data'], since).catch((err: Error) => assert.fail(`${err.message}\n${dump()}`));

    await outage({
      client,
      service: 'core-data',
      pingUrl: `http://127.0.0.1:${ports.data.rest}/api/v3/ping`,
      otherPings: [`http://127.0.0.1:${ports.metadata.rest}/api/v3/ping`],
      stop: async () => {
        assert.equal(await logging.stop(), 0, 'support-logging stops cleanly');
      },
      restart: async () => {
        logging = launchLogging();
        await waitFor('support-logging to answer again', async () => (await fetch(`http://127.0.0.1:${ports.logging}/api/v1/ping`)).ok, { timeoutMs: 20_000 });
      },
    }).catch((err: Error) => assert.fail(`${err.message}\n${dump()}`));

    assert.equal(await dataProcess.stop(), 0, 'core-data stops cleanly');
    await expectStopLines(client, ['core-data']);
  });
});
