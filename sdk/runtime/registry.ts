import type { CommonConfig } from './config-schema.js';
import { EdgeXError } from './contracts.js';

export interface ServiceEndpoint {
  host: string;
  restPort: number;
  grpcPort: number;
}

export interface Registry {
  register(self: { name: string; host: string; restPort: number; grpcPort: number }): Promise<void>;
  deregister(): Promise<void>;
  /** NotFound / ServiceUnavailable EdgeXError when the service is unknown or down. */
  resolve(serviceName: string): Promise<ServiceEndpoint>;
}

/** Endpoints from the Clients config section; register/deregister only remember this service itself. */
export class StaticRegistry implements Registry {
  private self: { name: string; endpoint: ServiceEndpoint } | undefined;

  constructor(private readonly clients: CommonConfig['Clients']) {}

  async register(self: { name: string; host: string; restPort: number; grpcPort: number }): Promise<void> {
    this.self = { name: self.name, endpoint: { host: self.host, restPort: self.restPort, grpcPort: self.grpcPort } };
  }

  async deregister(): Promise<void> {
    this.self = undefined;
  }

  async resolve(serviceName: string): Promise<ServiceEndpoint> {
    const c = Object.prototype.hasOwnProperty.call(this.clients, serviceName) ? this.clients[serviceName] : undefined;
    if (c) return { host: c.Host, restPort: c.Port, grpcPort: c.GrpcPort };
    if (this.self && this.self.name === serviceName) return { ...this.self.endpoint };
    const known = Object.keys(this.clients);
    throw new EdgeXError(
      'NotFound',
      `registry: service '${serviceName}' is not configured (add Clients.${serviceName}.{Host,Port,GrpcPort}; known: ${
        known.length ? known.join(', ') : 'none'
      })`,
    );
  }
}
