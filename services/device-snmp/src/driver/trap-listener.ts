/**
 * The UDP trap listener: a net-snmp receiver for SNMPv1/v2c traps and informs on `port`. A port it cannot bind
 * (in use, or 162 without privileges) is logged and leaves the service running without traps.
 */
import * as dgram from 'node:dgram';
import type { Logger } from 'pino';
import { snmp, type Notification, type Receiver } from './net-snmp.js';

export interface TrapListenerOptions {
  port: number;
  bindAddress: string;
  /** Communities a trap must carry; empty accepts any. */
  communities: string[];
  log: Logger | undefined;
  onNotification(notification: Notification): void;
  /** A datagram that is not an acceptable trap (undecodable, unknown community, not a notification). */
  onRejected(reason: string, from: string | undefined): void;
}

export class TrapListener {
  private receiver: Receiver | undefined;
  private socket: dgram.Socket | undefined;

  constructor(private readonly opts: TrapListenerOptions) {}

  /** The bound port, or undefined when not listening. */
  get port(): number | undefined {
    try {
      return this.socket?.address().port;
    } catch {
      return undefined;
    }
  }

  /** Resolves true once listening, false (logged) when the port cannot be bound. */
  start(): Promise<boolean> {
    const { port, bindAddress, communities, log } = this.opts;
    let socket: dgram.Socket | undefined;
    let bound = false;
    const result = new Promise<boolean>((resolve) => {
      const receiver = snmp.createReceiver(
        {
          port,
          address: bindAddress,
          transport: bindAddress.includes(':') ? 'udp6' : 'udp4',
          disableAuthorization: communities.length === 0,
          includeAuthentication: true,
          dgramModule: {
            createSocket: (type) => {
              socket = dgram.createSocket(type);
              socket.once('listening', () => {
                bound = true;
                resolve(true);
              });
              return socket;
            },
          },
        },
        (err, notification) => {
          if (!err && notification) {
            this.opts.onNotification(notification);
            return;
          }
          if (!bound) {
            log?.warn(
              { port, address: bindAddress, err: err?.message },
              `SNMP trap listener could not listen on UDP ${bindAddress}:${port}; traps are not received (set Driver.TrapPort)`,
            );
            void this.close(); // never rejects; not listening is reported without waiting for the socket to close
            resolve(false);
            return;
          }
          const from = (err as { rinfo?: { address?: string } } | null)?.rinfo?.address;
          this.opts.onRejected(err?.message ?? 'unknown error', from);
        },
      );
      for (const c of communities) receiver.getAuthorizer().addCommunity(c);
      this.receiver = receiver;
    });
    this.socket = socket;
    return result.then((ok) => {
      if (ok) log?.info({ port: this.port, address: bindAddress }, 'SNMP trap listener started');
      return ok;
    });
  }

  close(): Promise<void> {
    const receiver = this.receiver;
    const socket = this.socket;
    this.receiver = undefined;
    this.socket = undefined;
    if (!receiver || !socket) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        socket.once('close', () => resolve());
        receiver.close();
      } catch {
        resolve(); // the socket was never bound or is already closed
      }
    });
  }
}
