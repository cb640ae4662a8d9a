/**
 * Shared plumbing of the REST clients: EdgeX v3 requests with Node's fetch, a deadline per call, and EdgeX's
 * answers turned into values or EdgeXErrors (go-mod-core-contracts `clients/http/utils`: a status above 207 is an
 * error whose kind follows the status and whose message is the BaseResponse's `message`; an item of a 207 answer
 * carries its own `statusCode`).
 */
import { randomUUID } from 'node:crypto';
import { EdgeXError, parseJson, stringifyJson, type ErrorKind, errorMessage } from '@edgex-ts/contracts';
import { escapeName } from '@edgex-ts/runtime';

export interface RestClientOptions {
  /** Deadline of each call in ms (default 10000). */
  callTimeoutMs?: number;
}

/** EdgeX's kind for an HTTP status (go-mod-core-contracts `errors.KindMapping`); 409 from an add is a duplicate name. */
export function kindOfHttpStatus(status: number, method = 'GET'): ErrorKind {
  switch (status) {
    case 400:
      return 'ContractInvalid';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'NotAllowed';
    case 409:
      return method === 'POST' ? 'DuplicateName' : 'StatusConflict';
    case 413:
      return 'LimitExceeded';
    case 416:
      return 'RangeNotSatisfiable';
    case 423:
      return 'ServiceLocked';
    case 500:
      return 'UnexpectedServerError';
    case 501:
      return 'NotImplemented';
    case 502:
      return 'Communication';
    case 503:
      return 'ServiceUnavailable';
    default:
      return 'Unknown';
  }
}

/** `/segment/...` with every name escaped as EdgeX's clients do (`common.URLEncode`); EdgeX servers unescape path variables. */
export function restPath(route: string, ...names: string[]): string {
  return [route, ...names.map(escapeName)].join('/');
}

/** One item of a 207 answer (BaseResponse / BaseWithIdResponse). */
interface BatchItem {
  statusCode?: number;
  message?: string;
  id?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export class RestClient {
  private readonly callTimeoutMs: number;

  constructor(
    /** e.g. `http://core-metadata:59881` (no trailing `/api/v3`). */
    readonly baseUrl: string,
    private readonly what: string,
    options: RestClientOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
  }

  /** Sends one request and returns the parsed JSON answer (undefined for an empty body); EdgeXError otherwise. */
  async call<T>(method: string, path: string, opts: { query?: Query; json?: unknown; form?: FormData } = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}/api/v3${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { 'X-Correlation-ID': randomUUID(), Accept: 'application/json' };
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = stringifyJson(opts.json); // 64-bit integers (bigint) written exactly, as EdgeX's Go clients write them
    } else if (opts.form) {
      body = opts.form; // fetch writes the multipart Content-Type with its boundary
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.callTimeoutMs) });
      text = await res.text();
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.callTimeoutMs} ms` : causeOf(err);
      throw new EdgeXError('ServiceUnavailable', `${this.what}: ${method} ${url.pathname}: ${reason}`, err);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : parseJson(text, { what: `${this.what}'s answer` });
    } catch {
      parsed = undefined;
    }
    if (res.status > 207) {
      const message = (parsed as BatchItem | undefined)?.message ?? text;
      throw new EdgeXError(kindOfHttpStatus(res.status, method), `${this.what}: ${method} ${url.pathname}: ${res.status} ${message}`.trim());
    }
    if (text !== '' && parsed === undefined) {
      throw new EdgeXError('UnexpectedServerError', `${this.what}: ${method} ${url.pathname}: answer is not JSON: ${text.slice(0, 200)}`);
    }
    return parsed as T;
  }

  /**
   * Sends one item as an EdgeX batch (`[{apiVersion, requestId, ...item}]`) and returns the item's answer; an item
   * answered with an error status becomes an EdgeXError of that status.
   */
  async batchOne(method: string, path: string, item: Record<string, unknown>, query?: Query): Promise<BatchItem> {
    const answer = await this.call<unknown>(method, path, { query, json: [{ apiVersion: 'v3', requestId: randomUUID(), ...item }] });
    const first = Array.isArray(answer) ? (answer[0] as BatchItem | undefined) : undefined;
    if (!first || typeof first.statusCode !== 'number') {
      throw new EdgeXError(
        'UnexpectedServerError',
        `${this.what}: ${method} ${path}: expected a multi-status array of one item, got ${JSON.stringify(answer)?.slice(0, 200)}`,
      );
    }
    if (first.statusCode >= 300) {
      throw new EdgeXError(kindOfHttpStatus(first.statusCode, method), `${this.what}: ${method} ${path}: ${first.statusCode} ${first.message ?? ''}`.trim());
    }
    return first;
  }
}

/** The reason behind fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND, …). */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? errorMessage(err);
}
