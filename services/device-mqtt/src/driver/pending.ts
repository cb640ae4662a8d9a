/**
 * Commands waiting for their device's answer, keyed by request id: bounded, each with its own deadline.
 */
import { EdgeXError } from '@edgex-ts/contracts';

/** What a waiting command is about, for error messages and logs. */
export interface PendingLabel {
  deviceName: string;
  resourceName: string;
  method: string;
  topic: string;
}

interface Entry {
  label: PendingLabel;
  resolve(payload: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class PendingRequests {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly max: number,
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers `id` and returns the promise of its answer; call before publishing the request.
   * Throws ServiceUnavailable at once when `max` requests are already waiting.
   */
  open(id: string, label: PendingLabel): Promise<Buffer> {
    if (this.entries.size >= this.max) {
      throw new EdgeXError(
        'ServiceUnavailable',
        `device ${label.deviceName}: cannot ${label.method} ${label.resourceName}: ${this.max} commands are already waiting for MQTT responses (MQTTBrokerInfo.MaxPendingRequests)`,
      );
    }
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.entries.delete(id);
        this.onTimeout();
        reject(
          new EdgeXError(
            'ServiceUnavailable',
            `device ${label.deviceName} did not answer ${label.method} ${label.resourceName} within ${this.timeoutMs} ms (request on ${label.topic})`,
          ),
        );
      }, this.timeoutMs);
      this.entries.set(id, { label, resolve, reject, timer });
    });
  }

  /** Hands `payload` to the request `id`; false when nobody waits for it (late, unknown or duplicate). */
  settle(id: string, payload: Buffer): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.take(id, entry);
    entry.resolve(payload);
    return true;
  }

  /** Fails request `id` (e.g. its publish failed); no-op when it is gone. */
  fail(id: string, err: Error): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.take(id, entry);
    entry.reject(err);
  }

  /** Fails every waiting request with the error `why` builds for it. */
  failAll(why: (label: PendingLabel) => Error): void {
    for (const [id, entry] of [...this.entries]) {
      this.take(id, entry);
      entry.reject(why(entry.label));
    }
  }

  private take(id: string, entry: Entry): void {
    clearTimeout(entry.timer);
    this.entries.delete(id);
  }
}
