import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { EdgeXError, errorKind, hasErrorKind, httpStatusOf, isEdgeXError } from './errors.js';
import { grpcStatusOf, kindOfGrpcStatus } from './grpc-status.js';

test('kinds map to EdgeX HTTP statuses', () => {
  assert.equal(httpStatusOf('ContractInvalid'), 400);
  assert.equal(httpStatusOf('NotFound'), 404);
  assert.equal(httpStatusOf('DuplicateName'), 409);
  assert.equal(httpStatusOf('StatusConflict'), 409);
  assert.equal(httpStatusOf('RangeNotSatisfiable'), 416);
  assert.equal(httpStatusOf('ServiceLocked'), 423);
  assert.equal(httpStatusOf('ServiceUnavailable'), 503);
  assert.equal(httpStatusOf('LimitExceeded'), 413);
  assert.equal(httpStatusOf('Database'), 500);
  assert.equal(httpStatusOf('Communication'), 502);
});

test('kinds map to gRPC codes and back', () => {
  assert.equal(grpcStatusOf('ContractInvalid'), status.INVALID_ARGUMENT);
  assert.equal(grpcStatusOf('NotFound'), status.NOT_FOUND);
  assert.equal(grpcStatusOf('DuplicateName'), status.ALREADY_EXISTS);
  assert.equal(grpcStatusOf('StatusConflict'), status.FAILED_PRECONDITION);
  assert.equal(grpcStatusOf('RangeNotSatisfiable'), status.OUT_OF_RANGE);
  assert.equal(grpcStatusOf('ServiceLocked'), status.FAILED_PRECONDITION);
  assert.equal(grpcStatusOf('ServiceUnavailable'), status.UNAVAILABLE);
  assert.equal(grpcStatusOf('LimitExceeded'), status.RESOURCE_EXHAUSTED);
  assert.equal(grpcStatusOf('Database'), status.INTERNAL);
  for (const kind of ['ContractInvalid', 'NotFound', 'DuplicateName', 'RangeNotSatisfiable', 'ServiceUnavailable', 'LimitExceeded'] as const) {
    assert.equal(kindOfGrpcStatus(grpcStatusOf(kind)), kind);
  }
  assert.equal(kindOfGrpcStatus(status.FAILED_PRECONDITION, 'ServiceLocked'), 'ServiceLocked');
  assert.equal(kindOfGrpcStatus(status.INTERNAL), 'UnexpectedServerError');
});

test('EdgeXError carries kind, message and cause', () => {
  const cause = new Error('disk');
  const e = new EdgeXError('Database', 'cannot store event', cause);
  assert.ok(isEdgeXError(e));
  assert.ok(e instanceof Error);
  assert.equal(e.kind, 'Database');
  assert.equal(e.message, 'cannot store event');
  assert.equal(e.cause, cause);
  assert.equal(isEdgeXError(new Error('x')), false);
});

test('the kind survives wrapping: errorKind finds the first EdgeXError among the causes', () => {
  const locked = new EdgeXError('ServiceLocked', "device 'pump' is locked");
  const wrapped = new Error('command failed', { cause: new Error('driver failed', { cause: locked }) });
  assert.equal(errorKind(wrapped), 'ServiceLocked');
  assert.ok(hasErrorKind(wrapped, 'ServiceLocked', 'StatusConflict'));
  assert.ok(!hasErrorKind(wrapped, 'NotFound'));
  assert.equal(errorKind(new Error('plain')), undefined);
  assert.equal(errorKind('a string'), undefined);
  const loop: Error & { cause?: unknown } = new Error('loop');
  loop.cause = loop;
  assert.equal(errorKind(loop), undefined);
});

test('an EdgeXError of another copy of the package is still an EdgeXError (instanceof, kind, status)', async () => {
  // A second instance of this module, as a second installed copy of @edgex-ts/contracts would load.
  const copy = (await import(`./errors.js?copy=${Date.now()}`)) as typeof import('./errors.js');
  assert.notEqual(copy.EdgeXError, EdgeXError);
  const foreign = new copy.EdgeXError('NotFound', "no device 'x'");
  assert.ok(foreign instanceof EdgeXError);
  assert.ok(isEdgeXError(foreign));
  assert.equal(errorKind(new Error('wrapped', { cause: foreign })), 'NotFound');
  assert.ok(new EdgeXError('Database', 'x') instanceof copy.EdgeXError);
  assert.ok(!(new Error('plain') instanceof EdgeXError));
});
