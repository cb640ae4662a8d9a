import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { errorMessage } from '@edgex-ts/contracts';
import { EdgeXError, parseDto, SecretRequestSchema } from './contracts.js';
import { formatUnixDate } from './go-time.js';
import { httpMetricsMiddleware, metricsText } from './metrics.js';
import { methodNotAllowed, restRoutes } from './rest-routes.js';
import { requestLog } from './request-log.js';
import { API_BASE, API_VERSION, asyncRoute, jsonBodyParser, sendError, sendOk } from './rest.js';
import { redactUrlPassword } from './url-credentials.js';

export const CORRELATION_HEADER = 'X-Correlation-ID';

export interface RestAppOptions {
  name: string;
  version: string;
  /** For services built on an SDK (device services): reported beside `version` as EdgeX's device SDK does. */
  sdkVersion?: string;
  /** The service's full config, served by GET /api/v3/config (secrets redacted). */
  config: object;
  log: Logger;
  metrics: Registry;
  /**
   * Stores a secret for POST /api/v3/secret (in Consul's Writable/InsecureSecrets when the configuration lives
   * there); without it the route answers 405, as EdgeX does without a configuration provider.
   */
  storeSecret?: (name: string, data: Record<string, string>) => Promise<void>;
  /** Service.MaxRequestSize, KB. */
  maxRequestSizeKb: number;
}

/** Bodies that are not JSON whatever else they are: uploads, CBOR events, YAML profiles, raw bytes. */
const NON_JSON_BODY = /^(multipart\/|application\/(cbor|octet-stream|x-yaml|yaml)\b|text\/(yaml|x-yaml)\b)/i;

/**
 * Like EdgeX, read the body as JSON whatever Content-Type the client sent (curl -d sends
 * application/x-www-form-urlencoded), except for the kinds of body that routes handle themselves.
 */
function isJsonRequest(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const ct = req.headers['content-type'];
  return ct === undefined || ct === '' || !NON_JSON_BODY.test(String(ct));
}

const SECRET_KEYS = /password|secret|token/i;

/** Copy of the config with secret-looking string values (and passwords inside URLs) replaced by "*****". */
export function redactConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactConfig);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = SECRET_KEYS.test(k) && v !== '' ? '*****' : redactUrlPassword(v);
    else out[k] = redactConfig(v);
  }
  return out;
}

/**
 * Express app with the EdgeX conventions: correlation id, JSON body parser, HTTP metrics and the
 * common routes. Call `finishRestApp` after the service has added its routes (adds 404 + error handler).
 */
export function createRestApp(opts: RestAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.locals.log = opts.log;
  app.use((req, res, next) => {
    const incoming = req.get(CORRELATION_HEADER);
    const id = incoming && incoming.trim() !== '' ? incoming : randomUUID();
    res.locals.correlationId = id;
    res.setHeader(CORRELATION_HEADER, id);
    next();
  });
  app.use(requestLog(opts.log));
  app.use(httpMetricsMiddleware(opts.metrics));
  app.use(jsonBodyParser(opts.maxRequestSizeKb * 1024, isJsonRequest));

  const routes = restRoutes(app);
  routes.get(`${API_BASE}/ping`, (_req, res) => {
    res.json({ apiVersion: API_VERSION, timestamp: formatUnixDate(new Date()), serviceName: opts.name });
  });
  routes.get(`${API_BASE}/version`, (_req, res) => {
    res.json({
      apiVersion: API_VERSION,
      version: opts.version,
      serviceName: opts.name,
      ...(opts.sdkVersion !== undefined ? { sdk_version: opts.sdkVersion } : {}),
    });
  });
  routes.get(`${API_BASE}/config`, (_req, res) => {
    res.json({ apiVersion: API_VERSION, serviceName: opts.name, config: redactConfig(opts.config) });
  });
  routes.post(
    `${API_BASE}/secret`,
    asyncRoute(async (req, res) => {
      const body = parseDto(SecretRequestSchema, req.body, '');
      if (!opts.storeSecret) {
        throw new EdgeXError(
          'NotAllowed',
          `cannot store secret ${body.secretName}: ${opts.name} has no configuration provider (Consul) to keep it in; put it in Writable.InsecureSecrets of its configuration instead`,
        );
      }
      try {
        await opts.storeSecret(body.secretName, Object.fromEntries(body.secretData.map((d) => [d.key, d.value])));
      } catch (err) {
        throw new EdgeXError('ServiceUnavailable', `cannot store secret ${body.secretName}: ${errorMessage(err)}`, err);
      }
      sendOk(res, 201, {});
    }),
  );
  routes.get('/metrics', (_req, res, next) => {
    metricsText(opts.metrics).then(({ contentType, text }) => {
      res.setHeader('Content-Type', contentType);
      res.send(text);
    }, next);
  });
  return app;
}

/** Known path, wrong method → 405; unknown route → 404 envelope; any error → EdgeX BaseResponse (bad JSON → 400). Idempotent. */
export function finishRestApp(app: Express): void {
  if (app.locals.finished) return;
  app.locals.finished = true;
  app.use(methodNotAllowed());
  app.use((req: Request, res: Response) => {
    sendError(res, new EdgeXError('NotFound', `no route for ${req.method} ${req.path}`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, err);
  });
}
