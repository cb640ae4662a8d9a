/**
 * Event/reading origins: nanoseconds since the epoch as an exact bigint (EdgeX's int64; ~1.8e18 is beyond
 * 2^53, where a number would round to 256 ns steps), unique and strictly increasing within this process,
 * so two events read in the same millisecond never share an origin.
 */
let last = 0n;

/** `Date.now()` in ns, bumped by 1 ns whenever it would not exceed the previous origin. */
export function nextOrigin(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return last;
}
