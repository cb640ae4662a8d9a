import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

/**
 * The correlation id of the request being handled, so system events carry the id of the request that
 * caused them (as EdgeX does) without the domain knowing about transports.
 */
export const correlation = new AsyncLocalStorage<string>();

/** Express middleware: runs the rest of the chain inside the request's correlation id (X-Correlation-ID). */
export function correlationScope(): RequestHandler {
  return (_req, res, next) => {
    const id = res.locals.correlationId;
    if (typeof id === 'string' && id !== '') correlation.run(id, next);
    else next();
  };
}
