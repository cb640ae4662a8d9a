/**
 * EdgeX auto-event `onChange` / `onChangeThreshold` (reference §3.4, §5.3): an auto-event with onChange sends
 * an event only when its readings differ from the last event it sent. Numeric readings differ when
 * |last − current| > onChangeThreshold (default 0: any change); Binary by content; everything else by its
 * encoded value. A different set of resources counts as a change. The reference is the last *sent* reading,
 * so a slow drift is reported once it has added up to more than the threshold.
 */
import { stringifyJson, type Event, type Reading } from '@edgex-ts/contracts';

const NUMERIC = /^(U?Int(8|16|32|64)|Float(32|64))$/;

/** What a reading is compared by: a number for numeric values, else a string. */
function comparable(r: Reading): number | string {
  if (r.valueType === 'Binary') return `b:${r.binaryValue ?? ''}`;
  if (r.valueType === 'Object' || r.valueType === 'ObjectArray') return `o:${stringifyJson(r.objectValue)}`;
  const value = r.value ?? '';
  if (NUMERIC.test(r.valueType)) {
    const n = Number(value); // "NaN" and "overflow" stay strings below
    if (Number.isFinite(n)) return n;
  }
  return `s:${value}`;
}

export class ChangeFilter {
  private last = new Map<string, number | string>();

  constructor(private readonly threshold = 0) {
    if (!(threshold >= 0)) throw new RangeError(`onChangeThreshold must be >= 0, got ${threshold}`);
  }

  /** True when `event` should be sent; it then becomes the reference for the next one. */
  accept(event: Event): boolean {
    const current = new Map(event.readings.map((r) => [r.resourceName, comparable(r)]));
    if (!this.differs(current)) return false;
    this.last = current;
    return true;
  }

  private differs(current: Map<string, number | string>): boolean {
    if (current.size !== this.last.size) return true;
    for (const [name, value] of current) {
      if (!this.last.has(name)) return true;
      const before = this.last.get(name)!;
      if (typeof value === 'number' && typeof before === 'number') {
        if (Math.abs(value - before) > this.threshold) return true;
      } else if (value !== before) {
        return true;
      }
    }
    return false;
  }
}
