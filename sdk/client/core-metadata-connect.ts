import type { ServiceEndpoint } from '@edgex-ts/runtime';
import { CoreMetadataClient, type CoreMetadataApi } from './core-metadata.js';
import { CoreMetadataRestClient } from './core-metadata-rest.js';

/** How a service reaches another (EdgeX's `Clients.<service>.Protocol`): EdgeX's REST API (http, https) or our gRPC API. */
export type ClientProtocol = 'http' | 'https' | 'grpc';

/** A client of core-metadata at `endpoint` (from the registry), over EdgeX's REST API on its REST port or gRPC on its gRPC port. */
export function coreMetadataClientFor(protocol: ClientProtocol, endpoint: ServiceEndpoint, options: { callTimeoutMs?: number } = {}): CoreMetadataApi {
  if (protocol === 'grpc') return new CoreMetadataClient(`${endpoint.host}:${endpoint.grpcPort}`, options);
  return new CoreMetadataRestClient(`${protocol}://${endpoint.host}:${endpoint.restPort}`, options);
}
