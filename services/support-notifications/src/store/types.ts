/**
 * The storage contract of support-notifications. Stores speak the EdgeX DTO shapes and hold no rules beyond
 * uniqueness (a clash throws EdgeXError DuplicateName). The store is also the delivery queue: a notification is
 * stored `pending` until its first sends are recorded, and a failed CRITICAL transmission carries its resend
 * schedule, so a restarted service picks up both where they were.
 */
import type { Notification, NotificationStatus, Subscription, Transmission, TransmissionStatus } from '@edgex-ts/contracts';

export interface Paging {
  offset: number;
  /** Maximum number of items (the caller caps it at Service.MaxResultCount). */
  limit: number;
}

export interface PageOf<T> {
  /** Items matching the filter, ignoring offset and limit. */
  totalCount: number;
  items: T[];
}

export interface SubscriptionFilter {
  category?: string;
  label?: string;
  receiver?: string;
}

export interface SubscriptionStore {
  /** Throws DuplicateName when the id or name exists. */
  add(subscription: Subscription): Promise<void>;
  /** Replaces the subscription with the same id; false when there is none. Throws DuplicateName on a name clash. */
  update(subscription: Subscription): Promise<boolean>;
  byName(name: string): Promise<Subscription | undefined>;
  byId(id: string): Promise<Subscription | undefined>;
  deleteByName(name: string): Promise<boolean>;
  /** Ordered by created, then name. */
  list(filter: SubscriptionFilter, page: Paging): Promise<PageOf<Subscription>>;
  /** Every subscription (any admin state) with `category` among its categories or one of `labels` among its labels. */
  matching(category: string | undefined, labels: readonly string[]): Promise<Subscription[]>;
}

export interface NotificationFilter {
  category?: string;
  /** Any of these categories (EdgeX v4 queryCondition). */
  categories?: string[];
  label?: string;
  status?: NotificationStatus;
  /** created ≥ start (ms). */
  start?: number;
  /** created ≤ end (ms). */
  end?: number;
  acknowledged?: boolean;
  /** Notifications a subscription with these categories and labels receives (category in, or a label in common). */
  subscribedBy?: { categories: string[]; labels: string[] };
}

export interface NotificationStore {
  /** Stores a notification (id and timestamps set); `pending` = its distribution is still to do. DuplicateName on the id. */
  add(notification: Notification, pending: boolean): Promise<void>;
  byId(id: string): Promise<Notification | undefined>;
  /** Newest first (created, then id). */
  list(filter: NotificationFilter, page: Paging): Promise<PageOf<Notification>>;
  /** Up to `limit` notifications still to distribute, oldest first, leaving out those in `except`. */
  pending(limit: number, except: ReadonlySet<string>): Promise<Notification[]>;
  /** The distribution of a notification is recorded: not pending any more, with this status. */
  markDistributed(id: string, status: NotificationStatus, modified: number): Promise<void>;
  /** Sets `acknowledged` on these ids; returns the ids that were not found (nothing is changed then). */
  setAcknowledged(ids: readonly string[], acknowledged: boolean, modified: number): Promise<string[]>;
  /** Deletes these notifications and their transmissions; returns the ids that were not found (nothing is deleted then). */
  deleteByIds(ids: readonly string[]): Promise<string[]>;
  /** Deletes notifications last modified at or before `modifiedBefore` (only PROCESSED ones when `processedOnly`), with their transmissions; returns how many. */
  deleteModifiedBefore(modifiedBefore: number, processedOnly: boolean): Promise<number>;
  count(): Promise<number>;
  /** Deletes the oldest notifications (by created) beyond the newest `keep`, with their transmissions, at most `limit`; returns how many. */
  deleteBeyondNewest(keep: number, limit: number): Promise<number>;
}

/** When and how often a failed CRITICAL transmission is sent again. */
export interface ResendSchedule {
  /** ms since the epoch. */
  nextAttemptAt: number;
  /** Further attempts allowed in all (resendCount stops there). */
  limit: number;
  intervalMs: number;
}

export interface ScheduledTransmission {
  transmission: Transmission;
  schedule: ResendSchedule;
}

export interface TransmissionFilter {
  status?: TransmissionStatus;
  subscriptionName?: string;
  notificationId?: string;
  start?: number;
  end?: number;
}

export interface TransmissionStore {
  /** Stores a transmission (id and created set), with a resend schedule while it is RESENDING. */
  add(transmission: Transmission, schedule?: ResendSchedule): Promise<void>;
  /** Replaces it by id (the schedule too: none once it is not RESENDING). */
  update(transmission: Transmission, schedule?: ResendSchedule): Promise<void>;
  byId(id: string): Promise<Transmission | undefined>;
  /** Newest first (created, then id). */
  list(filter: TransmissionFilter, page: Paging): Promise<PageOf<Transmission>>;
  /** Every transmission of one notification. */
  ofNotification(notificationId: string): Promise<Transmission[]>;
  /** Up to `limit` resends due at `now`, earliest first, leaving out those in `except`. */
  dueResends(now: number, limit: number, except: ReadonlySet<string>): Promise<ScheduledTransmission[]>;
  /** When the earliest scheduled resend is due; undefined when none is. */
  nextResendAt(): Promise<number | undefined>;
  /** Deletes transmissions created at or before `createdBefore`, except those still RESENDING; returns how many. */
  deleteCreatedBefore(createdBefore: number): Promise<number>;
}

export interface NotificationStores {
  subscriptions: SubscriptionStore;
  notifications: NotificationStore;
  transmissions: TransmissionStore;
  close(): Promise<void>;
}
