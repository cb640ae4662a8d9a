import { EdgeXError, errorMessage } from './errors.js';
import type { DeviceProfile, DeviceResource } from './dto/profile.js';

/**
 * The GET query parameter of EdgeX's device SDK (default on) that lets a command name that names no device
 * command or resource stand for the resources it matches as a regular expression.
 */
export const REGEX_COMMAND_PARAM = 'ds-regexcmd';

/**
 * The profile's resources a command name names as a pattern, as EdgeX's device SDK resolves a name that is no
 * device command: every resource (hidden ones included) whose whole name the regular expression matches (its
 * POSIX leftmost-longest match is the whole name, i.e. `^(?:pattern)$`), or whose name is the pattern itself.
 * ContractInvalid when the pattern is not a regular expression, NotFound when nothing matches.
 */
export function resourcesMatching(profile: DeviceProfile, pattern: string): DeviceResource[] {
  let whole: RegExp;
  try {
    whole = new RegExp(`^(?:${pattern})$`);
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `command ${pattern}: not a device command and not a regular expression of resource names (${errorMessage(err)})`);
  }
  const matched = (profile.deviceResources ?? []).filter((r) => r.name === pattern || whole.test(r.name));
  if (matched.length === 0)
    throw new EdgeXError('NotFound', `command ${pattern} not found: no device command of that name, and no resource of profile ${profile.name} matches it`);
  return matched;
}
