import {
  EdgeXError,
  NOTIFICATION_STATUSES,
  TRANSMISSION_STATUSES,
  supportnotificationsV1 as pb,
  type NotificationStatus,
  type TransmissionStatus,
} from '@edgex-ts/contracts';
import { checkOffset, grpcUnary, pageFromProto } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { NotificationsDomain } from '../domain/index.js';
import type { PageOf, Paging } from '../store/types.js';
import { notificationFromProto, notificationToProto, subscriptionFromProto, subscriptionToProto, transmissionToProto } from './mapping.js';

function required(value: string, field: string): string {
  if (value.trim() === '') throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}

function oneOfOrEmpty<T extends string>(value: string, values: readonly T[], field: string): T | undefined {
  if (value === '') return undefined;
  if (!(values as readonly string[]).includes(value)) throw new EdgeXError('ContractInvalid', `${field}: expected one of ${values.join(', ')}, got ${value}`);
  return value as T;
}

function ms(v: bigint | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new EdgeXError('ContractInvalid', `${field}: ${v} is out of range`);
  return n;
}

function ids(list: string[]): string[] {
  const out = [...new Set(list.map((s) => s.trim()).filter((s) => s !== ''))];
  if (out.length === 0) throw new EdgeXError('ContractInvalid', 'ids: at least one id is required');
  return out;
}

function checked<T>(page: PageOf<T>, paging: Paging): PageOf<T> {
  checkOffset(paging.offset, page.totalCount);
  return page;
}

/** edgex.supportnotifications.v1.SupportNotificationsService over the notifications domain (same rules as REST). */
export function supportNotificationsGrpcService(domain: NotificationsDomain, maxResultCount: number, log: Logger): pb.SupportNotificationsServiceServer {
  const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) => grpcUnary<Req, Res>(fn, log);
  return {
    addSubscription: unary(async (req: pb.AddSubscriptionRequest) => ({ id: await domain.subscriptions.add(subscriptionFromProto(req.subscription)) })),
    getSubscription: unary(async (req: pb.GetSubscriptionRequest) => ({
      subscription: subscriptionToProto(await domain.subscriptions.byName(required(req.name, 'name'))),
    })),
    listSubscriptions: unary(async (req: pb.ListSubscriptionsRequest) => {
      const p = pageFromProto(req.page, maxResultCount);
      const filter = { category: req.category || undefined, label: req.label || undefined, receiver: req.receiver || undefined };
      const page = checked(await domain.subscriptions.list(filter, p), p);
      return { subscriptions: page.items.map(subscriptionToProto), totalCount: page.totalCount };
    }),
    deleteSubscription: unary(async (req: pb.DeleteSubscriptionRequest) => {
      await domain.subscriptions.deleteByName(required(req.name, 'name'));
      return {};
    }),
    addNotification: unary(async (req: pb.AddNotificationRequest) => ({ id: await domain.notifications.add(notificationFromProto(req.notification)) })),
    getNotification: unary(async (req: pb.GetNotificationRequest) => ({
      notification: notificationToProto(await domain.notifications.byId(required(req.id, 'id'))),
    })),
    listNotifications: unary(async (req: pb.ListNotificationsRequest) => {
      const p = pageFromProto(req.page, maxResultCount);
      const start = ms(req.start, 'start');
      const end = ms(req.end, 'end');
      if (start !== undefined && end !== undefined && end < start) throw new EdgeXError('ContractInvalid', `end: ${end} is before start ${start}`);
      const page = req.subscriptionName
        ? await domain.notifications.bySubscriptionName(req.subscriptionName, p, req.acknowledged)
        : await domain.notifications.list(
            {
              category: req.category || undefined,
              label: req.label || undefined,
              status: oneOfOrEmpty<NotificationStatus>(req.status, NOTIFICATION_STATUSES, 'status'),
              start,
              end,
              acknowledged: req.acknowledged,
            },
            p,
          );
      checked(page, p);
      return { notifications: page.items.map(notificationToProto), totalCount: page.totalCount };
    }),
    acknowledgeNotifications: unary(async (req: pb.AcknowledgeNotificationsRequest) => {
      await domain.notifications.setAcknowledged(ids(req.ids), req.acknowledged);
      return {};
    }),
    deleteNotifications: unary(async (req: pb.DeleteNotificationsRequest) => {
      await domain.notifications.deleteByIds(ids(req.ids));
      return {};
    }),
    getTransmission: unary(async (req: pb.GetTransmissionRequest) => ({
      transmission: transmissionToProto(await domain.transmissions.byId(required(req.id, 'id'))),
    })),
    listTransmissions: unary(async (req: pb.ListTransmissionsRequest) => {
      const p = pageFromProto(req.page, maxResultCount);
      const filter = {
        status: oneOfOrEmpty<TransmissionStatus>(req.status, TRANSMISSION_STATUSES, 'status'),
        subscriptionName: req.subscriptionName || undefined,
        notificationId: req.notificationId || undefined,
        start: ms(req.start, 'start'),
        end: ms(req.end, 'end'),
      };
      const page = checked(await domain.transmissions.list(filter, p), p);
      return { transmissions: page.items.map(transmissionToProto), totalCount: page.totalCount };
    }),
  };
}
