import type { Address, Notification } from '@edgex-ts/contracts';

/** Sends a notification to one address; resolves with the receiver's answer (the record's `response`), rejects on failure. */
export type ChannelSender = (n: Notification, address: Address) => Promise<string>;

/** A channel that holds connections (SMTP, MQTT) closes them on stop. */
export interface Channel {
  send: ChannelSender;
  close(): Promise<void>;
}

/** A receiver's answer kept in a transmission record is cut to this many characters. */
export const MAX_RESPONSE_CHARS = 1024;

export function clip(text: string): string {
  return text.length > MAX_RESPONSE_CHARS ? `${text.slice(0, MAX_RESPONSE_CHARS)}…` : text;
}
