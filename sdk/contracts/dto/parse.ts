import type { z } from 'zod';
import { EdgeXError } from '../errors.js';

const MAX_ISSUES = 3;

/** `event.readings[0].valueType` from a root name and a zod issue path. */
export function fieldPath(rootName: string, path: readonly PropertyKey[]): string {
  let out = rootName;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Validates `value` against `schema`. On failure throws EdgeXError('ContractInvalid') whose message names
 * the field path of the first few issues, e.g. `event.readings[0].valueType: expected one of Bool, …`.
 */
export function parseDto<S extends z.ZodType>(schema: S, value: unknown, rootName: string): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const parts = issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = fieldPath(rootName, issue.path);
    return `${path || '(body)'}: ${issueMessage(issue)}`;
  });
  if (issues.length > MAX_ISSUES) parts.push(`and ${issues.length - MAX_ISSUES} more`);
  throw new EdgeXError('ContractInvalid', parts.join('; '), result.error);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
