/**
 * support-notifications' DTOs (go-mod-core-contracts v4 dtos/address.go, subscription.go, notification.go,
 * transmission.go and requests/): Address (a subscription's channel), Subscription, Notification, Transmission.
 * Validation follows EdgeX's tags; a Go client's `null` lists and zero values are read as "not sent".
 */
import { z } from 'zod';
import { absent, absentOr, adminState, baseRequestShape, goDuration, integerNumber, nonBlank, optionalUuid, patchShape, timestampsShape } from './common.js';

/** EdgeX `edgex-dto-rfc3986-unreserved-chars`: categories, labels, names, senders and receivers. */
export const RFC3986_UNRESERVED = /^[a-zA-Z0-9\-_~:;=]+$/;
const unreserved = nonBlank.refine((s) => RFC3986_UNRESERVED.test(s), { error: 'may hold only letters, digits and - _ ~ : ; =' });

export const CHANNEL_TYPES = ['REST', 'MQTT', 'EMAIL'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'CONNECT'] as const;
export const NOTIFICATION_SEVERITIES = ['MINOR', 'NORMAL', 'CRITICAL'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];
export const NOTIFICATION_STATUSES = ['NEW', 'PROCESSED', 'ESCALATED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const TRANSMISSION_STATUSES = ['ACKNOWLEDGED', 'FAILED', 'SENT', 'ESCALATED', 'RESENDING'] as const;
export type TransmissionStatus = (typeof TRANSMISSION_STATUSES)[number];
/** The subscription that receives escalations (EdgeX `models.EscalationSubscriptionName`). */
export const ESCALATION_SUBSCRIPTION = 'ESCALATION';

const REST_SCHEMES = ['http', 'https'];
const MQTT_SCHEMES = ['tcp', 'ssl', 'tls', 'mqtt', 'mqtts', 'ws', 'wss'];
/** A host name or an IP literal (IPv6 in brackets or bare); no scheme, path, port or spaces. */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9\-_.]*[A-Za-z0-9])?)$/;
const EMAIL = z.email();

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(', ')}` });
}

const emptyAsAbsent = (v: unknown) => (v === null || v === '' ? undefined : v);
const zeroAsAbsent = (v: unknown) => (v === null || v === 0 ? undefined : v);

export const AddressSchema = z
  .object({
    type: z.enum(CHANNEL_TYPES, { error: `expected one of ${CHANNEL_TYPES.join(', ')}` }),
    scheme: z.preprocess(emptyAsAbsent, z.string().optional()),
    host: z.preprocess(emptyAsAbsent, z.string().optional()),
    port: z.preprocess(zeroAsAbsent, z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).optional()),
    // REST
    path: z.preprocess(emptyAsAbsent, z.string().optional()),
    httpMethod: z.preprocess(emptyAsAbsent, oneOf(HTTP_METHODS).optional()),
    injectEdgeXAuth: absent(z.boolean()),
    // MQTT
    publisher: z.preprocess(emptyAsAbsent, z.string().optional()),
    topic: z.preprocess(emptyAsAbsent, z.string().optional()),
    qos: z.preprocess(zeroAsAbsent, z.number().int().min(0).max(2, { error: 'must be 0, 1 or 2' }).optional()),
    keepAlive: absent(z.number().int().min(0)),
    retained: absent(z.boolean()),
    autoReconnect: absent(z.boolean()),
    connectTimeout: absent(z.number().int().min(0)),
    // EMAIL
    recipients: absent(z.array(z.string({ error: 'expected an e-mail address' }))),
    // v4 security
    secretPath: z.preprocess(emptyAsAbsent, z.string().optional()),
    authMode: z.preprocess(
      emptyAsAbsent,
      z.enum(['none', 'usernamepassword', 'cacert', 'clientcert'], { error: 'expected none, usernamepassword, cacert or clientcert' }).optional(),
    ),
    skipCertVerify: absent(z.boolean()),
  })
  .superRefine((a, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (a.type !== 'EMAIL') {
      if (a.host === undefined) issue('host', `is required for a ${a.type} address`);
      else if (!HOST.test(a.host)) issue('host', `invalid host ${JSON.stringify(a.host)}: expected a host name or IP address, without scheme, port or path`);
      if (a.port === undefined) issue('port', `is required for a ${a.type} address`);
      else if (a.port < 1 || a.port > 65535) issue('port', `must be between 1 and 65535, got ${a.port}`);
    }
    if (a.type === 'REST') {
      if (a.httpMethod === undefined) issue('httpMethod', `is required for a REST address, one of ${HTTP_METHODS.join(', ')}`);
      if (a.scheme !== undefined && !REST_SCHEMES.includes(a.scheme.toLowerCase())) issue('scheme', `expected http or https, got ${JSON.stringify(a.scheme)}`);
      if (a.path !== undefined && (/[\s\u0000-\u001f\u007f]/.test(a.path) || (a.host !== undefined && !isUrl(restUrlOf(a)))))
        issue('path', `${JSON.stringify(a.path)} does not make a valid URL`);
    } else if (a.type === 'MQTT') {
      if (a.publisher === undefined) issue('publisher', 'is required for an MQTT address');
      if (a.topic === undefined) issue('topic', 'is required for an MQTT address');
      if (a.scheme !== undefined && !MQTT_SCHEMES.includes(a.scheme.toLowerCase()))
        issue('scheme', `expected one of ${MQTT_SCHEMES.join(', ')}, got ${JSON.stringify(a.scheme)}`);
    } else {
      if (!a.recipients?.length) issue('recipients', 'at least one recipient is required for an EMAIL address');
      a.recipients?.forEach((r, i) => {
        if (!EMAIL.safeParse(r).success) ctx.addIssue({ code: 'custom', path: ['recipients', i], message: `invalid e-mail address ${JSON.stringify(r)}` });
      });
    }
  });
export type Address = z.infer<typeof AddressSchema>;

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** The URL a REST address is sent to: `<scheme>://<host>:<port><path>` (scheme http unless set). */
export function restUrlOf(a: Pick<Address, 'scheme' | 'host' | 'port' | 'path'>): string {
  const path = a.path ?? '';
  return `${(a.scheme ?? 'http').toLowerCase()}://${a.host ?? ''}:${a.port ?? 80}${path === '' || path.startsWith('/') ? path : `/${path}`}`;
}

const categoryList = z.array(unreserved, { error: 'expected an array of strings' });

const subscriptionShape = {
  id: optionalUuid,
  name: unreserved,
  channels: z.array(AddressSchema, { error: 'expected an array of addresses' }).min(1, { error: 'at least one channel is required' }),
  receiver: unreserved,
  categories: absent(categoryList),
  labels: absent(categoryList),
  description: absent(z.string()),
  resendLimit: absent(z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).min(0, { error: 'must not be negative' })),
  resendInterval: z.preprocess(emptyAsAbsent, goDuration().optional()),
  // EdgeX requires it; a Go client that leaves it empty means the default.
  adminState: z.preprocess(emptyAsAbsent, adminState.default('UNLOCKED')),
  ...timestampsShape,
};

const needsCategoriesOrLabels = (s: { categories?: string[]; labels?: string[] }) => Boolean(s.categories?.length || s.labels?.length);

export const SubscriptionSchema = z.object(subscriptionShape).refine(needsCategoriesOrLabels, {
  error: 'categories or labels is required (at least one of them)',
  path: ['categories'],
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** Partial subscription for PATCH (Go's UpdateSubscription: `null` = unchanged); found by id, else by name. */
export const UpdateSubscriptionSchema = z.object(patchShape(subscriptionShape)).refine((s) => (s.id !== undefined && s.id !== '') || s.name !== undefined, {
  error: 'id or name is required',
  path: ['name'],
});
export type UpdateSubscription = z.infer<typeof UpdateSubscriptionSchema>;

export const NotificationSchema = z
  .object({
    id: optionalUuid,
    category: z.preprocess(emptyAsAbsent, unreserved.optional()),
    labels: absent(categoryList),
    content: nonBlank,
    contentType: absent(z.string()),
    description: absent(z.string()),
    sender: unreserved,
    severity: oneOf(NOTIFICATION_SEVERITIES),
    status: z.preprocess(emptyAsAbsent, oneOf(NOTIFICATION_STATUSES).optional()),
    acknowledged: absentOr(z.boolean(), false),
    ...timestampsShape,
  })
  .refine((n) => Boolean(n.category || n.labels?.length), { error: 'category or labels is required (at least one of them)', path: ['category'] });
export type Notification = z.infer<typeof NotificationSchema>;

export const TransmissionRecordSchema = z.object({
  status: oneOf(TRANSMISSION_STATUSES),
  response: absentOr(z.string(), ''),
  sent: absentOr(integerNumber, 0),
});
export type TransmissionRecord = z.infer<typeof TransmissionRecordSchema>;

export const TransmissionSchema = z.object({
  id: optionalUuid,
  created: absent(integerNumber),
  channel: AddressSchema,
  notificationId: nonBlank,
  subscriptionName: nonBlank,
  records: absentOr(z.array(TransmissionRecordSchema), []),
  resendCount: absentOr(z.number().int().min(0), 0),
  status: oneOf(TRANSMISSION_STATUSES),
});
export type Transmission = z.infer<typeof TransmissionSchema>;

export const AddSubscriptionRequestSchema = z.object({ ...baseRequestShape, subscription: SubscriptionSchema });
export type AddSubscriptionRequest = z.infer<typeof AddSubscriptionRequestSchema>;
export const UpdateSubscriptionRequestSchema = z.object({ ...baseRequestShape, subscription: UpdateSubscriptionSchema });
export type UpdateSubscriptionRequest = z.infer<typeof UpdateSubscriptionRequestSchema>;
export const AddNotificationRequestSchema = z.object({ ...baseRequestShape, notification: NotificationSchema });
export type AddNotificationRequest = z.infer<typeof AddNotificationRequestSchema>;

/** EdgeX v4 GET /notification body: `{queryCondition: {category: [...], start, end}}` (all optional). */
export const NotificationQueryConditionSchema = z.object({
  category: absent(z.array(z.string())),
  start: absent(integerNumber),
  end: absent(integerNumber),
});
export type NotificationQueryCondition = z.infer<typeof NotificationQueryConditionSchema>;
export const GetNotificationRequestSchema = z.object({
  ...baseRequestShape,
  apiVersion: absent(z.string()),
  queryCondition: absentOr(NotificationQueryConditionSchema, {}),
});

type Json = Record<string, unknown>;

function omitEmpty(dto: object, keys: readonly string[]): Json {
  const out: Json = { ...dto };
  for (const k of keys) {
    const v = out[k];
    if (v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) delete out[k];
  }
  return out;
}

/** An Address as EdgeX writes it: `type`, `host`, `port` always; everything else only when set. */
export function addressWire(a: Address): Json {
  const out = omitEmpty(
    a,
    Object.keys(a).filter((k) => k !== 'type' && k !== 'host' && k !== 'port'),
  );
  return { ...out, host: a.host ?? '', port: a.port ?? 0 };
}

export function subscriptionWire(s: Subscription): Json {
  const out = omitEmpty(s, ['created', 'modified', 'id', 'categories', 'labels', 'description', 'resendLimit', 'resendInterval']);
  return { ...out, channels: s.channels.map(addressWire) };
}

export function notificationWire(n: Notification): Json {
  return {
    ...omitEmpty(n, ['created', 'modified', 'id', 'category', 'labels', 'contentType', 'description', 'status']),
    acknowledged: n.acknowledged ?? false,
  };
}

export function transmissionWire(t: Transmission): Json {
  const out = omitEmpty(t, ['created', 'id', 'records', 'resendCount']);
  if (Array.isArray(out.records)) out.records = t.records.map((r) => omitEmpty(r, ['response']));
  return { ...out, channel: addressWire(t.channel) };
}
