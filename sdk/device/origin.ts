/**
 * Event/reading origins: nanoseconds since the epoch as a JS number (the contracts' wire type), unique and
 * strictly increasing within this process, so two events read in the same millisecond never share an origin.
 * Around the current epoch adjacent doubles are 256 ns apart, so a bumped origin moves by one such step.
 */
let last = 0;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next double above a positive finite `x`. */
function nextUp(x: number): number {
  f64[0] = x;
  u64[0] += 1n;
  return f64[0];
}

/** `Date.now()` in ns, bumped to the next representable value whenever it would not exceed the previous origin. */
export function nextOrigin(): number {
  const now = Date.now() * 1_000_000;
  last = now > last ? now : nextUp(last);
  return last;
}
