import { createHash } from 'node:crypto';
import type { Notification, Transmission } from '@edgex-ts/contracts';

/** EdgeX `models.EscalatedContentNotice`. */
export const ESCALATED_CONTENT_NOTICE = 'This notification is escalated by the transmission';

/**
 * The id of the escalation notification of a transmission: derived from the transmission's id (a name-based
 * UUID), so that escalating again after a restart finds the one already stored instead of adding a second.
 */
export function escalationIdOf(transmissionId: string): string {
  const h = createHash('sha1').update(`edgex-ts escalation ${transmissionId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The escalation notification as EdgeX builds it (application/send.go escalatedNotification): the original with a prefixed content, text/plain, ESCALATED. */
export function escalationOf(n: Notification, t: Transmission, now: number): Notification {
  return {
    ...n,
    id: escalationIdOf(t.id!),
    created: now,
    modified: now,
    content: `[${ESCALATED_CONTENT_NOTICE} ${t.id}] ${n.content}`,
    contentType: 'text/plain',
    status: 'ESCALATED',
    acknowledged: false,
  };
}
