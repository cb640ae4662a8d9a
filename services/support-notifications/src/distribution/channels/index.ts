import { errorMessage, type Address, type ChannelType, type Notification, type TransmissionRecord } from '@edgex-ts/contracts';
import type { Channel } from './types.js';

export { restChannel } from './rest.js';
export { emailChannel, smtpMessage, type SmtpConfig } from './email.js';
export { mqttChannel } from './mqtt.js';
export type { Channel, ChannelSender } from './types.js';

/** Sends over the channel of the address's type; every outcome is a record (SENT or FAILED), never a rejection. */
export type RecordedSend = (n: Notification, address: Address) => Promise<TransmissionRecord>;

export function recordedSend(channels: Record<ChannelType, Channel>, now: () => number = Date.now): RecordedSend {
  return async (n, address) => {
    const channel = channels[address.type];
    try {
      if (!channel) throw new Error(`unsupported address type: ${address.type}`);
      const response = await channel.send(n, address);
      return { status: 'SENT', response, sent: now() };
    } catch (err) {
      return { status: 'FAILED', response: errorMessage(err), sent: now() };
    }
  };
}
