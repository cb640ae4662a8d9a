import type { Request } from 'express';
import { EdgeXError } from '@edgex-ts/contracts';

/** A path parameter (Express has already URL-decoded it). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.trim() === '') throw new EdgeXError('ContractInvalid', `${name}: must not be blank`);
  return value;
}

/** The query string as name → value; a repeated name keeps its first value (as Go's url.Values.Get). */
export function queryParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** Whether the request carried a body at all (the JSON parser leaves {} for an empty one). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The PUT body: a JSON object of resource name → value. */
export function settingsBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (!hasBody(req) || typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EdgeXError('ContractInvalid', 'request body must be a JSON object of resource name to value, e.g. {"Switch":"true"}');
  }
  return body as Record<string, unknown>;
}
