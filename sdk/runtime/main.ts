import { constants } from 'node:os';
import { errorKind, errorMessage } from '@edgex-ts/contracts';

/** What a started service hands back that a process needs: every `start<Service>()` handle has it. */
export interface StoppableService {
  stop(): Promise<void>;
}

/**
 * How a service's process ends: 0 after a clean stop (SIGTERM/SIGINT); 1 when it could not start or could not
 * stop cleanly; 128 + the signal's number when a second signal ends it without a clean stop (the shell's
 * convention for a process killed by a signal).
 */
export const EXIT_CODE = {
  stopped: 0,
  startFailed: 1,
  stopFailed: 1,
  interrupted: (signal: NodeJS.Signals) => 128 + constants.signals[signal],
} as const;

/** The line a service prints when it cannot start: `<service>: could not start: <message>`, then ` (<kind>)` when the error has one. */
export function startFailureLine(name: string, err: unknown): string {
  const kind = errorKind(err);
  return `${name}: could not start: ${errorMessage(err)}${kind ? ` (${kind})` : ''}`;
}

/**
 * SIGTERM and SIGINT for a service's process. Before `started()`, a signal is held (the service is stopped
 * cleanly once it is up); after, it stops the service and exits with {@link EXIT_CODE}. A second signal, while
 * starting or stopping, exits at once. Its own lines go to stderr, each starting with the service's name.
 */
export class StopSignals {
  private stopService: (() => Promise<void>) | undefined;
  private held: NodeJS.Signals | undefined;
  private stopping = false;
  private readonly onSignal = (signal: NodeJS.Signals) => this.received(signal);

  constructor(private readonly name: string) {
    process.on('SIGTERM', this.onSignal);
    process.on('SIGINT', this.onSignal);
  }

  /** The service is up: a signal now stops it (at once when one came while it was starting). */
  started(stop: () => Promise<void>): void {
    this.stopService = stop;
    if (this.held) this.stop(this.held);
  }

  /** Leaves signals to their default (or to other handlers). */
  remove(): void {
    process.removeListener('SIGTERM', this.onSignal);
    process.removeListener('SIGINT', this.onSignal);
  }

  private received(signal: NodeJS.Signals): void {
    if (this.stopping || this.held) {
      this.say(`${signal} again, exiting without a clean stop`);
      process.exit(EXIT_CODE.interrupted(signal));
    }
    if (this.stopService) return this.stop(signal);
    this.held = signal;
    this.say(`${signal} received while starting; stopping once started (again to exit now)`);
  }

  private stop(signal: NodeJS.Signals): void {
    this.stopping = true;
    this.say(`${signal} received, stopping`);
    this.stopService!().then(
      () => process.exit(EXIT_CODE.stopped),
      (err: unknown) => {
        this.say(`could not stop cleanly: ${errorMessage(err)}`);
        process.exit(EXIT_CODE.stopFailed);
      },
    );
  }

  private say(text: string): void {
    process.stderr.write(`${this.name}: ${text}\n`);
  }
}

/**
 * The entry point of a service's process (`src/main.ts`): runs `start`, stops the service cleanly on SIGTERM or
 * SIGINT (also when one arrives while it is starting), and when it cannot start prints
 * {@link startFailureLine} to stderr and exits with {@link EXIT_CODE}.startFailed.
 */
export async function runMain(name: string, start: () => Promise<StoppableService>): Promise<void> {
  const signals = new StopSignals(name);
  let service: StoppableService;
  try {
    service = await start();
  } catch (err) {
    signals.remove();
    process.stderr.write(`${startFailureLine(name, err)}\n`);
    process.exit(EXIT_CODE.startFailed);
  }
  signals.started(() => service.stop());
}
