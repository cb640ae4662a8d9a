/**
 * support-notifications through EdgeX's v3 REST API (with EdgeX v4's acknowledgement and delete by ids), as EdgeX's
 * Go clients call it (go-mod-core-contracts `clients/http/{subscription,notification,transmission}.go`): the same
 * paths, batch bodies and query parameters, so it works against EdgeX's support-notifications as well as ours.
 */
import type { z } from 'zod';
import {
  EdgeXError,
  errorMessage,
  NotificationSchema,
  parseDto,
  SubscriptionSchema,
  TransmissionSchema,
  type Notification,
  type NotificationStatus,
  type Subscription,
  type Transmission,
  type TransmissionStatus,
  type UpdateSubscription,
} from '@edgex-ts/contracts';
import { restPath, RestClient, type Query, type RestClientOptions } from './rest-call.js';

export interface NotificationPageOptions {
  offset?: number;
  /** Default 20 (EdgeX); -1 = as many as the service's MaxResultCount. */
  limit?: number;
}

/** Which notifications to list: at most one of the selectors (none = EdgeX v4 GET /notification, every notification). */
export interface ListNotificationsOptions extends NotificationPageOptions {
  category?: string;
  label?: string;
  status?: NotificationStatus;
  /** Notifications the named subscription receives. */
  subscriptionName?: string;
  /** created in [start, end], ms. */
  start?: number;
  end?: number;
  /** EdgeX v4: only acknowledged (true) or unacknowledged (false) notifications. */
  acknowledged?: boolean;
}

export interface ListSubscriptionsOptions extends NotificationPageOptions {
  category?: string;
  label?: string;
  receiver?: string;
}

export interface ListTransmissionsOptions extends NotificationPageOptions {
  status?: TransmissionStatus;
  subscriptionName?: string;
  notificationId?: string;
  start?: number;
  end?: number;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

const WHAT = 'support-notifications';

/** Typed, promise-based client of support-notifications' EdgeX REST API, speaking EdgeX DTOs. */
export class SupportNotificationsClient {
  private readonly rest: RestClient;

  /** `baseUrl` e.g. `http://support-notifications:59860`. */
  constructor(baseUrl: string, options?: RestClientOptions) {
    this.rest = new RestClient(baseUrl, WHAT, options);
  }

  // ----- subscriptions -----

  async addSubscription(subscription: Subscription): Promise<string> {
    return (await this.rest.batchOne('POST', '/subscription', { subscription })).id ?? '';
  }
  async updateSubscription(update: UpdateSubscription): Promise<void> {
    await this.rest.batchOne('PATCH', '/subscription', { subscription: update });
  }
  async getSubscription(name: string): Promise<Subscription> {
    const res = await this.rest.call<{ subscription?: unknown }>('GET', restPath('/subscription/name', name));
    return answered(SubscriptionSchema, res?.subscription, 'subscription');
  }
  async listSubscriptions(opts: ListSubscriptionsOptions = {}): Promise<Page<Subscription>> {
    const path =
      opts.category !== undefined
        ? restPath('/subscription/category', opts.category)
        : opts.label !== undefined
          ? restPath('/subscription/label', opts.label)
          : opts.receiver !== undefined
            ? restPath('/subscription/receiver', opts.receiver)
            : '/subscription/all';
    const res = await this.rest.call<{ subscriptions?: unknown[]; totalCount?: number }>('GET', path, { query: page(opts) });
    return { items: answeredList(SubscriptionSchema, res?.subscriptions, 'subscriptions'), totalCount: res?.totalCount ?? 0 };
  }
  async deleteSubscription(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath('/subscription/name', name));
  }

  // ----- notifications -----

  /** Stores the notification; the service delivers it to the matching subscriptions right after. */
  async addNotification(notification: Notification): Promise<string> {
    return (await this.rest.batchOne('POST', '/notification', { notification })).id ?? '';
  }
  async getNotification(id: string): Promise<Notification> {
    const res = await this.rest.call<{ notification?: unknown }>('GET', restPath('/notification/id', id));
    return answered(NotificationSchema, res?.notification, 'notification');
  }
  async listNotifications(opts: ListNotificationsOptions = {}): Promise<Page<Notification>> {
    let path: string;
    if (opts.category !== undefined) path = restPath('/notification/category', opts.category);
    else if (opts.label !== undefined) path = restPath('/notification/label', opts.label);
    else if (opts.status !== undefined) path = restPath('/notification/status', opts.status);
    else if (opts.subscriptionName !== undefined) path = restPath('/notification/subscription/name', opts.subscriptionName);
    else if (opts.start !== undefined || opts.end !== undefined) path = `/notification/start/${opts.start ?? 0}/end/${opts.end ?? Date.now()}`;
    else path = '/notification';
    const query: Query = { ...page(opts), ack: opts.acknowledged };
    const res = await this.rest.call<{ notifications?: unknown[]; totalCount?: number }>('GET', path, { query });
    return { items: answeredList(NotificationSchema, res?.notifications, 'notifications'), totalCount: res?.totalCount ?? 0 };
  }
  async acknowledgeNotifications(ids: readonly string[]): Promise<void> {
    await this.rest.call('PUT', `/notification/acknowledge/ids/${idList(ids)}`);
  }
  async unacknowledgeNotifications(ids: readonly string[]): Promise<void> {
    await this.rest.call('PUT', `/notification/unacknowledge/ids/${idList(ids)}`);
  }
  /** Deletes the notifications with their transmissions (none when one id is unknown: 404). */
  async deleteNotifications(ids: readonly string[]): Promise<void> {
    await this.rest.call('DELETE', `/notification/ids/${idList(ids)}`);
  }
  /** PROCESSED notifications last modified at least `ageMs` ago, with their transmissions. */
  async deleteProcessedNotificationsByAge(ageMs: number): Promise<void> {
    await this.rest.call('DELETE', `/notification/age/${ageMs}`);
  }
  /** Notifications of any status last modified at least `ageMs` ago (all without it), with their transmissions. */
  async cleanup(ageMs?: number): Promise<void> {
    await this.rest.call('DELETE', ageMs === undefined ? '/cleanup' : `/cleanup/age/${ageMs}`);
  }

  // ----- transmissions -----

  async getTransmission(id: string): Promise<Transmission> {
    const res = await this.rest.call<{ transmission?: unknown }>('GET', restPath('/transmission/id', id));
    return answered(TransmissionSchema, res?.transmission, 'transmission');
  }
  async listTransmissions(opts: ListTransmissionsOptions = {}): Promise<Page<Transmission>> {
    let path: string;
    if (opts.status !== undefined) path = restPath('/transmission/status', opts.status);
    else if (opts.subscriptionName !== undefined) path = restPath('/transmission/subscription/name', opts.subscriptionName);
    else if (opts.notificationId !== undefined) path = restPath('/transmission/notification/id', opts.notificationId);
    else if (opts.start !== undefined || opts.end !== undefined) path = `/transmission/start/${opts.start ?? 0}/end/${opts.end ?? Date.now()}`;
    else path = '/transmission/all';
    const res = await this.rest.call<{ transmissions?: unknown[]; totalCount?: number }>('GET', path, { query: page(opts) });
    return { items: answeredList(TransmissionSchema, res?.transmissions, 'transmissions'), totalCount: res?.totalCount ?? 0 };
  }
  /** Transmissions created at least `ageMs` ago (except those still RESENDING). */
  async deleteTransmissionsByAge(ageMs: number): Promise<void> {
    await this.rest.call('DELETE', `/transmission/age/${ageMs}`);
  }
}

function page(opts: NotificationPageOptions): Query {
  return { offset: opts.offset, limit: opts.limit };
}

function idList(ids: readonly string[]): string {
  if (ids.length === 0) throw new EdgeXError('ContractInvalid', 'ids: at least one id is required');
  return ids.map(encodeURIComponent).join(',');
}

function answered<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  if (value === undefined || value === null) throw new EdgeXError('UnexpectedServerError', `${WHAT} answered without ${field}`);
  try {
    return parseDto(schema, value, field);
  } catch (err) {
    throw new EdgeXError('UnexpectedServerError', `${WHAT} answered an unreadable ${field}: ${errorMessage(err)}`, err);
  }
}

function answeredList<S extends z.ZodType>(schema: S, values: unknown[] | null | undefined, field: string): z.output<S>[] {
  return (values ?? []).map((v, i) => answered(schema, v, `${field}[${i}]`));
}
