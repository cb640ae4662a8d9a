import { EdgeXError } from '@edgex-ts/contracts';

export const PUSH_EVENT = 'ds-pushevent';
export const RETURN_EVENT = 'ds-returnevent';

/** The options of a command request: EdgeX's ds-* flags plus any other query parameters, passed through. */
export interface CommandOptions {
  pushEvent: boolean;
  returnEvent: boolean;
  /** Other query parameters for the device service. */
  extra: Record<string, string>;
}

function flag(raw: string | undefined, name: string, dflt: boolean): boolean {
  if (raw === undefined) return dflt;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new EdgeXError('ContractInvalid', `${name}: must be true or false, got '${raw}'`);
}

/** ds-pushevent (default false) and ds-returnevent (default true) read from query parameters; 400 on other values. */
export function commandOptionsOf(params: Record<string, string>): CommandOptions {
  const { [PUSH_EVENT]: push, [RETURN_EVENT]: ret, ...extra } = params;
  return { pushEvent: flag(push, PUSH_EVENT, false), returnEvent: flag(ret, RETURN_EVENT, true), extra };
}

/** The query parameters sent to the device service: the extra ones and both ds-* flags spelled out. */
export function queryParamsOf(opts: CommandOptions): Record<string, string> {
  return { ...opts.extra, [PUSH_EVENT]: String(opts.pushEvent), [RETURN_EVENT]: String(opts.returnEvent) };
}
