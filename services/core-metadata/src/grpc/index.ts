import { CoreMetadataServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { MetadataDomain } from '../domain/index.js';
import { coreMetadataGrpcService } from './service.js';

export const CORE_METADATA_GRPC_SERVICE = 'edgex.coremetadata.v1.CoreMetadataService';

/** Registers CoreMetadataService on the runtime's gRPC server. */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: MetadataDomain): void {
  runtime.addGrpcService(
    CoreMetadataServiceService,
    coreMetadataGrpcService(domain, runtime.config.Service.MaxResultCount, runtime.log),
    CORE_METADATA_GRPC_SERVICE,
  );
}
