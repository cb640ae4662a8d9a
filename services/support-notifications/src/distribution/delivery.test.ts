// Delivery end to end, on SQLite and on MongoDB (FerretDB): notifications reach a real webhook receiver, a real SMTP
// server (aiosmtpd) and a subscriber on a real Mosquitto; CRITICAL failures are resent then escalated; a receiver
// that hangs or refuses is a FAILED transmission; resends survive a restart of the service.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Notification, Transmission } from '@edgex-ts/contracts';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { freePort } from '../../../../test/helpers/ports.js';
import { startSmtpServer, type SmtpServer } from '../../../../test/helpers/smtp.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import { apiOf, batch, startForTest, type Api } from '../test-support/service.js';

const backends = databaseBackends('support_notifications_delivery');
let smtp: SmtpServer;
let mosquitto: MosquittoBroker;
const receivers: Receiver[] = [];

before(async () => {
  smtp = await startSmtpServer();
  mosquitto = await startMosquitto();
});
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await smtp?.stop();
  await mosquitto?.stop();
});

async function receiver(answer: number | 'hang' = 200): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

const rest = (port: number, path = '/', httpMethod = 'POST') => ({ type: 'REST', host: '127.0.0.1', port, path, httpMethod });

async function addOk(api: Api, path: string, key: string, ...items: unknown[]): Promise<string[]> {
  const res = await api.call<{ statusCode: number; id: string; message?: string }[]>('POST', path, batch(key, ...items));
  assert.equal(res.status, 207);
  for (const item of res.body) assert.equal(item.statusCode, 201, item.message);
  return res.body.map((i) => i.id);
}

async function transmissionsOf(api: Api, notificationId: string): Promise<Transmission[]> {
  const res = await api.call<{ transmissions: Transmission[] }>('GET', `/transmission/notification/id/${notificationId}?limit=-1`);
  assert.equal(res.status, 200);
  return res.body.transmissions;
}

for (const backend of backends) {
  describe(`delivery on ${backend.name}`, () => {
    test('a notification reaches the webhook, the SMTP server and the MQTT subscriber of the subscriptions it matches', async () => {
      const hook = await receiver(200);
      const lockedHook = await receiver(200);
      const subscriber: MqttClient = await connectAsync(mosquitto.url, { clientId: `sub-${process.pid}-${backend.name.length}` });
      const mqttMessages: { topic: string; payload: string }[] = [];
      subscriber.on('message', (topic, payload) => mqttMessages.push({ topic, payload: payload.toString('utf8') }));
      const topic = `alerts/${backend.name.length}/boiler`;
      await subscriber.subscribeAsync(topic, { qos: 1 });
      const content = `Boiler over temperature on ${backend.name}`;
      const svc = await startForTest(backend.fresh(), {
        Smtp: { Host: smtp.host, Port: smtp.port, AuthMode: 'none', Sender: 'edgex@example.com' },
      });
      try {
        const api = apiOf(svc);
        await addOk(
          api,
          '/subscription',
          'subscription',
          { name: 'webhook', receiver: 'ops', categories: ['health'], channels: [rest(hook.port, '/hook?x=1', 'PUT')] },
          { name: 'mail', receiver: 'ops', labels: ['boiler', 'pump'], channels: [{ type: 'EMAIL', recipients: ['a@example.com', 'b@example.com'] }] },
          {
            name: 'mqtt',
            receiver: 'ops',
            categories: ['health'],
            channels: [{ type: 'MQTT', host: '127.0.0.1', port: mosquitto.port, publisher: 'edgex-notify', topic, qos: 1 }],
          },
          { name: 'locked', receiver: 'ops', categories: ['health'], adminState: 'LOCKED', channels: [rest(lockedHook.port)] },
          { name: 'other', receiver: 'ops', categories: ['billing'], channels: [rest(lockedHook.port)] },
        );
        const [id] = await addOk(api, '/notification', 'notification', {
          category: 'health',
          labels: ['boiler'],
          content,
          contentType: 'text/plain',
          sender: 'rules-engine',
          severity: 'NORMAL',
        });

        const sent = await waitFor('three transmissions SENT', async () => {
          const ts = await transmissionsOf(api, id);
          return ts.length === 3 && ts.every((t) => t.status === 'SENT') && ts;
        });
        assert.deepEqual(sent.map((t) => t.subscriptionName).sort(), ['mail', 'mqtt', 'webhook']);
        for (const t of sent) assert.equal(t.records.length, 1);

        assert.equal(hook.requests.length, 1);
        assert.equal(hook.requests[0].method, 'PUT');
        assert.equal(hook.requests[0].url, '/hook?x=1');
        assert.equal(hook.requests[0].headers['content-type'], 'text/plain');
        assert.equal(hook.requests[0].body, content);
        assert.equal(lockedHook.requests.length, 0, 'LOCKED and non-matching subscriptions receive nothing');

        const mails = await waitFor('the e-mail', () => {
          const mine = smtp.messages().filter((m) => m.data.includes(content));
          return mine.length > 0 && mine;
        });
        assert.equal(mails.length, 1);
        assert.equal(mails[0].mailFrom, 'edgex@example.com');
        assert.deepEqual(mails[0].rcptTos, ['a@example.com', 'b@example.com']);
        assert.ok(
          mails[0].data.startsWith(
            `Subject: EdgeX Notification\r\nFrom: rules-engine\r\nTo: a@example.com,b@example.com\r\nMIME-version: 1.0;\r\nContent-Type: text/plain; charset="UTF-8";\r\n\r\n${content}\r\n`,
          ),
          mails[0].data,
        );

        const msgs = await waitFor('the MQTT message', () => mqttMessages.length > 0 && mqttMessages);
        assert.deepEqual(msgs, [{ topic, payload: content }]);

        const n = await api.call<{ notification: Notification }>('GET', `/notification/id/${id}`);
        assert.equal(n.body.notification.status, 'PROCESSED');
      } finally {
        await svc.stop();
        await subscriber.endAsync();
      }
    });

    test('a CRITICAL notification to a receiver answering 500 is resent resendLimit times, then ESCALATED and escalated', async () => {
      const broken = await receiver(500);
      const oncall = await receiver(200);
      const svc = await startForTest(backend.fresh());
      try {
        const api = apiOf(svc);
        await addOk(
          api,
          '/subscription',
          'subscription',
          { name: 'pump-team', receiver: 'pumps', categories: ['alarm'], resendLimit: 3, resendInterval: '200ms', channels: [rest(broken.port, '/alarm')] },
          { name: 'ESCALATION', receiver: 'oncall', categories: ['escalation'], channels: [rest(oncall.port, '/escalated')] },
        );
        const [id] = await addOk(api, '/notification', 'notification', {
          category: 'alarm',
          content: 'Pump failed',
          sender: 'pump-monitor',
          severity: 'CRITICAL',
        });

        const [t] = await waitFor('the transmission ESCALATED', async () => {
          const ts = await transmissionsOf(api, id);
          return ts.length === 1 && ts[0].status === 'ESCALATED' && ts;
        });
        assert.equal(t.resendCount, 3);
        assert.deepEqual(
          t.records.map((r) => r.status),
          ['FAILED', 'FAILED', 'FAILED', 'FAILED'],
        );
        assert.match(t.records[0].response, /status 500/);
        assert.equal(broken.requests.length, 4, 'the first attempt and exactly resendLimit more');

        const escalated = await waitFor('the escalation delivered', () => oncall.requests.length === 1 && oncall.requests);
        assert.equal(escalated[0].url, '/escalated');
        assert.equal(escalated[0].body, `[This notification is escalated by the transmission ${t.id}] Pump failed`);
        assert.equal(escalated[0].headers['content-type'], 'text/plain');

        const esc = await api.call<{ notifications: Notification[] }>('GET', '/notification/status/ESCALATED');
        assert.equal(esc.body.notifications.length, 1);
        assert.equal(esc.body.notifications[0].content, escalated[0].body);
        const escTs = await waitFor('the escalation transmission recorded', async () => {
          const ts = await transmissionsOf(api, esc.body.notifications[0].id!);
          return ts.length === 1 && ts;
        });
        assert.equal(escTs[0].subscriptionName, 'ESCALATION');
        assert.equal(escTs[0].status, 'SENT');

        const byStatus = await api.call<{ transmissions: Transmission[] }>('GET', '/transmission/status/ESCALATED');
        assert.deepEqual(
          byStatus.body.transmissions.map((x) => x.id),
          [t.id],
        );
        const bySub = await api.call<{ transmissions: Transmission[] }>('GET', '/transmission/subscription/name/pump-team');
        assert.equal(bySub.body.transmissions[0].records.length, 4);
        assert.equal(broken.requests.length, 4, 'no attempt after the escalation');
      } finally {
        await svc.stop();
      }
    });

    test('a receiver that hangs or refuses makes a FAILED transmission while the service keeps answering', async () => {
      const hanging = await receiver('hang');
      const closedPort = await freePort();
      const svc = await startForTest(backend.fresh(), { Service: { RequestTimeout: '400ms' } });
      try {
        const api = apiOf(svc);
        await addOk(
          api,
          '/subscription',
          'subscription',
          { name: 'slow', receiver: 'x', categories: ['c'], channels: [rest(hanging.port)] },
          { name: 'gone', receiver: 'x', categories: ['c'], channels: [rest(closedPort)] },
        );
        const [id] = await addOk(api, '/notification', 'notification', { category: 'c', content: 'hello', sender: 's', severity: 'NORMAL' });
        await waitFor('the hanging receiver reached', () => hanging.requests.length === 1);
        const ping = await api.call<{ serviceName: string }>('GET', '/ping');
        assert.equal(ping.status, 200, 'the service answers while a receiver hangs');

        const ts = await waitFor('both transmissions FAILED', async () => {
          const list = await transmissionsOf(api, id);
          return list.length === 2 && list.every((t) => t.status === 'FAILED') && list;
        });
        const bySub = Object.fromEntries(ts.map((t) => [t.subscriptionName, t.records[0].response]));
        assert.match(bySub.slow, /no answer within 400 ms/);
        assert.match(bySub.gone, /ECONNREFUSED/);
      } finally {
        await svc.stop();
      }
    });

    test('resends of a CRITICAL notification resume after a restart: exactly resendLimit further attempts in all', async () => {
      const broken = await receiver(500);
      const database = backend.fresh();
      let svc = await startForTest(database);
      const api = () => apiOf(svc);
      try {
        await addOk(api(), '/subscription', 'subscription', {
          name: 'flaky',
          receiver: 'x',
          labels: ['plant'],
          resendLimit: 3,
          resendInterval: '1s',
          channels: [rest(broken.port)],
        });
        const [id] = await addOk(api(), '/notification', 'notification', { labels: ['plant'], content: 'Valve stuck', sender: 's', severity: 'CRITICAL' });
        await waitFor('the first resend', async () => {
          const [t] = await transmissionsOf(api(), id);
          return t?.status === 'RESENDING' && t.resendCount >= 1;
        });
        await svc.stop();
        const [stopped] = await transmissionsOf(await startAgain(), id);
        assert.ok(stopped.resendCount < 3, `stopped in the middle of the resends (${stopped.resendCount} done)`);

        const [t] = await waitFor('the transmission ESCALATED after the restart', async () => {
          const ts = await transmissionsOf(api(), id);
          return ts[0]?.status === 'ESCALATED' && ts;
        });
        assert.equal(t.resendCount, 3);
        assert.equal(t.records.length, 4);
        assert.equal(broken.requests.length, 4, 'no attempt lost or repeated across the restart');
      } finally {
        await svc.stop();
      }

      async function startAgain(): Promise<Api> {
        svc = await startForTest(database);
        return apiOf(svc);
      }
    });
  });
}
