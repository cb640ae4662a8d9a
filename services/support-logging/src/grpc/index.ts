import { SupportLoggingServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { LoggingDomain } from '../domain/index.js';
import { supportLoggingGrpcService } from './service.js';

export const SUPPORT_LOGGING_GRPC_SERVICE = 'edgex.supportlogging.v1.SupportLoggingService';

/** Registers SupportLoggingService on the runtime's gRPC server. */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: LoggingDomain): void {
  runtime.addGrpcService(
    SupportLoggingServiceService,
    supportLoggingGrpcService(domain, runtime.config.Service.MaxResultCount, runtime.log),
    SUPPORT_LOGGING_GRPC_SERVICE,
  );
}
