// SupportNotificationsService over a real gRPC connection to the real service (SQLite in memory): the same rules as
// REST, EdgeX kinds as gRPC codes, health of the service.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { GRPC_KIND_METADATA_KEY, SupportNotificationsServiceClient, supportnotificationsV1 as pb } from '@edgex-ts/contracts';
import { healthCheck, unaryCall, type UnaryMethod } from '../../../../test/helpers/grpc.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import type { SupportNotificationsHandle } from '../index.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import { startForTest } from '../test-support/service.js';
import { SUPPORT_NOTIFICATIONS_GRPC_SERVICE } from './index.js';

async function rejectsWith(p: Promise<unknown>, code: grpc.status, message: RegExp, kind: string): Promise<void> {
  await assert.rejects(p, (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `code ${err.code} (${err.details})`);
    assert.match(err.details, message);
    assert.equal(err.metadata.get(GRPC_KIND_METADATA_KEY)[0], kind);
    return true;
  });
}

describe('support-notifications gRPC', () => {
  let svc: SupportNotificationsHandle;
  let client: SupportNotificationsServiceClient;
  let hook: Receiver;
  const call = <Req, Res>(method: UnaryMethod<Req, Res>, req: Req) => unaryCall(client, method, req);

  before(async () => {
    hook = await startReceiver(200);
    svc = await startForTest({ Type: 'sqlite', Path: ':memory:' });
    client = new SupportNotificationsServiceClient(`127.0.0.1:${svc.grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await svc?.stop();
    await hook?.close();
  });

  it('serves grpc.health.v1 for the service', async () => {
    assert.equal(await healthCheck(svc.grpcPort, SUPPORT_NOTIFICATIONS_GRPC_SERVICE), 'SERVING');
  });

  it('subscriptions: add, get, list by category, delete; bad input is INVALID_ARGUMENT naming the field', async () => {
    const subscription = pb.Subscription.fromPartial({
      name: 'grpc-sub',
      receiver: 'ops',
      categories: ['grpc'],
      channels: [{ type: 'REST', host: '127.0.0.1', port: hook.port, httpMethod: 'POST', path: '/grpc' }],
    });
    const { id } = await call(client.addSubscription, { subscription });
    const got = await call(client.getSubscription, { name: 'grpc-sub' });
    assert.equal(got.subscription?.id, id);
    assert.equal(got.subscription?.adminState, 'UNLOCKED');
    assert.equal(got.subscription?.channels[0].port, hook.port);
    const list = await call(client.listSubscriptions, pb.ListSubscriptionsRequest.fromPartial({ category: 'grpc' }));
    assert.deepEqual(
      list.subscriptions.map((s) => s.name),
      ['grpc-sub'],
    );
    await rejectsWith(
      call(client.addSubscription, {
        subscription: { ...subscription, name: 'bad', channels: [pb.Address.fromPartial({ type: 'EMAIL', recipients: ['nope'] })] },
      }),
      grpc.status.INVALID_ARGUMENT,
      /subscription\.channels\[0\]\.recipients\[0\]/,
      'ContractInvalid',
    );
    await rejectsWith(call(client.addSubscription, { subscription }), grpc.status.ALREADY_EXISTS, /grpc-sub/, 'DuplicateName');
    await rejectsWith(call(client.getSubscription, { name: 'none' }), grpc.status.NOT_FOUND, /none/, 'NotFound');
  });

  it('notifications: added and delivered, listed, acknowledged, transmissions listed, deleted', async () => {
    const { id } = await call(client.addNotification, {
      notification: pb.Notification.fromPartial({ category: 'grpc', content: 'over gRPC', sender: 'grpc-test', severity: 'NORMAL' }),
    });
    await waitFor('the webhook', () => hook.requests.some((r) => r.body === 'over gRPC'));
    const ts = await waitFor('the transmission', async () => {
      const res = await call(client.listTransmissions, pb.ListTransmissionsRequest.fromPartial({ notificationId: id }));
      return res.transmissions.length === 1 && res.transmissions;
    });
    assert.equal(ts[0].status, 'SENT');
    assert.equal(ts[0].records[0].status, 'SENT');
    assert.equal((await call(client.getTransmission, { id: ts[0].id })).transmission?.subscriptionName, 'grpc-sub');

    const byStatus = await call(client.listNotifications, pb.ListNotificationsRequest.fromPartial({ status: 'PROCESSED' }));
    assert.deepEqual(
      byStatus.notifications.map((n) => n.id),
      [id],
    );
    await call(client.acknowledgeNotifications, { ids: [id], acknowledged: true });
    assert.equal((await call(client.getNotification, { id })).notification?.acknowledged, true);
    const unacked = await call(client.listNotifications, pb.ListNotificationsRequest.fromPartial({ subscriptionName: 'grpc-sub', acknowledged: false }));
    assert.equal(unacked.totalCount, 0);
    await rejectsWith(
      call(client.addNotification, { notification: pb.Notification.fromPartial({ content: 'x', sender: 's', severity: 'NORMAL' }) }),
      grpc.status.INVALID_ARGUMENT,
      /notification\.category/,
      'ContractInvalid',
    );
    await rejectsWith(
      call(client.listNotifications, pb.ListNotificationsRequest.fromPartial({ status: 'DONE' })),
      grpc.status.INVALID_ARGUMENT,
      /status/,
      'ContractInvalid',
    );
    await call(client.deleteNotifications, { ids: [id] });
    await rejectsWith(call(client.getNotification, { id }), grpc.status.NOT_FOUND, new RegExp(id), 'NotFound');
    await call(client.deleteSubscription, { name: 'grpc-sub' });
  });
});
