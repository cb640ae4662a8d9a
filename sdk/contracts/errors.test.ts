import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { EdgeXError, grpcStatusOf, httpStatusOf, isEdgeXError, kindOfGrpcStatus } from './errors.js';

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
