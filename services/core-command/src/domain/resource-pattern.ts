import { EdgeXError, type DeviceProfile } from '@edgex-ts/sdk/contracts';

/** The query parameter that turns a GET's command name into a pattern of resource names (EdgeX 3.1+, default on). */
export const REGEX_COMMAND = 'ds-regexcmd';

/** Whether a GET's command name may be a pattern: on unless `ds-regexcmd=false`, as EdgeX's device SDK reads it. */
export function regexCommandAllowed(queryParams: Record<string, string>): boolean {
  return queryParams[REGEX_COMMAND] !== 'false';
}

type DeviceResource = DeviceProfile['deviceResources'][number];

/**
 * The profile's resources a GET command name names as a pattern, the way EdgeX's device SDK resolves a name
 * that is not a device command: every resource (hidden ones included) whose whole name the regular expression
 * matches. 404 when none does, 400 when the pattern is not a regular expression.
 */
export function resourcesMatching(profile: DeviceProfile, pattern: string): DeviceResource[] {
  let whole: RegExp;
  try {
    whole = new RegExp(`^(?:${pattern})$`);
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `command ${pattern}: not a device command and not a regular expression of resource names (${(err as Error).message})`);
  }
  const matched = profile.deviceResources.filter((r) => r.name === pattern || whole.test(r.name));
  if (matched.length === 0) throw new EdgeXError('NotFound', `command ${pattern} not found: no device command of that name, and no resource of profile ${profile.name} matches it`);
  return matched;
}
