import { randomUUID } from 'node:crypto';
import { EdgeXError } from '@edgex-ts/contracts';
import { checkOffset } from '@edgex-ts/runtime';
import type { PageOf } from '../store/types.js';

export const newId = (): string => randomUUID();
export const nowMs = (): number => Date.now();

/** Paging and label filter of a list request, already validated by the transport. */
export interface ListParams {
  offset: number;
  limit: number;
  labels?: string[];
}

/** EdgeX answers 416 when the offset lies past the end of a non-empty result (CheckCountRange). */
export function checkRange<T>(page: PageOf<T>, offset: number): PageOf<T> {
  checkOffset(offset, page.totalCount);
  return page;
}

export function notFound(kind: string, name: string): EdgeXError {
  return new EdgeXError('NotFound', `${kind} ${name} does not exist`);
}

/** The fields of a partial update that were given (undefined means "leave unchanged"). */
export function givenFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Finds the target of a partial update by id, else by name; a given name must match the found one. */
export async function findForUpdate<T extends { name: string }>(
  kind: string,
  patch: { id?: string; name?: string },
  byId: (id: string) => Promise<T | undefined>,
  byName: (name: string) => Promise<T | undefined>,
): Promise<T> {
  if (patch.id) {
    const found = await byId(patch.id);
    if (!found) throw new EdgeXError('NotFound', `${kind} with id ${patch.id} does not exist`);
    if (patch.name !== undefined && patch.name !== found.name) {
      throw new EdgeXError('ContractInvalid', `${kind} name ${patch.name} does not match the existing name ${found.name} of id ${patch.id}`);
    }
    return found;
  }
  if (patch.name === undefined) throw new EdgeXError('ContractInvalid', `${kind} id or name is required`);
  const found = await byName(patch.name);
  if (!found) throw notFound(kind, patch.name);
  return found;
}
