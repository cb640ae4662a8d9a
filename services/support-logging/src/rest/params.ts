import { EdgeXError } from '@edgex-ts/contracts';

/** A non-negative integer from a path or query parameter; 400 naming `field` otherwise. */
export function nonNegativeInteger(value: unknown, field: string): number {
  const text = typeof value === 'string' ? value.trim() : '';
  const n = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new EdgeXError('ContractInvalid', `${field}: expected a non-negative integer, got ${JSON.stringify(value ?? null)}`);
  return n;
}

/** A comma-separated list (EdgeX 1.x path segments, v3-style query values); empty items are dropped. */
export function commaList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const items = parts.map((s) => s.trim()).filter((s) => s !== '');
  return items.length ? items : undefined;
}
