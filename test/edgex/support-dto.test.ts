/**
 * EdgeX's own Go DTO types against support-notifications and support-scheduler, both ways:
 * - every request body an EdgeX Go client marshals (test/edgex/go-dto: `edgex-dto support-vectors`, with Go's
 *   nulls and zero values; v4 go-mod-core-contracts for subscriptions, notifications and schedule jobs, v3 for the
 *   intervals and interval actions v4 removed) is sent byte for byte to the real service (SQLite) and must get
 *   EdgeX's answer (207 with per-item 201/200);
 * - every kind of answer the services send (entities, lists, transmissions after a real delivery to an HTTP
 *   receiver, schedule action records after a real run, batch answers, error bodies) is decoded by
 *   `edgex-dto check` into EdgeX's response DTO, validated by EdgeX's validation and compared field by field.
 * Unknown fields (Go clients ignore them) are reported as diagnostics, not failures.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { SupportNotificationsHandle } from '@edgex-ts/support-notifications';
import { startForTest } from '../../services/support-notifications/src/test-support/service.js';
import { startReceiver, type Receiver } from '../../services/support-notifications/src/test-support/receiver.js';
import { startScheduler, type SchedulerUnderTest } from '../../services/support-scheduler/src/test-support/harness.js';
import { describeFailures, describeFindings, EdgexDto, findEdgexDto } from '../helpers/edgex-go.js';
import { waitFor } from '../helpers/wait.js';

const execFileAsync = promisify(execFile);

type SupportService = 'support-notifications' | 'support-scheduler';

/** One request as an EdgeX Go client sends it (test/edgex/go-dto/support.go). */
interface SupportVector {
  name: string;
  service: SupportService;
  method: string;
  /** Below /api/v3. */
  path: string;
  request: string;
  answer: string;
  contentType: string;
  /** Go's exact bytes. */
  body: string;
  expect: { status: number; itemStatus?: number[] };
}

interface SupportVectors {
  contracts: string;
  names: Record<
    | 'subscriptionRest'
    | 'subscriptionEmail'
    | 'subscriptionMqtt'
    | 'subscriptionEmailId'
    | 'jobMinId'
    | 'category'
    | 'label'
    | 'notificationCategory'
    | 'notificationLabels'
    | 'notificationCritical'
    | 'subscriptionCritical'
    | 'subscriptionEscalation'
    | 'jobInterval'
    | 'jobCron'
    | 'jobMin'
    | 'interval'
    | 'intervalMin'
    | 'intervalAction'
    | 'intervalActionMin',
    string
  >;
  vectors: SupportVector[];
}

interface Answer {
  status: number;
  text: string;
}

// A failed build throws here (with the build's output); no Go and no cached binary fails the test below.
const found = findEdgexDto();

if ('missing' in found) {
  test('edgex-dto (EdgeX Go DTOs) is available for the support services', () => assert.fail(found.missing));
} else {
  const dto = new EdgexDto(found.path);
  // The receivers exist before the vectors: their REST channels, REST actions and interval actions call them; the
  // CRITICAL subscription's channel answers 500.
  const receiver: Receiver = await startReceiver();
  const failing: Receiver = await startReceiver(500);
  const generated = spawnSync(dto.bin, ['support-vectors', `127.0.0.1:${receiver.port}`, `127.0.0.1:${failing.port}`], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (generated.status !== 0) {
    await receiver.close();
    await failing.close();
    throw new Error(`edgex-dto support-vectors failed: ${generated.stderr}`);
  }
  const { names, vectors } = JSON.parse(generated.stdout) as SupportVectors;

  describe('EdgeX Go DTOs (go-mod-core-contracts v4, v3 for intervals) against support-notifications and support-scheduler', () => {
    let dir: string;
    let notifications: SupportNotificationsHandle;
    let scheduler: SchedulerUnderTest;
    const bases = {} as Record<SupportService, string>;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'support-dto-'));
      notifications = await startForTest({ Type: 'sqlite', Path: join(dir, 'notifications.db') });
      scheduler = await startScheduler({ Database: { Path: join(dir, 'scheduler.db') } });
      bases['support-notifications'] = `http://127.0.0.1:${notifications.restPort}/api/v3`;
      bases['support-scheduler'] = scheduler.url('');
    });

    after(async () => {
      await scheduler?.stop();
      await notifications?.stop();
      await receiver.close();
      await failing.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function request(service: SupportService, method: string, path: string, body?: string): Promise<Answer> {
      const res = await fetch(bases[service] + path, { method, body, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
      return { status: res.status, text: await res.text() };
    }

    /** Asserts that EdgeX's Go DTO `type` takes our answer; unknown fields become diagnostics. */
    async function assertGoDecodes(t: TestContext, what: string, type: string, text: string): Promise<void> {
      const report = await dto.check(type, text);
      const findings = describeFindings(report);
      if (findings) t.diagnostic(`${what}: ${findings}`);
      // Empty fields Go's encoder would leave out: harmless to a Go client, but not byte for byte what EdgeX sends.
      const omittable = report.diffs.filter((d) => d.kind === 'omitted-empty').map((d) => `${d.path}=${d.ours}`);
      if (omittable.length > 0) t.diagnostic(`${what}: empty fields EdgeX v4 leaves out: ${omittable.join(', ')}`);
      assert.ok(report.ok, `${what}: EdgeX's ${type} does not take our answer:\n${describeFailures(report)}\nanswer: ${text.slice(0, 2000)}`);
    }

    /** GETs `path`, asserts `status` and that EdgeX's `type` takes the answer; returns the parsed body. */
    async function checkedGet(t: TestContext, service: SupportService, path: string, type: string, status = 200): Promise<any> {
      const answer = await request(service, 'GET', path);
      assert.equal(answer.status, status, `GET ${service} /api/v3${path}: ${answer.text.slice(0, 1000)}`);
      await assertGoDecodes(t, `GET ${service} /api/v3${path}`, type, answer.text);
      return JSON.parse(answer.text);
    }

    describe('requests marshalled by EdgeX Go DTOs get EdgeX answers', () => {
      // In the vectors' order: subscriptions before their PATCH, intervals before their actions.
      for (const v of vectors) {
        test(v.name, async (t) => {
          const answer = await request(v.service, v.method, v.path, v.body);
          const where = `${v.name} (${v.method} ${v.service} /api/v3${v.path})`;
          assert.equal(
            answer.status,
            v.expect.status,
            `${where}: EdgeX answers ${v.expect.status}; we answered ${answer.status} ${answer.text.slice(0, 1000)}`,
          );
          const items = JSON.parse(answer.text) as { statusCode: number }[];
          assert.ok(Array.isArray(items), `${where}: a 207 answer is an array: ${answer.text}`);
          assert.deepEqual(
            items.map((i) => i.statusCode),
            v.expect.itemStatus,
            `${where}: per-item statusCode (EdgeX: ${v.expect.itemStatus?.join(', ')}): ${answer.text.slice(0, 1000)}`,
          );
          const sentRequestIds = (JSON.parse(v.body) as { requestId?: string }[]).map((item) => item.requestId);
          assert.deepEqual(
            items.map((i) => (i as { requestId?: string }).requestId),
            sentRequestIds,
            `${where}: EdgeX echoes each item's requestId`,
          );
          // EdgeX answers a failed item with a BaseResponse (no id), a successful one with the vector's answer type.
          for (const [i, item] of items.entries()) {
            const type = item.statusCode < 300 ? v.answer.replace(/\[\]$/, '') : 'BaseResponse';
            await assertGoDecodes(t, `${where} item ${i}`, type, JSON.stringify(item));
          }
        });
      }
    });

    describe("support-notifications' answers decode into EdgeX's response DTOs", () => {
      test('SubscriptionResponse: the PATCH with Go nulls changed only the description', async (t) => {
        const { subscription } = await checkedGet(t, 'support-notifications', `/subscription/name/${names.subscriptionRest}`, 'SubscriptionResponse');
        assert.equal(subscription.description, 'changed by a Go PATCH');
        assert.deepEqual(subscription.categories, [names.category]);
        assert.equal(subscription.channels[0].port, receiver.port);
        assert.equal(subscription.resendLimit, 2);
      });

      test('SubscriptionResponse: EMAIL and MQTT channels', async (t) => {
        const email = await checkedGet(t, 'support-notifications', `/subscription/name/${names.subscriptionEmail}`, 'SubscriptionResponse');
        assert.deepEqual(email.subscription.channels[0].recipients, ['ops@example.com', 'oncall@example.com']);
        assert.equal(email.subscription.id, names.subscriptionEmailId, 'the id the Go client gave');
        assert.equal(email.subscription.adminState, 'LOCKED', 'PATCHed by id');
        assert.deepEqual(email.subscription.categories, ['go-mail'], 'the PATCH by id changed only the admin state');
        const mqtt = await checkedGet(t, 'support-notifications', `/subscription/name/${names.subscriptionMqtt}`, 'SubscriptionResponse');
        assert.equal(mqtt.subscription.channels[0].topic, 'edgex/go/notifications');
      });

      test('MultiSubscriptionsResponse', async (t) => {
        const all = await checkedGet(t, 'support-notifications', '/subscription/all', 'MultiSubscriptionsResponse');
        assert.equal(all.totalCount, 5);
        await checkedGet(t, 'support-notifications', `/subscription/label/${names.label}`, 'MultiSubscriptionsResponse');
      });

      test('NotificationResponse and MultiNotificationsResponse', async (t) => {
        const one = await checkedGet(t, 'support-notifications', `/notification/id/${names.notificationCategory}`, 'NotificationResponse');
        assert.equal(one.notification.category, names.category);
        const byCategory = await checkedGet(t, 'support-notifications', `/notification/category/${names.category}`, 'MultiNotificationsResponse');
        assert.equal(byCategory.totalCount, 1);
        const byLabel = await checkedGet(t, 'support-notifications', `/notification/label/${names.label}`, 'MultiNotificationsResponse');
        assert.deepEqual(
          byLabel.notifications.map((n: { id: string }) => n.id),
          [names.notificationLabels],
        );
      });

      test('TransmissionResponse and MultiTransmissionsResponse after a real delivery to the HTTP receiver', async (t) => {
        await waitFor('both notifications at the REST channel', () => receiver.requests.filter((r) => r.url === '/notify').length >= 2);
        const sent = await waitFor(`a SENT transmission of ${names.notificationCategory}`, async () => {
          const answer = await request('support-notifications', 'GET', `/transmission/notification/id/${names.notificationCategory}`);
          const body = JSON.parse(answer.text) as { transmissions?: { id: string; status: string }[] };
          return body.transmissions?.find((x) => x.status === 'SENT');
        });
        const list = await checkedGet(t, 'support-notifications', `/transmission/notification/id/${names.notificationCategory}`, 'MultiTransmissionsResponse');
        assert.equal(list.transmissions[0].subscriptionName, names.subscriptionRest);
        assert.ok(list.transmissions[0].records.length >= 1, 'every attempt is recorded');
        await checkedGet(t, 'support-notifications', `/transmission/id/${sent.id}`, 'TransmissionResponse');
        await checkedGet(t, 'support-notifications', '/transmission/all', 'MultiTransmissionsResponse');
      });

      test('notifications of a subscription, and the v4 acknowledge/unacknowledge answers', async (t) => {
        const ofSubscription = await checkedGet(
          t,
          'support-notifications',
          `/notification/subscription/name/${names.subscriptionRest}`,
          'MultiNotificationsResponse',
        );
        assert.equal(ofSubscription.totalCount, 2);
        for (const action of ['acknowledge', 'unacknowledge']) {
          const answer = await request('support-notifications', 'PUT', `/notification/${action}/ids/${names.notificationCategory},${names.notificationLabels}`);
          assert.equal(answer.status, 200, answer.text);
          await assertGoDecodes(t, `PUT /notification/${action}/ids`, 'BaseResponse', answer.text);
        }
        await checkedGet(t, 'support-notifications', '/notification/status/PROCESSED', 'MultiNotificationsResponse');
      });

      test('a CRITICAL transmission to a receiver that answers 500: resent, ESCALATED, and the escalation as EdgeX sends it', async (t) => {
        const escalated = await waitFor(
          `the ESCALATED transmission of ${names.notificationCritical}`,
          async () => {
            const answer = await request('support-notifications', 'GET', `/transmission/notification/id/${names.notificationCritical}`);
            const body = JSON.parse(answer.text) as { transmissions?: { id: string; status: string }[] };
            return body.transmissions?.find((x) => x.status === 'ESCALATED');
          },
          { timeoutMs: 20_000 },
        );
        const { transmission } = await checkedGet(t, 'support-notifications', `/transmission/id/${escalated.id}`, 'TransmissionResponse');
        assert.equal(transmission.subscriptionName, names.subscriptionCritical);
        assert.equal(transmission.resendCount, 1);
        assert.equal(failing.requests.length, 2, 'the first attempt and ResendLimit (1) more');
        await checkedGet(t, 'support-notifications', '/transmission/status/ESCALATED', 'MultiTransmissionsResponse');
        await waitFor('the escalation at the ESCALATION channel', () => receiver.requests.some((r) => r.url === '/escalation'));
        const escalations = await checkedGet(t, 'support-notifications', '/notification/status/ESCALATED', 'MultiNotificationsResponse');
        assert.equal(escalations.totalCount, 1);
        await waitFor('the escalation transmission recorded', async () => {
          const answer = await request('support-notifications', 'GET', `/transmission/subscription/name/${names.subscriptionEscalation}`);
          return (JSON.parse(answer.text) as { transmissions?: { status: string }[] }).transmissions?.some((x) => x.status === 'SENT');
        });
        await checkedGet(t, 'support-notifications', `/transmission/subscription/name/${names.subscriptionEscalation}`, 'MultiTransmissionsResponse');
      });

      test('error bodies are BaseResponse', async (t) => {
        await checkedGet(t, 'support-notifications', '/subscription/name/no-such-subscription', 'BaseResponse', 404);
        await checkedGet(t, 'support-notifications', '/notification/id/00000000-0000-4000-8000-000000000000', 'BaseResponse', 404);
        const refused = await request('support-notifications', 'POST', '/subscription', '{not json');
        assert.equal(refused.status, 400);
        await assertGoDecodes(t, 'POST /subscription with a broken body', 'BaseResponse', refused.text);
      });

      test('DELETE answers are BaseResponse', async (t) => {
        const deleted = await request('support-notifications', 'DELETE', `/subscription/name/${names.subscriptionMqtt}`);
        assert.equal(deleted.status, 200, deleted.text);
        await assertGoDecodes(t, 'DELETE /subscription/name', 'BaseResponse', deleted.text);
      });
    });

    describe("support-scheduler's answers decode into EdgeX's response DTOs", () => {
      test('ScheduleJobResponse: the PATCH with Go nulls changed only the definition', async (t) => {
        const { scheduleJob } = await checkedGet(t, 'support-scheduler', `/job/name/${names.jobInterval}`, 'ScheduleJobResponse');
        assert.equal(scheduleJob.definition.interval, '2h');
        assert.equal(scheduleJob.actions.length, 2);
        assert.equal(scheduleJob.adminState, 'UNLOCKED');
        assert.deepEqual(scheduleJob.labels, ['go']);
      });

      test('ScheduleJobResponse: a CRON job with DEVICECONTROL and REST actions, and a job of zero values', async (t) => {
        const cron = await checkedGet(t, 'support-scheduler', `/job/name/${names.jobCron}`, 'ScheduleJobResponse');
        assert.equal(cron.scheduleJob.definition.crontab, '0 30 4 * * *');
        assert.equal(cron.scheduleJob.adminState, 'UNLOCKED');
        assert.deepEqual(
          cron.scheduleJob.actions.map((a: { type: string }) => a.type),
          ['DEVICECONTROL', 'REST'],
        );
        const min = await checkedGet(t, 'support-scheduler', `/job/name/${names.jobMin}`, 'ScheduleJobResponse');
        assert.equal(min.scheduleJob.id, names.jobMinId, 'the id the Go client gave');
        assert.equal(min.scheduleJob.adminState, 'LOCKED', 'PATCHed by id');
        assert.deepEqual(min.scheduleJob.properties, {}, "Go's null properties answered as EdgeX does");
      });

      test('MultiScheduleJobsResponse', async (t) => {
        const all = await checkedGet(t, 'support-scheduler', '/job/all?limit=-1', 'MultiScheduleJobsResponse');
        for (const name of [names.jobInterval, names.jobCron, names.jobMin]) {
          assert.ok(
            all.scheduleJobs.some((j: { name: string }) => j.name === name),
            `${name} is listed`,
          );
        }
      });

      test('MultiScheduleActionRecordsResponse after a real run (job/trigger) reaching the HTTP receiver', async (t) => {
        const triggered = await request('support-scheduler', 'POST', `/job/trigger/name/${names.jobInterval}`);
        assert.equal(triggered.status, 202, triggered.text);
        await assertGoDecodes(t, 'POST /job/trigger', 'BaseResponse', triggered.text);
        await waitFor('the REST action at the receiver', () => receiver.requests.some((r) => r.url === '/job'));
        await waitFor(`records of ${names.jobInterval}`, async () => {
          const answer = await request('support-scheduler', 'GET', `/scheduleactionrecord/job/name/${names.jobInterval}`);
          return (JSON.parse(answer.text) as { scheduleActionRecords?: unknown[] }).scheduleActionRecords?.length === 2;
        });
        const records = await checkedGet(t, 'support-scheduler', `/scheduleactionrecord/job/name/${names.jobInterval}`, 'MultiScheduleActionRecordsResponse');
        const rest = records.scheduleActionRecords.find((r: { action: { type: string } }) => r.action.type === 'REST');
        assert.equal(rest.status, 'SUCCEEDED');
        assert.equal(rest.action.payload, undefined, 'EdgeX records an action without its payload');
        assert.equal(rest.action.address, `http://127.0.0.1:${receiver.port}/job`);
        await checkedGet(t, 'support-scheduler', '/scheduleactionrecord/all', 'MultiScheduleActionRecordsResponse');
        await checkedGet(t, 'support-scheduler', '/scheduleactionrecord/status/FAILED', 'MultiScheduleActionRecordsResponse');
        const latest = await checkedGet(
          t,
          'support-scheduler',
          `/scheduleactionrecord/latest/job/name/${names.jobInterval}`,
          'MultiScheduleActionRecordsResponse',
        );
        assert.equal(latest.scheduleActionRecords.length, 2, 'the latest record of each action');
      });

      test('v3 IntervalResponse and MultiIntervalsResponse', async (t) => {
        const { interval } = await checkedGet(t, 'support-scheduler', `/interval/name/${names.interval}`, 'v3.IntervalResponse');
        assert.equal(interval.interval, '2h');
        assert.equal(interval.start, '20260101T000000');
        await checkedGet(t, 'support-scheduler', `/interval/name/${names.intervalMin}`, 'v3.IntervalResponse');
        await checkedGet(t, 'support-scheduler', '/interval/all', 'v3.MultiIntervalsResponse');
      });

      test('v3 IntervalActionResponse and MultiIntervalActionsResponse', async (t) => {
        const { action } = await checkedGet(t, 'support-scheduler', `/intervalaction/name/${names.intervalAction}`, 'v3.IntervalActionResponse');
        assert.equal(action.adminState, 'LOCKED');
        assert.equal(action.content, '{"from":"go v3 PATCH"}');
        assert.equal(action.address.path, '/interval-action');
        const patched = await checkedGet(t, 'support-scheduler', `/intervalaction/name/${names.intervalActionMin}`, 'v3.IntervalActionResponse');
        assert.deepEqual([patched.action.address.path, patched.action.address.httpMethod], ['/min-patched', 'PUT']);
        await checkedGet(t, 'support-scheduler', '/intervalaction/all', 'v3.MultiIntervalActionsResponse');
      });

      test('error bodies are BaseResponse', async (t) => {
        await checkedGet(t, 'support-scheduler', '/job/name/no-such-job', 'BaseResponse', 404);
        await checkedGet(t, 'support-scheduler', '/interval/name/no-such-interval', 'BaseResponse', 404);
        await checkedGet(t, 'support-scheduler', '/intervalaction/name/no-such-action', 'BaseResponse', 404);
        const refused = await request('support-scheduler', 'POST', '/job', '{not json');
        assert.equal(refused.status, 400);
        await assertGoDecodes(t, 'POST /job with a broken body', 'BaseResponse', refused.text);
      });
    });

    describe("EdgeX's own Go HTTP clients (go-mod-core-contracts) call both services", () => {
      test('every call succeeds and finds what the vectors made', async () => {
        const { stdout } = await execFileAsync(dto.bin, [
          'support-clients',
          `http://127.0.0.1:${notifications.restPort}`,
          bases['support-scheduler'].replace(/\/api\/v3$/, ''),
        ]);
        const calls = JSON.parse(stdout) as { call: string; total?: number; error?: string }[];
        const failed = calls.filter((c) => c.error).map((c) => `${c.call}: ${c.error}`);
        assert.deepEqual(failed, [], "EdgeX's Go clients failed on these calls");
        const totals = Object.fromEntries(calls.map((c) => [c.call.replace(/\(.*$/, '') + (c.call.includes('ack "true"') ? ' ack' : ''), c.total]));
        assert.deepEqual(
          {
            all: totals['SubscriptionClient.AllSubscriptions'],
            byCategory: totals['SubscriptionClient.SubscriptionsByCategory'],
            byReceiver: totals['SubscriptionClient.SubscriptionsByReceiver'],
            notificationsByCategory: totals['NotificationClient.NotificationsByCategory'],
            notificationsBySubscription: totals['NotificationClient.NotificationsBySubscriptionName'],
            byQueryConditions: totals['NotificationClient.NotificationsByQueryConditions'],
            acknowledgedByLabel: totals['NotificationClient.NotificationsByLabel ack'],
            transmissionsOfNotification: totals['TransmissionClient.TransmissionsByNotificationId'],
            jobsLabelledGo: calls.find((c) => c.call.startsWith('ScheduleJobClient.AllScheduleJobs([go]'))?.total,
            intervalFound: totals['v3 IntervalClient.IntervalByName'],
            intervalActionFound: totals['v3 IntervalActionClient.IntervalActionByName'],
          },
          {
            all: 4, // five added, the MQTT one deleted
            byCategory: 1,
            byReceiver: 1,
            notificationsByCategory: 1,
            notificationsBySubscription: 2,
            byQueryConditions: 1,
            acknowledgedByLabel: 1,
            transmissionsOfNotification: 1,
            jobsLabelledGo: 1,
            intervalFound: 1,
            intervalActionFound: 1,
          },
        );
      });
    });
  });
}
