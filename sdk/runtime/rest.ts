import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { EdgeXError, httpStatusOf, parseDto } from './contracts.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJson, stringifyJson, errorMessage } from '@edgex-ts/contracts';

export const API_BASE = '/api/v3';
export const API_VERSION = 'v3';
export const DEFAULT_LIMIT = 20;

function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as { requestId?: unknown }).requestId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function loggerOf(res: Response): Logger | undefined {
  return (res.locals.log as Logger | undefined) ?? (res.app?.locals.log as Logger | undefined);
}

/** The JSON a request body may nest at most (arrays and objects); deeper bodies are refused with 400. */
export const MAX_JSON_DEPTH = DEFAULT_MAX_JSON_DEPTH;

/**
 * Reads JSON request bodies (those `isJson` accepts) exactly: integers beyond 2^53 become bigint (parseJson),
 * nesting deeper than MAX_JSON_DEPTH and invalid JSON are 400, bodies over `limitBytes` 413. An empty body is {}.
 */
export function jsonBodyParser(limitBytes: number, isJson: (req: IncomingMessage) => boolean): RequestHandler {
  const readRaw = express.raw({ limit: limitBytes, type: isJson });
  return (req, res, next) => {
    readRaw(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      if (!Buffer.isBuffer(req.body)) return next();
      try {
        req.body = req.body.length === 0 ? {} : parseJson(req.body, { maxDepth: MAX_JSON_DEPTH, what: 'request body' });
      } catch (e) {
        return next(e instanceof EdgeXError ? e : new EdgeXError('ContractInvalid', `request body is not valid JSON: ${errorMessage(e)}`));
      }
      next();
    });
  };
}

/** Writes `body` as JSON, bigints as JSON numbers (EdgeX writes int64 origins and values as numbers). */
export function sendJson(res: Response, status: number, body: unknown): void {
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
  res.status(status).send(stringifyJson(body));
}

/** Writes `{apiVersion, requestId?, statusCode, ...body}`; requestId is echoed from the request body when present. */
export function sendOk(res: Response, status: number, body: object): void {
  const requestId = requestIdOf(body) ?? requestIdOf(res.req?.body);
  sendJson(res, status, {
    apiVersion: API_VERSION,
    ...(requestId ? { requestId } : {}),
    statusCode: status,
    ...body,
  });
}

/** Status and message for any error: EdgeXError by kind, body-parser errors by their status, else 500. */
export function errorResponseOf(err: unknown): { status: number; message: string } {
  if (err instanceof EdgeXError) return { status: httpStatusOf(err.kind), message: err.message };
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e && e.type === 'entity.parse.failed') return { status: 400, message: `request body is not valid JSON: ${e.message}` };
  if (e && e.type === 'entity.too.large') return { status: 413, message: `request body exceeds the limit of ${e.limit} bytes (Service.MaxRequestSize)` };
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, message: e.message ?? 'bad request' };
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}

/** EdgeX BaseResponse error: `{apiVersion, requestId?, message, statusCode}` with statusCode = HTTP status. */
export function sendError(res: Response, err: unknown): void {
  const { status, message } = errorResponseOf(err);
  if (status >= 500) loggerOf(res)?.error({ err, path: res.req?.originalUrl }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  const requestId = requestIdOf(res.req?.body);
  sendJson(res, status, { apiVersion: API_VERSION, ...(requestId ? { requestId } : {}), message, statusCode: status });
}

/** Wraps an async route: a rejection becomes sendError. */
export function asyncRoute(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res) => {
    fn(req, res).catch((err: unknown) => sendError(res, err));
  };
}

function intParam(query: Record<string, unknown>, name: string, fallback: number): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^[-+]?\d+$/.test(raw.trim()))
    throw new EdgeXError('ContractInvalid', `${name}: expected an integer, got ${JSON.stringify(raw)}`);
  return Number(raw.trim());
}

/** offset ≥ 0 (default 0); limit default 20, -1 = maxResultCount, above maxResultCount → 400. */
export function parsePaging(query: unknown, maxResultCount: number): { offset: number; limit: number } {
  const q = (query ?? {}) as Record<string, unknown>;
  return checkPaging(intParam(q, 'offset', 0), intParam(q, 'limit', DEFAULT_LIMIT), maxResultCount, '');
}

/**
 * A proto `edgex.common.v1.Page` under EdgeX's paging rules: limit 0 (unset) = 20, -1 = up to
 * Service.MaxResultCount, anything else outside -1..MaxResultCount → ContractInvalid naming `page.limit`.
 */
export function pageFromProto(page: { offset: number; limit: number } | undefined, maxResultCount: number): { offset: number; limit: number } {
  return checkPaging(page?.offset ?? 0, page?.limit || DEFAULT_LIMIT, maxResultCount, 'page.');
}

function checkPaging(offset: number, limit: number, maxResultCount: number, prefix: string): { offset: number; limit: number } {
  if (offset < 0 || offset > 2 ** 31 - 1) throw new EdgeXError('ContractInvalid', `${prefix}offset: must be between 0 and ${2 ** 31 - 1}, got ${offset}`);
  if (limit < -1 || limit > maxResultCount)
    throw new EdgeXError('ContractInvalid', `${prefix}limit: must be between -1 and ${maxResultCount} (Service.MaxResultCount), got ${limit}`);
  return { offset, limit: limit === -1 ? maxResultCount : limit };
}

/**
 * EdgeX CheckCountRange: 416 RangeNotSatisfiable when offset > totalCount (no error when totalCount is 0).
 * Returns whether there is anything to fetch (false when totalCount is 0).
 */
export function checkOffset(offset: number, totalCount: number): boolean {
  if (totalCount === 0) return false;
  if (offset > totalCount) throw new EdgeXError('RangeNotSatisfiable', `query objects bounds out of range. length:${totalCount} offset:${offset}`);
  return true;
}

/** An integer path parameter (timestamps in ns): number when it fits exactly, else bigint. 400 otherwise. */
export function parseNs(value: string, field: string): bigint | number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^[-+]?\d+$/.test(text)) throw new EdgeXError('ContractInvalid', `${field}: expected an integer, got ${JSON.stringify(value)}`);
  const big = BigInt(text);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) throw new EdgeXError('ContractInvalid', `${field}: ${text} is out of the int64 range`);
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

/**
 * EdgeX batch request, as EdgeX's controllers read one: the whole body is decoded and validated first, and one
 * malformed item fails the request with a single 400 naming it (nothing is done). `null` (Go's nil slice) is an
 * empty batch. Items are then handled in order; the answer is 207 with one `{apiVersion, requestId?,
 * statusCode, ...result}` per item (`null` for an empty batch, as Go encodes its nil slice). The default
 * statusCode is 201 for POST and 200 otherwise (a result may carry its own statusCode). An EdgeXError for one
 * item becomes that item's statusCode + message.
 */
export async function handleBatch<T>(
  req: Request,
  res: Response,
  itemSchema: z.ZodType<T>,
  fn: (item: T) => Promise<object>,
  rootName = 'request',
): Promise<void> {
  const body: unknown = req.body === null ? [] : req.body;
  if (!Array.isArray(body)) throw new EdgeXError('ContractInvalid', 'request body must be a JSON array of requests');
  const items = body.map((raw: unknown, i) => parseDto(itemSchema, raw, `${rootName}[${i}]`));
  const okStatus = req.method === 'POST' ? 201 : 200;
  const out: object[] = [];
  for (let i = 0; i < items.length; i++) {
    const requestId = requestIdOf(body[i]);
    const head = { apiVersion: API_VERSION, ...(requestId ? { requestId } : {}) };
    try {
      const result = (await fn(items[i])) as { statusCode?: unknown };
      const statusCode = typeof result.statusCode === 'number' ? result.statusCode : okStatus;
      out.push({ ...head, statusCode, ...result });
    } catch (err) {
      const { status, message } = errorResponseOf(err);
      if (status >= 500) loggerOf(res)?.error({ err, path: req.originalUrl, item: i }, 'batch item failed');
      out.push({ ...head, message, statusCode: status });
    }
  }
  sendJson(res, 207, out.length > 0 ? out : null);
}
