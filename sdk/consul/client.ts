import type ConsulClass from 'consul';
import type { CommonConfig } from '@edgex-ts/runtime';

/** A client of one Consul agent (the `consul` npm package). */
export type Consul = InstanceType<typeof ConsulClass>;

/** `http://host:port` of the Consul agent named by the Registry section (for messages). */
export function consulAddress(registry: CommonConfig['Registry']): string {
  return `${registry.Scheme}://${registry.Host}:${registry.Port}`;
}

/** A client of the Consul agent named by Registry.Host/Port/Scheme (CONSUL_HTTP_TOKEN, if set, is sent). */
export async function createConsulClient(registry: CommonConfig['Registry'], env: NodeJS.ProcessEnv = process.env): Promise<Consul> {
  // Loaded on demand: a service on the static registry never pays for the client's memory.
  const { default: ConsulClient } = await import('consul');
  const token = env.CONSUL_HTTP_TOKEN?.trim();
  return new ConsulClient({
    host: registry.Host,
    port: registry.Port,
    secure: registry.Scheme === 'https',
    ...(token ? { defaults: { token } } : {}),
  });
}

/** The message of an error from the consul client, with the agent's address. */
export function consulErrorText(err: unknown, registry: CommonConfig['Registry']): string {
  const e = err as { message?: string; code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  return `Consul at ${consulAddress(registry)} (CONSUL_HTTP_ADDR / Registry.Host, Registry.Port): ${
    e.message ?? String(err)
  }${code && !(e.message ?? '').includes(code) ? ` (${code})` : ''}`;
}
