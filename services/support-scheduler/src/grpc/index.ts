import { SupportSchedulerServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { SchedulerDomain } from '../domain/index.js';
import { supportSchedulerGrpcService } from './service.js';

export const SUPPORT_SCHEDULER_GRPC_SERVICE = 'edgex.supportscheduler.v1.SupportSchedulerService';

/** Registers SupportSchedulerService on the runtime's gRPC server. */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: SchedulerDomain): void {
  runtime.addGrpcService(
    SupportSchedulerServiceService,
    supportSchedulerGrpcService(domain, runtime.config.Service.MaxResultCount, runtime.log),
    SUPPORT_SCHEDULER_GRPC_SERVICE,
  );
}
