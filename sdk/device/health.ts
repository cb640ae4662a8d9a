/**
 * Device operating state from read outcomes (EdgeX `Device.AllowedFails` / `DeviceDownTimeout`):
 * `allowedFails` consecutive failed reads (or one failed assertion) set a device DOWN; while DOWN it is
 * probed with a read every `probeIntervalMs`, and the first successful read sets it UP again.
 */
import type { Logger } from 'pino';
import { errorMessage } from '@edgex-ts/contracts';

export type OperatingState = 'UP' | 'DOWN';

export interface DeviceHealthOptions {
  /** Consecutive failures that set a device DOWN; 0 disables it. */
  allowedFails: number;
  probeIntervalMs: number;
  /** Current operating state of a device (from the device cache); undefined when unknown. */
  stateOf(deviceName: string): string | undefined;
  /** Records a new state (cache, core-metadata, auto-events); must not throw. */
  setState(deviceName: string, state: OperatingState): void;
  /** A probe read of a DOWN device; its outcome is reported back through record*(). */
  probe(deviceName: string): Promise<void>;
  log: Logger;
}

export class DeviceHealth {
  private readonly fails = new Map<string, number>();
  private readonly probes = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: DeviceHealthOptions) {}

  /** A successful read: resets the failure count and brings a DOWN device UP. */
  recordSuccess(deviceName: string): void {
    this.fails.delete(deviceName);
    if (this.opts.stateOf(deviceName) === 'DOWN') {
      this.stopProbe(deviceName);
      this.opts.log.info({ device: deviceName }, `device ${deviceName} is UP again`);
      this.opts.setState(deviceName, 'UP');
    }
  }

  /** A failed read; `markDown` (failed assertion) sets the device DOWN at once. */
  recordFailure(deviceName: string, markDown = false): void {
    const n = (this.fails.get(deviceName) ?? 0) + 1;
    this.fails.set(deviceName, n);
    const limitReached = this.opts.allowedFails > 0 && n >= this.opts.allowedFails;
    if ((markDown || limitReached) && this.opts.stateOf(deviceName) !== 'DOWN') {
      this.opts.log.warn({ device: deviceName, consecutiveFails: n }, `device ${deviceName} is DOWN`);
      this.opts.setState(deviceName, 'DOWN');
    }
    if (this.opts.stateOf(deviceName) === 'DOWN') this.startProbe(deviceName);
  }

  /** Starts probing a device known to be DOWN (e.g. DOWN in core-metadata at start). */
  watch(deviceName: string): void {
    if (this.opts.stateOf(deviceName) === 'DOWN') this.startProbe(deviceName);
  }

  /** Forgets a device (removed). */
  forget(deviceName: string): void {
    this.fails.delete(deviceName);
    this.stopProbe(deviceName);
  }

  /** Stops every probe. */
  close(): void {
    this.closed = true;
    for (const name of [...this.probes.keys()]) this.stopProbe(name);
  }

  private startProbe(deviceName: string): void {
    if (this.closed || this.probes.has(deviceName)) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.opts
        .probe(deviceName)
        .catch((err: unknown) => this.opts.log.debug({ device: deviceName, err: errorMessage(err) }, 'probe read failed'))
        .finally(() => (running = false));
    }, this.opts.probeIntervalMs);
    timer.unref();
    this.probes.set(deviceName, timer);
  }

  private stopProbe(deviceName: string): void {
    const t = this.probes.get(deviceName);
    if (t) clearInterval(t);
    this.probes.delete(deviceName);
  }
}
