import { REGEX_COMMAND_PARAM } from '@edgex-ts/contracts';

/** Whether a GET's command name may be a pattern: on unless `ds-regexcmd=false`, as EdgeX's device SDK reads it. */
export function regexCommandAllowed(queryParams: Record<string, string>): boolean {
  return queryParams[REGEX_COMMAND_PARAM] !== 'false';
}
