import { EdgeXError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const SEGMENT = /(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration (time.ParseDuration): "10s", "500ms", "1m30s", "1.5h", "-2s", "0".
 * Returns milliseconds (fractional below 1ms). Throws EdgeXError ContractInvalid on anything else.
 */
export function parseDuration(text: string): number {
  const fail = (): never => {
    throw new EdgeXError('ContractInvalid', `invalid duration "${text}": expected a Go duration such as 10s, 500ms or 1m30s`);
  };
  if (typeof text !== 'string' || text === '') return fail();
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return fail();
  let total = 0;
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < s.length) {
    const start = SEGMENT.lastIndex;
    const m = SEGMENT.exec(s);
    if (!m || m.index !== start) return fail();
    const num = m[1];
    if (num === '' || num === '.') return fail();
    total += Number(num) * UNIT_MS[m[2]];
  }
  return sign * total;
}
