import {
  NotificationSchema,
  parseDto,
  SubscriptionSchema,
  supportnotificationsV1 as pb,
  type Address,
  type Notification,
  type Subscription,
  type Transmission,
} from '@edgex-ts/contracts';

/** proto3 leaves unset strings empty and numbers 0: those read as "not sent", then the DTO's own validation applies (as over REST). */
function addressFromProto(a: pb.Address): Record<string, unknown> {
  return {
    type: a.type,
    scheme: a.scheme,
    host: a.host,
    port: a.port,
    path: a.path,
    httpMethod: a.httpMethod,
    injectEdgeXAuth: a.injectEdgexAuth || undefined,
    publisher: a.publisher,
    topic: a.topic,
    qos: a.qos,
    keepAlive: a.keepAlive || undefined,
    retained: a.retained || undefined,
    autoReconnect: a.autoReconnect || undefined,
    connectTimeout: a.connectTimeout || undefined,
    recipients: a.recipients.length ? a.recipients : undefined,
    secretPath: a.secretPath,
    authMode: a.authMode,
    skipCertVerify: a.skipCertVerify || undefined,
  };
}

const orUndefined = <T>(list: T[]) => (list.length ? list : undefined);

export function subscriptionFromProto(s: pb.Subscription | undefined): Subscription {
  const raw = s && {
    id: s.id || undefined,
    name: s.name,
    channels: s.channels.map(addressFromProto),
    receiver: s.receiver,
    categories: orUndefined(s.categories),
    labels: orUndefined(s.labels),
    description: s.description || undefined,
    resendLimit: s.resendLimit || undefined,
    resendInterval: s.resendInterval,
    adminState: s.adminState,
  };
  return parseDto(SubscriptionSchema, raw, 'subscription');
}

export function notificationFromProto(n: pb.Notification | undefined): Notification {
  const raw = n && {
    id: n.id || undefined,
    category: n.category,
    labels: orUndefined(n.labels),
    content: n.content,
    contentType: n.contentType || undefined,
    description: n.description || undefined,
    sender: n.sender,
    severity: n.severity,
    status: n.status,
    acknowledged: n.acknowledged,
  };
  return parseDto(NotificationSchema, raw, 'notification');
}

export function addressToProto(a: Address): pb.Address {
  return pb.Address.fromPartial({
    type: a.type,
    scheme: a.scheme,
    host: a.host,
    port: a.port,
    path: a.path,
    httpMethod: a.httpMethod,
    injectEdgexAuth: a.injectEdgeXAuth,
    publisher: a.publisher,
    topic: a.topic,
    qos: a.qos,
    keepAlive: a.keepAlive,
    retained: a.retained,
    autoReconnect: a.autoReconnect,
    connectTimeout: a.connectTimeout,
    recipients: a.recipients ?? [],
    secretPath: a.secretPath,
    authMode: a.authMode,
    skipCertVerify: a.skipCertVerify,
  });
}

const big = (v: number | undefined) => BigInt(v ?? 0);

export function subscriptionToProto(s: Subscription): pb.Subscription {
  return pb.Subscription.fromPartial({
    ...s,
    channels: s.channels.map(addressToProto),
    categories: s.categories ?? [],
    labels: s.labels ?? [],
    created: big(s.created),
    modified: big(s.modified),
  });
}

export function notificationToProto(n: Notification): pb.Notification {
  return pb.Notification.fromPartial({ ...n, labels: n.labels ?? [], created: big(n.created), modified: big(n.modified) });
}

export function transmissionToProto(t: Transmission): pb.Transmission {
  return pb.Transmission.fromPartial({
    ...t,
    channel: addressToProto(t.channel),
    created: big(t.created),
    records: t.records.map((r) => ({ status: r.status, response: r.response, sent: big(r.sent) })),
  });
}
