import { EdgeXError, isEdgeXError, type Device, type DeviceProfile, type DeviceService } from '@edgex-ts/contracts';
import { coreMetadataClientFor, type ClientProtocol, type CoreMetadataApi } from '@edgex-ts/client';
import type { Registry } from '@edgex-ts/runtime';
import type { MetadataLookup } from '../domain/ports.js';

const CORE_METADATA = 'core-metadata';

/**
 * MetadataLookup over core-metadata's gRPC API (or its EdgeX REST API with `Clients.core-metadata.Protocol` http). The address comes from the registry on every call (so a
 * core-metadata that moves is followed); the client is kept while the address stays the same.
 */
export class MetadataSource implements MetadataLookup {
  private current: { address: string; client: CoreMetadataApi } | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly callTimeoutMs: number,
    private readonly protocol: ClientProtocol = 'grpc',
  ) {}

  private async client(): Promise<CoreMetadataApi> {
    let ep: Awaited<ReturnType<Registry['resolve']>>;
    let address: string;
    try {
      ep = await this.registry.resolve(CORE_METADATA);
      address = `${ep.host}:${this.protocol === 'grpc' ? ep.grpcPort : ep.restPort}`;
    } catch (err) {
      // Not knowing where core-metadata is means it is unavailable to us, not that the device is unknown.
      const message = isEdgeXError(err) || err instanceof Error ? err.message : String(err);
      throw new EdgeXError('ServiceUnavailable', `core-metadata cannot be found: ${message}`, err);
    }
    if (this.current?.address !== address) {
      this.current?.client.close();
      this.current = { address, client: coreMetadataClientFor(this.protocol, ep, { callTimeoutMs: this.callTimeoutMs }) };
    }
    return this.current.client;
  }

  async device(name: string): Promise<Device> {
    return (await this.client()).getDevice(name);
  }

  async devices(page: { offset: number; limit: number }): Promise<{ devices: Device[]; totalCount: number }> {
    const { devices, totalCount } = await (await this.client()).listDevices(page);
    return { devices, totalCount };
  }

  async profile(name: string): Promise<DeviceProfile> {
    return (await this.client()).getDeviceProfile(name);
  }

  async deviceService(name: string): Promise<DeviceService> {
    return (await this.client()).getDeviceService(name);
  }

  close(): void {
    this.current?.client.close();
    this.current = undefined;
  }
}
