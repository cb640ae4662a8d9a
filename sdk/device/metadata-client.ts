/**
 * The device service's client of core-metadata, found through the registry: EdgeX's REST API
 * (`Clients.core-metadata.Protocol` http or https, the default, as EdgeX's device SDK) or our gRPC API (grpc).
 */
import { coreMetadataClientFor, type CoreMetadataApi } from '@edgex-ts/client';
import type { Registry } from '@edgex-ts/runtime';
import type { DeviceServiceConfig } from './config.js';

export class MetadataClient {
  private client: CoreMetadataApi | undefined;
  private connecting: Promise<CoreMetadataApi> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly clients: DeviceServiceConfig['Clients'],
  ) {}

  /** The shared client, resolved through the registry on first use (one, however many ask at once). */
  get(): Promise<CoreMetadataApi> {
    this.connecting ??= this.connect().then(
      (client) => (this.client = client),
      (err: unknown) => {
        this.connecting = undefined; // not found in the registry yet: the next use asks again
        throw err;
      },
    );
    return this.connecting;
  }

  /** A new client where the registry says core-metadata is now (the caller closes it). */
  async connect(): Promise<CoreMetadataApi> {
    const ep = await this.registry.resolve('core-metadata');
    return coreMetadataClientFor(this.clients['core-metadata']?.Protocol ?? 'http', ep);
  }

  close(): void {
    this.client?.close();
  }
}
