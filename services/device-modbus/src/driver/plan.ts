/**
 * Coalescing: the resources of one read request that sit in the same table and touch or overlap are
 * read with one Modbus request, up to the protocol's per-request limits.
 */
import { isBitTable, type PrimaryTable, type ResourceSpec } from './attributes.js';

/** Most registers / bits one read may ask for (Modbus application protocol, FC 3/4 and 1/2). */
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;

export interface ReadBlock {
  table: PrimaryTable;
  address: number;
  count: number;
  /** The resources served by this block, with their position in the request list. */
  members: { index: number; spec: ResourceSpec }[];
}

/** Groups resources into as few reads as possible; every resource lands in exactly one block. */
export function planReads(specs: ResourceSpec[]): ReadBlock[] {
  const order = specs
    .map((spec, index) => ({ index, spec }))
    .sort((a, b) => a.spec.table.localeCompare(b.spec.table) || a.spec.address - b.spec.address || a.index - b.index);
  const blocks: ReadBlock[] = [];
  let current: ReadBlock | undefined;
  for (const m of order) {
    const { table, address, count } = m.spec;
    const limit = isBitTable(table) ? MAX_READ_BITS : MAX_READ_REGISTERS;
    if (current && current.table === table && address <= current.address + current.count) {
      const end = Math.max(current.address + current.count, address + count);
      if (end - current.address <= limit) {
        current.count = end - current.address;
        current.members.push(m);
        continue;
      }
    }
    current = { table, address, count, members: [m] };
    blocks.push(current);
  }
  return blocks;
}
