/**
 * Auto-events: one {@link IntervalRunner} per (device, autoEvent). Each tick reads the auto-event's source
 * through `read` and hands the event to `deliver`. Failed ticks are logged and skipped; LOCKED devices (and
 * all devices while the service is LOCKED) have no running auto-events. An auto-event with `onChange` sends
 * only changed readings (see ChangeFilter). Once closed (the service stops) no auto-event starts again, whoever
 * asks (a device change from core-metadata, the service UNLOCKED).
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage, parseDuration, type AutoEvent, type Device, type Event } from '@edgex-ts/contracts';
import { ChangeFilter } from './onchange.js';
import { IntervalRunner } from './scheduler.js';

export interface AutoEventManagerOptions {
  /** Reads `sourceName` of the device now known under `deviceName` (throws when it cannot; undefined skips the tick, e.g. device DOWN). */
  read: (deviceName: string, sourceName: string) => Promise<Event | undefined>;
  /** Takes a read event (e.g. queues it for the bus); must not block. */
  deliver: (event: Event) => void;
  log: Logger;
  /** True while the device service is LOCKED: no auto-event is started then. */
  serviceLocked?: () => boolean;
}

export class AutoEventManager {
  private readonly runners = new Map<string, { autoEvent: AutoEvent; runner: IntervalRunner }[]>();
  private closed = false;
  /** Events not sent because an onChange auto-event read the same values again. */
  unchanged = 0;

  constructor(private readonly opts: AutoEventManagerOptions) {}

  /** (Re)starts the auto-events of `device`: stops the old ones, starts new ones unless the device is LOCKED or the manager closed. */
  async startDevice(device: Device): Promise<void> {
    await this.stopDevice(device.name);
    if (this.closed || this.opts.serviceLocked?.()) return;
    if (device.adminState === 'LOCKED') {
      this.opts.log.debug({ device: device.name }, 'device is LOCKED: auto-events not started');
      return;
    }
    const list: { autoEvent: AutoEvent; runner: IntervalRunner }[] = [];
    for (const ae of device.autoEvents ?? []) {
      const log = this.opts.log.child({ device: device.name, source: ae.sourceName });
      let intervalMs: number;
      try {
        intervalMs = parseDuration(ae.interval);
        if (!(intervalMs > 0)) throw new EdgeXError('ContractInvalid', `autoEvents.interval: must be > 0, got ${ae.interval}`);
      } catch (err) {
        log.error({ err: errorMessage(err) }, `auto-event ${ae.sourceName} of ${device.name} not started`);
        continue;
      }
      const changes = ae.onChange ? new ChangeFilter(ae.onChangeThreshold ?? 0) : undefined;
      const runner = new IntervalRunner({
        intervalMs,
        run: async () => {
          const event = await this.opts.read(device.name, ae.sourceName);
          if (!event) return;
          if (changes && !changes.accept(event)) {
            this.unchanged++;
            return;
          }
          this.opts.deliver(event);
        },
        onError: (err) => log.warn({ err: errorMessage(err) }, `auto-event ${device.name}/${ae.sourceName} failed`),
        onSkip: (n) => log.debug({ skipped: n }, 'previous read still running: ticks skipped'),
      });
      list.push({ autoEvent: ae, runner });
      runner.start();
    }
    if (list.length > 0) {
      this.runners.set(device.name, list);
      this.opts.log.debug({ device: device.name, autoEvents: list.length }, 'auto-events started');
    }
  }

  /** Stops the auto-events of one device and waits for running reads. */
  async stopDevice(deviceName: string): Promise<void> {
    const list = this.runners.get(deviceName);
    if (!list) return;
    this.runners.delete(deviceName);
    await Promise.all(list.map((r) => r.runner.stop()));
  }

  /** Stops every auto-event. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.keys()].map((name) => this.stopDevice(name)));
  }

  /** Stops every auto-event for good: startDevice does nothing afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopAll();
  }

  /** Number of running auto-event schedules. */
  get count(): number {
    let n = 0;
    for (const list of this.runners.values()) n += list.length;
    return n;
  }
}
