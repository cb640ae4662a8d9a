/**
 * Runs the driver's discovery on request (POST /api/v3/discovery, device-sdk-go
 * `internal/controller/http/discovery.go`) and, with `Device.Discovery.Interval` > 0, periodically. One
 * discovery at a time: a request while one runs is accepted and joins it. The driver reports what it finds
 * through `DeviceServiceSdk.publishDiscoveredDevices`.
 */
import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { Logger } from 'pino';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { API_BASE, asyncRoute, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { ProtocolDriver } from './driver.js';

export interface DiscoveryRunnerOptions {
  driver: ProtocolDriver;
  /** `Device.Discovery.Enabled`. */
  enabled(): boolean;
  /** True while the device service is LOCKED. */
  serviceLocked(): boolean;
  /** 0: only on request. */
  intervalMs: number;
  log: Logger;
}

export class DiscoveryRunner {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Discoveries run to completion (successful or not). */
  runs = 0;

  constructor(private readonly opts: DiscoveryRunnerOptions) {}

  /** Starts a discovery unless one runs; throws ServiceLocked (423) or ServiceUnavailable (503, disabled, unsupported or stopped). */
  trigger(): void {
    if (this.stopped) throw new EdgeXError('ServiceUnavailable', 'device service is stopping: discovery refused');
    if (this.opts.serviceLocked()) throw new EdgeXError('ServiceLocked', 'device service is LOCKED: discovery refused');
    if (!this.opts.enabled()) throw new EdgeXError('ServiceUnavailable', 'device discovery is disabled (Device.Discovery.Enabled)');
    const discover = this.opts.driver.discover?.bind(this.opts.driver);
    if (!discover) throw new EdgeXError('ServiceUnavailable', 'this device service does not support discovery (its driver has no discover())');
    if (this.running) {
      this.opts.log.info('device discovery already running');
      return;
    }
    this.opts.log.info('device discovery started');
    this.running = (async () => {
      try {
        await discover();
      } catch (err) {
        this.opts.log.error({ err: errorMessage(err) }, 'device discovery failed');
      } finally {
        this.runs++;
        this.running = undefined;
      }
    })();
  }

  /** Periodic discovery when Interval > 0 (skipped while disabled or LOCKED); nothing once stopped. */
  start(): void {
    if (this.stopped || !(this.opts.intervalMs > 0)) return;
    this.timer = setInterval(() => {
      try {
        this.trigger();
      } catch (err) {
        this.opts.log.debug({ err: errorMessage(err) }, 'periodic discovery skipped');
      }
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic discovery for good (no discovery starts afterwards) and waits for a running one. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/** POST /api/v3/discovery → 202 (EdgeX "Device Discovery is triggered"), 423 LOCKED, 503 disabled. */
export function addDiscoveryRoute(app: express.Express, runner: DiscoveryRunner): void {
  restRoutes(app).post(
    `${API_BASE}/discovery`,
    asyncRoute(async (_req, res) => {
      runner.trigger();
      sendOk(res, 202, { requestId: randomUUID(), message: 'Device Discovery is triggered.' });
    }),
  );
}
