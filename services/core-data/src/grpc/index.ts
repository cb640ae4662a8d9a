import { CoreDataServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { Backlog, DataDomain } from '../domain/index.js';
import { coreDataGrpcService } from './service.js';

export const CORE_DATA_GRPC_SERVICE = 'edgex.coredata.v1.CoreDataService';

/** Registers CoreDataService on the runtime's gRPC server; its streams pause while `backlog` is long. */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: DataDomain, backlog: Backlog): void {
  runtime.addGrpcService(
    CoreDataServiceService,
    coreDataGrpcService(domain, backlog, runtime.log, runtime.config.Service.MaxResultCount),
    CORE_DATA_GRPC_SERVICE,
  );
}
