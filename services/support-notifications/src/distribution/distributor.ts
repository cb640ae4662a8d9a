import { errorMessage, ESCALATION_SUBSCRIPTION, newUuid, type Address, type Notification, type Subscription, type Transmission } from '@edgex-ts/contracts';
import { durationMs } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { NotificationStores, ResendSchedule, ScheduledTransmission } from '../store/types.js';
import type { RecordedSend } from './channels/index.js';
import { escalationOf } from './escalation.js';

export interface DistributorDeps {
  stores: NotificationStores;
  send: RecordedSend;
  /** Writable.ResendLimit / ResendInterval, read at each failure (they may change at run time). */
  resendDefaults: () => { limit: number; interval: string };
  /** Notifications and resends delivered at once; the rest wait in the store. */
  maxInFlight: number;
  log: Logger;
  /** Each transmission as stored after an attempt (metrics). */
  onTransmission?: (t: Transmission) => void;
  now?: () => number;
}

/** After a failed store read or write, the pump (or the failed delivery) tries again this much later. */
const STORE_RETRY_MS = 1000;

/** The key of one delivery of a notification: the subscription and the channel (its fields in a fixed order). */
function deliveryKey(subscriptionName: string, channel: Address): string {
  const entries = Object.entries(channel)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${subscriptionName}\u0000${JSON.stringify(entries)}`;
}

/**
 * Delivers notifications (edgex-go application/distributioncoordinator.go and send.go), with the store as the
 * queue: a notification is stored pending and delivered by the next pump; a failed CRITICAL transmission is stored
 * RESENDING with its schedule and resent when due. At most maxInFlight deliveries run at once; the pump takes
 * more from the store as they finish, so a flood waits on disk, not in memory, and a restart resumes both.
 *
 * Distribution: the UNLOCKED subscriptions whose categories hold the notification's category or whose labels share
 * one of its labels; one transmission per channel (a channel already recorded for the notification, by a run
 * that was interrupted, is not sent again); then the notification is PROCESSED. A CRITICAL notification whose
 * send failed is resent resendLimit times every resendInterval (the subscription's, else Writable's), then the
 * transmission is ESCALATED and an escalation notification goes to the channels of the subscription ESCALATION.
 */
export class Distributor {
  private readonly notificationsInFlight = new Set<string>();
  private readonly resendsInFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private pumping = false;
  private pumpRun: Promise<void> | undefined;
  private pumpAgain = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly now: () => number;

  constructor(private readonly deps: DistributorDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Deliveries under way. */
  get inFlight(): number {
    return this.notificationsInFlight.size + this.resendsInFlight.size;
  }

  /** Something was stored: look for work (coalesced; never throws). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumpRun = this.pump();
  }

  /** Stops taking work and waits for the deliveries under way (each ends within the channel timeouts). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pumpRun;
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        let free = this.deps.maxInFlight - this.inFlight;
        if (free > 0) {
          const due = await this.deps.stores.transmissions.dueResends(this.now(), free, this.resendsInFlight);
          if (this.stopped) break;
          for (const d of due) this.launchResend(d);
        }
        free = this.deps.maxInFlight - this.inFlight;
        if (free > 0) {
          const pending = await this.deps.stores.notifications.pending(free, this.notificationsInFlight);
          if (this.stopped) break;
          for (const n of pending) this.launchDistribution(n);
        }
      } while (this.pumpAgain && !this.stopped);
      if (!this.stopped) await this.armTimer();
    } catch (err) {
      this.deps.log.error({ err }, `notification delivery could not read the store (trying again in ${STORE_RETRY_MS} ms): ${errorMessage(err)}`);
      this.armTimerAt(this.now() + STORE_RETRY_MS);
    } finally {
      this.pumping = false;
    }
    if (this.pumpAgain) this.wake();
  }

  /** Wakes the pump when the earliest resend is due. */
  private async armTimer(): Promise<void> {
    const at = await this.deps.stores.transmissions.nextResendAt();
    if (at !== undefined) this.armTimerAt(at);
  }

  private armTimerAt(at: number): void {
    if (this.stopped) return;
    if (this.timer && at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.wake();
      },
      Math.max(0, at - this.now()),
    );
    this.timer.unref();
  }

  private track(set: Set<string>, id: string, work: () => Promise<void>, what: string): void {
    set.add(id);
    const task = work()
      .catch(async (err: unknown) => {
        this.deps.log.error({ err }, `${what} failed (left in the store, tried again in ${STORE_RETRY_MS} ms): ${errorMessage(err)}`);
        // Held in flight a while, so a store that keeps failing is not retried in a tight loop.
        if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS).unref());
      })
      .finally(() => {
        set.delete(id);
        this.running.delete(task);
        this.wake();
      });
    this.running.add(task);
  }

  private launchDistribution(n: Notification): void {
    this.track(this.notificationsInFlight, n.id!, () => this.distribute(n), `delivery of notification ${n.id}`);
  }

  private launchResend(due: ScheduledTransmission): void {
    this.track(this.resendsInFlight, due.transmission.id!, () => this.resend(due), `resend of transmission ${due.transmission.id}`);
  }

  private async distribute(n: Notification): Promise<void> {
    const { subscriptions, notifications } = this.deps.stores;
    const subs = (await subscriptions.matching(n.category, n.labels ?? [])).filter((s) => s.adminState === 'UNLOCKED');
    await this.transmitOnce(n, subs);
    await notifications.markDistributed(n.id!, n.status === 'NEW' ? 'PROCESSED' : n.status!, this.now());
  }

  /** Sends `n` over every channel of `subs` not yet recorded for it. */
  private async transmitOnce(n: Notification, subs: Subscription[]): Promise<void> {
    const done = new Set((await this.deps.stores.transmissions.ofNotification(n.id!)).map((t) => deliveryKey(t.subscriptionName, t.channel)));
    const sends = subs.flatMap((sub) => sub.channels.filter((ch) => !done.has(deliveryKey(sub.name, ch))).map((ch) => this.transmit(n, sub, ch)));
    const failed = (await Promise.allSettled(sends)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private resendPolicy(sub: Subscription): { limit: number; intervalMs: number } {
    const defaults = this.deps.resendDefaults();
    return {
      limit: sub.resendLimit && sub.resendLimit > 0 ? sub.resendLimit : defaults.limit,
      intervalMs: durationMs(sub.resendInterval || defaults.interval),
    };
  }

  private async transmit(n: Notification, sub: Subscription, channel: Address): Promise<void> {
    const record = await this.deps.send(n, channel);
    const t: Transmission = {
      id: newUuid(),
      created: this.now(),
      channel,
      notificationId: n.id!,
      subscriptionName: sub.name,
      records: [record],
      resendCount: 0,
      status: record.status,
    };
    let schedule: ResendSchedule | undefined;
    // An escalation is never resent (EdgeX: "Do not resend if the notification status is Escalated").
    if (n.severity === 'CRITICAL' && record.status === 'FAILED' && n.status !== 'ESCALATED') {
      const { limit, intervalMs } = this.resendPolicy(sub);
      t.status = 'RESENDING';
      schedule = { limit, intervalMs, nextAttemptAt: limit > 0 ? this.now() + intervalMs : this.now() };
    }
    await this.deps.stores.transmissions.add(t, schedule);
    this.deps.onTransmission?.(t);
    if (schedule) this.armTimerAt(schedule.nextAttemptAt);
  }

  private async resend({ transmission: t, schedule }: ScheduledTransmission): Promise<void> {
    const { notifications, transmissions } = this.deps.stores;
    const n = await notifications.byId(t.notificationId);
    if (!n) {
      // Deleted meanwhile (cleanup, DELETE by id): nothing left to send.
      await transmissions.update({ ...t, status: 'FAILED' });
      return;
    }
    if (t.resendCount < schedule.limit) {
      this.deps.log.warn(
        `sending the critical notification ${n.id} to ${t.subscriptionName} failed; sending it again (${t.resendCount + 1} of ${schedule.limit})`,
      );
      const record = await this.deps.send(n, t.channel);
      const next: Transmission = {
        ...t,
        records: [...t.records, record],
        resendCount: t.resendCount + 1,
        status: record.status === 'FAILED' ? 'RESENDING' : record.status,
      };
      if (next.status !== 'RESENDING' || next.resendCount < schedule.limit) {
        const nextSchedule = next.status === 'RESENDING' ? { ...schedule, nextAttemptAt: this.now() + schedule.intervalMs } : undefined;
        await transmissions.update(next, nextSchedule);
        this.deps.onTransmission?.(next);
        if (nextSchedule) this.armTimerAt(nextSchedule.nextAttemptAt);
        return;
      }
      t = next;
    }
    this.deps.log.warn(`transmission ${t.id} of notification ${n.id} to ${t.subscriptionName} failed ${t.resendCount + 1} times: escalated`);
    // The escalation first: if the service stops in between, the transmission is still due and escalates again (once).
    await this.escalate(n, t);
    const escalated: Transmission = { ...t, status: 'ESCALATED' };
    await transmissions.update(escalated);
    this.deps.onTransmission?.(escalated);
  }

  private async escalate(n: Notification, t: Transmission): Promise<void> {
    const { subscriptions, notifications } = this.deps.stores;
    const sub = await subscriptions.byName(ESCALATION_SUBSCRIPTION);
    if (!sub) {
      this.deps.log.warn(`subscription ${ESCALATION_SUBSCRIPTION} does not exist, skip the escalated notification sending`);
      return;
    }
    const escalation = escalationOf(n, t, this.now());
    const stored = await notifications.byId(escalation.id!);
    if (!stored) await notifications.add(escalation, false);
    await this.transmitOnce(stored ?? escalation, [sub]);
  }
}
