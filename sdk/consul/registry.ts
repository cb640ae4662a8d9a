import type { Logger } from 'pino';
import type { CommonConfig } from '@edgex-ts/runtime';
import { consulErrorText, type Consul } from './client.js';
import { EdgeXError, parseDuration } from '@edgex-ts/contracts';
import type { Registry, ServiceEndpoint } from '@edgex-ts/runtime';

/** Meta key carrying the gRPC port (the registration's Port is the REST port, as in EdgeX). */
const GRPC_PORT_META = 'grpcPort';
const TAG = 'edgex-ts';

interface HealthEntry {
  Node?: { Address?: string };
  Service?: { ID?: string; Address?: string; Port?: number; Meta?: Record<string, string> | null };
}

/**
 * Registry on Consul's catalog. register() adds the service to the local agent with two checks against
 * the service itself (HTTP GET /api/v3/ping and gRPC grpc.health.v1), run every Registry.CheckInterval;
 * deregister() removes it. resolve() picks, round-robin, one instance whose checks all pass; a lookup is
 * reused for Registry.ResolveCacheTTL.
 */
export class ConsulRegistry implements Registry {
  private selfId: string | undefined;
  private readonly cache = new Map<string, { at: number; endpoints: ServiceEndpoint[] }>();
  private readonly next = new Map<string, number>();
  private readonly cacheTtlMs: number;

  constructor(
    private readonly consul: Consul,
    private readonly settings: CommonConfig['Registry'],
    private readonly log?: Logger,
  ) {
    this.cacheTtlMs = parseDuration(settings.ResolveCacheTTL);
  }

  /** The Consul service ID of a registration: unique per name, advertised host and REST port. */
  static serviceId(self: { name: string; host: string; restPort: number }): string {
    return `${self.name}-${self.host}-${self.restPort}`;
  }

  async register(self: { name: string; host: string; restPort: number; grpcPort: number }): Promise<void> {
    const id = ConsulRegistry.serviceId(self);
    const s = this.settings;
    const common = {
      interval: s.CheckInterval,
      timeout: s.CheckTimeout,
      deregistercriticalserviceafter: s.DeregisterCriticalServiceAfter,
      // Passing from the start, so peers can find it before the first check (Consul staggers that
      // by up to one interval); a failed check turns it critical as usual.
      status: 'passing',
    };
    try {
      await this.consul.agent.service.register({
        id,
        name: self.name,
        address: self.host,
        port: self.restPort,
        tags: [TAG],
        meta: { [GRPC_PORT_META]: String(self.grpcPort), restPort: String(self.restPort) },
        checks: [
          { ...common, checkid: `${id}:http`, name: `${self.name} REST /api/v3/ping`, http: `http://${hostPort(self.host, self.restPort)}/api/v3/ping` },
          { ...common, checkid: `${id}:grpc`, name: `${self.name} gRPC health`, grpc: hostPort(self.host, self.grpcPort), grpcusetls: false },
        ],
      });
    } catch (err) {
      throw new Error(`registry: cannot register ${self.name} as ${id} with ${consulErrorText(err, s)}`);
    }
    this.selfId = id;
    this.log?.info({ id, checkInterval: s.CheckInterval }, `registered with Consul as ${id}`);
  }

  async deregister(): Promise<void> {
    const id = this.selfId;
    if (!id) return;
    try {
      await this.consul.agent.service.deregister(id);
    } catch (err) {
      throw new Error(`registry: cannot deregister ${id} from ${consulErrorText(err, this.settings)}`);
    }
    this.selfId = undefined;
    this.log?.info({ id }, `deregistered ${id} from Consul`);
  }

  async resolve(serviceName: string): Promise<ServiceEndpoint> {
    const endpoints = await this.healthy(serviceName);
    const i = (this.next.get(serviceName) ?? 0) % endpoints.length;
    this.next.set(serviceName, i + 1);
    return { ...endpoints[i] };
  }

  private async healthy(serviceName: string): Promise<ServiceEndpoint[]> {
    const cached = this.cache.get(serviceName);
    if (cached && Date.now() - cached.at < this.cacheTtlMs) return cached.endpoints;
    let entries: HealthEntry[];
    try {
      entries = (await this.consul.health.service({ service: serviceName, passing: true })) as HealthEntry[];
    } catch (err) {
      throw new EdgeXError('ServiceUnavailable', `registry: cannot look up '${serviceName}' in ${consulErrorText(err, this.settings)}`);
    }
    const endpoints = entries.flatMap((e) => toEndpoint(e) ?? []);
    if (endpoints.length > 0) {
      this.cache.set(serviceName, { at: Date.now(), endpoints });
      return endpoints;
    }
    this.cache.delete(serviceName);
    const all = await this.consul.catalog.service.nodes(serviceName).catch(() => [] as unknown[]);
    if (Array.isArray(all) && all.length > 0) {
      throw new EdgeXError(
        'ServiceUnavailable',
        `registry: no healthy instance of '${serviceName}' in Consul (${all.length} registered, none passing its checks)`,
      );
    }
    throw new EdgeXError('NotFound', `registry: service '${serviceName}' is not registered in Consul`);
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function toEndpoint(e: HealthEntry): ServiceEndpoint | undefined {
  const s = e.Service;
  if (!s || typeof s.Port !== 'number') return undefined;
  const host = s.Address || e.Node?.Address;
  if (!host) return undefined;
  const grpcPort = Number(s.Meta?.[GRPC_PORT_META] ?? 0);
  return { host, restPort: s.Port, grpcPort: Number.isInteger(grpcPort) ? grpcPort : 0 };
}
