/** EdgeX's error kinds (contracts errors/types.go), plus nothing of our own. */
export const ERROR_KINDS = [
  'ContractInvalid',
  'InvalidId',
  'NotFound',
  'DuplicateName',
  'StatusConflict',
  'RangeNotSatisfiable',
  'ServiceLocked',
  'ServiceUnavailable',
  'LimitExceeded',
  'Database',
  'Communication',
  'NotImplemented',
  'NotAllowed',
  'Unknown',
  'UnexpectedServerError',
  'OverflowError',
  'NaNError',
  'IOError',
  'Unauthorized',
  'Forbidden',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

// Marks EdgeX errors so they are recognised across copies of this package (two versions installed side by side
// each have their own EdgeXError class): `instanceof EdgeXError` and isEdgeXError check the mark, not the class.
const EDGEX_ERROR = Symbol.for('@edgex-ts/contracts.EdgeXError');

/**
 * The one error type of the domain. Transports map `kind` to an HTTP status or a gRPC code;
 * `message` should name the offending field, e.g. `event.readings[0].valueType: expected one of …`.
 */
export class EdgeXError extends Error {
  readonly kind: ErrorKind;
  override readonly cause?: unknown;

  constructor(kind: ErrorKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EdgeXError';
    this.kind = kind;
    if (cause !== undefined) this.cause = cause;
    Object.defineProperty(this, EDGEX_ERROR, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EDGEX_ERROR] === true;
  }
}

export function isEdgeXError(e: unknown): e is EdgeXError {
  return e instanceof EdgeXError;
}

/**
 * The kind of an error: of the EdgeXError itself, or else of the first EdgeXError among its causes (an error
 * wrapped on its way up keeps its kind); undefined when there is none.
 */
export function errorKind(err: unknown): ErrorKind | undefined {
  const seen = new Set<unknown>();
  for (let e = err; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    if (e instanceof EdgeXError) return e.kind;
    if (typeof e !== 'object') return undefined;
    seen.add(e);
  }
  return undefined;
}

/** Whether `err`, or an error it wraps, is an EdgeXError of one of these kinds. */
export function hasErrorKind(err: unknown, ...kinds: ErrorKind[]): boolean {
  const kind = errorKind(err);
  return kind !== undefined && kinds.includes(kind);
}

/** The message of anything thrown (an Error's message, else its string form). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const HTTP_STATUS: Record<ErrorKind, number> = {
  ContractInvalid: 400,
  InvalidId: 400,
  NotFound: 404,
  DuplicateName: 409,
  StatusConflict: 409,
  RangeNotSatisfiable: 416,
  ServiceLocked: 423,
  ServiceUnavailable: 503,
  LimitExceeded: 413,
  Database: 500,
  Communication: 502,
  NotImplemented: 501,
  NotAllowed: 405,
  Unknown: 500,
  UnexpectedServerError: 500,
  OverflowError: 500,
  NaNError: 500,
  IOError: 403,
  Unauthorized: 401,
  Forbidden: 403,
};

/** HTTP status EdgeX answers with for this kind (reference §1.5). */
export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind] ?? 500;
}
