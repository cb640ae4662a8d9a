import { status } from '@grpc/grpc-js';
import { ERROR_KINDS, type ErrorKind } from './errors.js';

// EdgeX kinds ⇄ gRPC status codes. Apart from errors.ts so that what needs only the errors (the SQLite writer
// thread imports `@edgex-ts/contracts/errors`) does not load gRPC.

const GRPC_STATUS: Partial<Record<ErrorKind, status>> = {
  ContractInvalid: status.INVALID_ARGUMENT,
  InvalidId: status.INVALID_ARGUMENT,
  NotFound: status.NOT_FOUND,
  DuplicateName: status.ALREADY_EXISTS,
  StatusConflict: status.FAILED_PRECONDITION,
  RangeNotSatisfiable: status.OUT_OF_RANGE,
  ServiceLocked: status.FAILED_PRECONDITION,
  ServiceUnavailable: status.UNAVAILABLE,
  LimitExceeded: status.RESOURCE_EXHAUSTED,
  NotImplemented: status.UNIMPLEMENTED,
  NotAllowed: status.PERMISSION_DENIED,
  Unauthorized: status.UNAUTHENTICATED,
  Forbidden: status.PERMISSION_DENIED,
};

/** gRPC status code for this kind; anything without a closer match is INTERNAL. */
export function grpcStatusOf(kind: ErrorKind): number {
  return GRPC_STATUS[kind] ?? status.INTERNAL;
}

/**
 * Metadata key a server may set on a gRPC error to carry the exact EdgeX kind, because several kinds
 * share one gRPC code (StatusConflict and ServiceLocked are both FAILED_PRECONDITION).
 */
export const GRPC_KIND_METADATA_KEY = 'edgex-error-kind';

const KIND_OF_GRPC: Partial<Record<number, ErrorKind>> = {
  [status.INVALID_ARGUMENT]: 'ContractInvalid',
  [status.NOT_FOUND]: 'NotFound',
  [status.ALREADY_EXISTS]: 'DuplicateName',
  [status.FAILED_PRECONDITION]: 'StatusConflict',
  [status.OUT_OF_RANGE]: 'RangeNotSatisfiable',
  [status.UNAVAILABLE]: 'ServiceUnavailable',
  [status.DEADLINE_EXCEEDED]: 'ServiceUnavailable',
  [status.RESOURCE_EXHAUSTED]: 'LimitExceeded',
  [status.UNIMPLEMENTED]: 'NotImplemented',
  [status.UNAUTHENTICATED]: 'Unauthorized',
  [status.PERMISSION_DENIED]: 'Forbidden',
  [status.CANCELLED]: 'Communication',
  [status.UNKNOWN]: 'Unknown',
};

/** EdgeX kind for a gRPC status code, preferring an explicit kind sent in metadata. */
export function kindOfGrpcStatus(code: number, explicitKind?: string): ErrorKind {
  if (explicitKind && (ERROR_KINDS as readonly string[]).includes(explicitKind)) return explicitKind as ErrorKind;
  return KIND_OF_GRPC[code] ?? 'UnexpectedServerError';
}
