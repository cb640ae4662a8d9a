import {
  EdgeXError,
  newUuid,
  parseDto,
  SubscriptionSchema,
  type Notification,
  type Subscription,
  type Transmission,
  type UpdateSubscription,
} from '@edgex-ts/contracts';
import type { NotificationFilter, NotificationStores, PageOf, Paging, SubscriptionFilter, TransmissionFilter } from '../store/types.js';

export interface NotificationsDomainDeps {
  stores: NotificationStores;
  /** Called after notifications were stored, so that the distributor picks them up. */
  onNotificationsAdded: () => void;
  /** Counts stored notifications (metrics). */
  onNotificationAdded?: (n: Notification) => void;
  now?: () => number;
}

export type NotificationsDomain = ReturnType<typeof createNotificationsDomain>;

/** EdgeX's age ("ticks" in ms): a non-negative integer. */
function ageCutoff(now: number, age: number): number {
  if (!Number.isSafeInteger(age) || age < 0) throw new EdgeXError('ContractInvalid', `age: expected a non-negative integer of milliseconds, got ${age}`);
  return now - age;
}

function notFound(what: string): EdgeXError {
  return new EdgeXError('NotFound', what);
}

/**
 * support-notifications' rules (edgex-go internal/support/notifications/application): subscriptions, notifications
 * (stored pending; the distributor delivers them) and transmissions. Knows nothing of HTTP or gRPC.
 */
export function createNotificationsDomain(deps: NotificationsDomainDeps) {
  const { subscriptions, notifications, transmissions } = deps.stores;
  const now = deps.now ?? Date.now;

  async function subscriptionByName(name: string): Promise<Subscription> {
    const s = await subscriptions.byName(name);
    if (!s) throw notFound(`subscription ${name} does not exist`);
    return s;
  }

  return {
    subscriptions: {
      async add(s: Subscription): Promise<string> {
        const t = now();
        const stored: Subscription = { ...s, id: s.id || newUuid(), created: t, modified: t };
        await subscriptions.add(stored);
        return stored.id!;
      },
      /** PATCH: the fields sent replace the stored ones; the result must still be a valid subscription. */
      async update(patch: UpdateSubscription): Promise<void> {
        const current = patch.id ? await subscriptions.byId(patch.id) : await subscriptions.byName(patch.name!);
        if (!current) throw notFound(`subscription ${patch.id ? `id ${patch.id}` : patch.name} does not exist`);
        if (patch.id && patch.name !== undefined && patch.name !== current.name) {
          throw new EdgeXError('ContractInvalid', `subscription.name: ${patch.name} does not match the name ${current.name} of id ${patch.id}`);
        }
        const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const merged = parseDto(SubscriptionSchema, { ...current, ...changes, id: current.id, created: current.created, modified: now() }, 'subscription');
        await subscriptions.update(merged);
      },
      byName: subscriptionByName,
      list: (filter: SubscriptionFilter, page: Paging): Promise<PageOf<Subscription>> => subscriptions.list(filter, page),
      async deleteByName(name: string): Promise<void> {
        if (!(await subscriptions.deleteByName(name))) throw notFound(`subscription ${name} does not exist`);
      },
    },

    notifications: {
      /** Stores the notification to be distributed (status NEW unless sent otherwise) and wakes the distributor. */
      async add(n: Notification): Promise<string> {
        const t = now();
        const stored: Notification = { ...n, id: n.id || newUuid(), created: t, modified: t, status: n.status ?? 'NEW', acknowledged: n.acknowledged ?? false };
        await notifications.add(stored, true);
        deps.onNotificationAdded?.(stored);
        deps.onNotificationsAdded();
        return stored.id!;
      },
      async byId(id: string): Promise<Notification> {
        const n = await notifications.byId(id);
        if (!n) throw notFound(`notification ${id} does not exist`);
        return n;
      },
      list: (filter: NotificationFilter, page: Paging): Promise<PageOf<Notification>> => notifications.list(filter, page),
      /** Notifications the named subscription receives (its categories or labels). */
      async bySubscriptionName(name: string, page: Paging, acknowledged?: boolean): Promise<PageOf<Notification>> {
        const s = await subscriptionByName(name);
        return notifications.list({ subscribedBy: { categories: s.categories ?? [], labels: s.labels ?? [] }, acknowledged }, page);
      },
      async setAcknowledged(ids: readonly string[], acknowledged: boolean): Promise<void> {
        const missing = await notifications.setAcknowledged(ids, acknowledged, now());
        if (missing.length) throw notFound(`notification ${missing.join(', ')} does not exist`);
      },
      async deleteByIds(ids: readonly string[]): Promise<void> {
        const missing = await notifications.deleteByIds(ids);
        if (missing.length) throw notFound(`notification ${missing.join(', ')} does not exist`);
      },
      /** DELETE /notification/age/{age}: PROCESSED notifications last modified at least age ms ago, with their transmissions. */
      deleteProcessedByAge: (age: number): Promise<number> => notifications.deleteModifiedBefore(ageCutoff(now(), age), true),
      /** /cleanup[/age/{age}]: notifications of any status last modified at least age ms ago, with their transmissions. */
      cleanupByAge: (age: number): Promise<number> => notifications.deleteModifiedBefore(ageCutoff(now(), age), false),
    },

    transmissions: {
      async byId(id: string): Promise<Transmission> {
        const t = await transmissions.byId(id);
        if (!t) throw notFound(`transmission ${id} does not exist`);
        return t;
      },
      list: (filter: TransmissionFilter, page: Paging): Promise<PageOf<Transmission>> => transmissions.list(filter, page),
      /** Transmissions of an existing subscription. */
      async bySubscriptionName(name: string, page: Paging): Promise<PageOf<Transmission>> {
        await subscriptionByName(name);
        return transmissions.list({ subscriptionName: name }, page);
      },
      async byNotificationId(id: string, page: Paging): Promise<PageOf<Transmission>> {
        if (!(await notifications.byId(id))) throw notFound(`notification ${id} does not exist`);
        return transmissions.list({ notificationId: id }, page);
      },
      deleteByAge: (age: number): Promise<number> => transmissions.deleteCreatedBefore(ageCutoff(now(), age)),
    },
  };
}
