/**
 * EdgeX v3's `Intervals` and `IntervalActions` configuration sections, added to the store at start. An entry is
 * seeded once: one the user deleted stays deleted (the store remembers what it seeded), one the user changed
 * keeps the user's change.
 */
import type { Logger } from 'pino';
import { IntervalActionSchema, IntervalSchema, parseDto } from '@edgex-ts/contracts';
import type { SupportSchedulerConfig } from '../config.js';
import type { SchedulerStores } from '../store/types.js';
import type { SchedulerDomain } from './index.js';

export type SeedConfig = Pick<SupportSchedulerConfig, 'Intervals' | 'IntervalActions'>;

export async function seedFromConfig(config: SeedConfig, domain: SchedulerDomain, stores: SchedulerStores, log: Logger): Promise<void> {
  const { state } = stores;
  for (const [key, info] of Object.entries(config.Intervals)) {
    if (await state.wasSeeded('interval', info.Name)) continue;
    const interval = parseDto(IntervalSchema, { name: info.Name, start: info.Start, end: info.End, interval: info.Interval }, `Intervals.${key}`);
    if (!(await stores.intervals.byName(info.Name))) {
      await domain.intervals.add(interval);
      log.info(`seeded interval ${info.Name} from the configuration (Intervals.${key})`);
    }
    await state.markSeeded('interval', info.Name);
  }
  for (const [key, info] of Object.entries(config.IntervalActions)) {
    if (await state.wasSeeded('intervalaction', info.Name)) continue;
    const action = parseDto(
      IntervalActionSchema,
      {
        name: info.Name,
        intervalName: info.Interval,
        address: { type: 'REST', host: info.Host, port: info.Port, path: info.Path, httpMethod: info.Method.toUpperCase() },
        content: info.Content,
        contentType: info.ContentType,
        adminState: info.AdminState,
        authMethod: info.AuthMethod.toUpperCase(),
      },
      `IntervalActions.${key}`,
    );
    if (!(await stores.intervalActions.byName(info.Name))) {
      await domain.intervalActions.add(action);
      log.info(`seeded interval action ${info.Name} from the configuration (IntervalActions.${key})`);
    }
    await state.markSeeded('intervalaction', info.Name);
  }
}
