import { createServer, type Server } from 'node:net';

/**
 * Keeps the suite's fixed service ports bound until each service takes its own. EdgeX's ports (598xx/599xx,
 * 498xx/499xx) lie in Linux's default range for outgoing connections (32768-60999): without this, a
 * connection made by a service started earlier (to the broker, to core-metadata) could get a later
 * service's port as its local port, and that service could not listen there.
 */
export class PortReservations {
  private readonly held = new Map<number, Server>();

  /** Binds every port it can (all interfaces, as the services listen); one something else holds is skipped (its service will say so). */
  static async hold(ports: number[], host: string): Promise<PortReservations> {
    const reservations = new PortReservations();
    await Promise.all(
      ports.map(
        (port) =>
          new Promise<void>((resolve) => {
            // A client that connects early (a health probe) is reset at once: close() waits for accepted
            // connections, and a client holding one open (keep-alive) would stall the suite's start.
            const server = createServer((socket) => socket.resetAndDestroy());
            server.once('error', () => resolve());
            server.listen({ port, host, exclusive: true }, () => {
              reservations.held.set(port, server);
              resolve();
            });
          }),
      ),
    );
    return reservations;
  }

  /** Frees `ports` for the service about to listen on them. */
  async release(...ports: number[]): Promise<void> {
    await Promise.all(
      ports.map((port) => {
        const server = this.held.get(port);
        this.held.delete(port);
        return server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      }),
    );
  }

  async releaseAll(): Promise<void> {
    await this.release(...this.held.keys());
  }
}
