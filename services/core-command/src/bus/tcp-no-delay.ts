import type { MessageBus } from '@edgex-ts/sdk/runtime';

/**
 * Turns Nagle's algorithm off on the bus's MQTT socket (now and after every reconnect). With it on, the command
 * request core-command publishes right after acknowledging the previous answer waits for the broker's delayed
 * TCP ACK, about 40 ms on Linux, on every sequential command. The runtime's bus does not expose its socket,
 * so this reaches the mqtt.js client the bus holds; it does nothing when the bus is built differently. It
 * belongs in the runtime's bus (then this module goes).
 */
export function disableNagle(bus: MessageBus): void {
  const client = (bus as unknown as { client?: { stream?: { setNoDelay?: (on: boolean) => void }; on?: (e: string, f: () => void) => void } }).client;
  if (!client || typeof client.on !== 'function') return;
  const apply = () => client.stream?.setNoDelay?.(true);
  apply();
  client.on('connect', apply);
}
