import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Logs every request at DEBUG when it ends: method, path, status, duration (ms) and correlation id (set by the
 * correlation middleware before this one). The level is read per request, so a Writable.LogLevel change applies
 * at once; nothing is done for a request while DEBUG is off.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (log.isLevelEnabled('debug')) {
      const started = process.hrtime.bigint();
      res.once('close', () => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        log.debug(
          {
            method: req.method,
            path: req.originalUrl,
            status: res.statusCode,
            durationMs: Math.round(durationMs * 1000) / 1000,
            correlationId: res.locals.correlationId as string | undefined,
            ...(res.writableFinished ? {} : { aborted: true }),
          },
          'request',
        );
      });
    }
    next();
  };
}
