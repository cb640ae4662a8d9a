import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '../errors.js';
import {
  AddressSchema,
  NotificationSchema,
  SubscriptionSchema,
  TransmissionSchema,
  addressWire,
  notificationWire,
  restUrlOf,
  subscriptionWire,
  transmissionWire,
  UpdateSubscriptionSchema,
} from './notification.js';
import { parseDto } from './parse.js';

/** The object as JSON carries it (fields read as not sent are undefined). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const rejects = (schema: Parameters<typeof parseDto>[0], value: unknown, field: string) =>
  assert.throws(
    () => parseDto(schema, value, 'x'),
    (e: EdgeXError) => e.kind === 'ContractInvalid' && e.message.includes(field),
  );

test('addresses: each channel type with its required fields; hosts, ports, methods, e-mail addresses checked', () => {
  assert.deepEqual(plain(parseDto(AddressSchema, { type: 'REST', host: 'svc.local', port: 80, httpMethod: 'PUT', path: '' }, 'a')), {
    type: 'REST',
    host: 'svc.local',
    port: 80,
    httpMethod: 'PUT',
  });
  parseDto(AddressSchema, { type: 'REST', host: '::1', port: 8080, httpMethod: 'POST' }, 'a');
  parseDto(AddressSchema, { type: 'MQTT', host: '10.0.0.1', port: 1883, publisher: 'p', topic: 't', qos: 2 }, 'a');
  parseDto(AddressSchema, { type: 'EMAIL', host: '', port: 0, recipients: ['a@example.com'] }, 'a');
  rejects(AddressSchema, { type: 'ZeroMQ', host: 'h', port: 1 }, 'x.type');
  rejects(AddressSchema, { type: 'REST', host: 'h', port: 1 }, 'x.httpMethod');
  rejects(AddressSchema, { type: 'REST', host: 'h/p', port: 1, httpMethod: 'GET' }, 'x.host');
  rejects(AddressSchema, { type: 'REST', host: 'h', port: 1, httpMethod: 'GET', scheme: 'ftp' }, 'x.scheme');
  rejects(AddressSchema, { type: 'MQTT', host: 'h', port: 1, topic: 't' }, 'x.publisher');
  rejects(AddressSchema, { type: 'MQTT', host: 'h', port: 1, topic: 't', publisher: 'p', qos: 3 }, 'x.qos');
  rejects(AddressSchema, { type: 'EMAIL', recipients: ['ok@example.com', 'no at sign'] }, 'x.recipients[1]');
  assert.equal(restUrlOf({ host: 'h', port: 81, path: 'api' }), 'http://h:81/api');
  assert.equal(restUrlOf({ scheme: 'HTTPS', host: 'h', port: 443, path: '/x?y=1' }), 'https://h:443/x?y=1');
});

test('subscriptions and notifications: categories or labels, unreserved characters, durations, severities', () => {
  const channels = [{ type: 'EMAIL', recipients: ['a@example.com'] }];
  const s = parseDto(SubscriptionSchema, { name: 'n', receiver: 'r', labels: ['l'], channels, resendInterval: '250ms' }, 's');
  assert.equal(s.adminState, 'UNLOCKED');
  rejects(SubscriptionSchema, { name: 'n', receiver: 'r', channels }, 'x.categories');
  rejects(SubscriptionSchema, { name: 'n', receiver: 'r', categories: ['a+b'], channels }, 'x.categories[0]');
  rejects(SubscriptionSchema, { name: 'n', receiver: 'r', categories: ['a'], channels, resendInterval: 'soon' }, 'x.resendInterval');
  rejects(SubscriptionSchema, { name: 'n', receiver: 'r', categories: ['a'], channels, resendLimit: -1 }, 'x.resendLimit');
  rejects(UpdateSubscriptionSchema, { receiver: 'r' }, 'x.name');
  const n = parseDto(NotificationSchema, { category: 'c', labels: null, content: 'x', sender: 's', severity: 'CRITICAL', status: '' }, 'n');
  assert.deepEqual(plain(n), { category: 'c', content: 'x', sender: 's', severity: 'CRITICAL', acknowledged: false });
  rejects(NotificationSchema, { content: 'x', sender: 's', severity: 'NORMAL' }, 'x.category');
  rejects(NotificationSchema, { category: 'c', content: 'x', sender: 's', severity: 'HIGH' }, 'x.severity');
});

test('wire shapes: EdgeX omits empty optional fields and always writes type/host/port, status, acknowledged', () => {
  assert.deepEqual(addressWire({ type: 'EMAIL', recipients: ['a@example.com'] }), { type: 'EMAIL', recipients: ['a@example.com'], host: '', port: 0 });
  const sub = parseDto(
    SubscriptionSchema,
    { name: 'n', receiver: 'r', categories: ['c'], labels: [], channels: [{ type: 'REST', host: 'h', port: 1, httpMethod: 'GET' }], description: '' },
    's',
  );
  assert.deepEqual(Object.keys(subscriptionWire(sub)).sort(), ['adminState', 'categories', 'channels', 'name', 'receiver']);
  assert.deepEqual(notificationWire({ category: 'c', content: 'x', sender: 's', severity: 'MINOR', acknowledged: false }), {
    category: 'c',
    content: 'x',
    sender: 's',
    severity: 'MINOR',
    acknowledged: false,
  });
  const t = parseDto(
    TransmissionSchema,
    {
      channel: { type: 'EMAIL', recipients: ['a@example.com'] },
      notificationId: 'n',
      subscriptionName: 's',
      status: 'SENT',
      records: [{ status: 'SENT', sent: 5 }],
    },
    't',
  );
  assert.deepEqual(transmissionWire(t), {
    channel: { type: 'EMAIL', recipients: ['a@example.com'], host: '', port: 0 },
    notificationId: 'n',
    subscriptionName: 's',
    status: 'SENT',
    records: [{ status: 'SENT', sent: 5 }],
  });
});
