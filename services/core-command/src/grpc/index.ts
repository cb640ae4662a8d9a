import { CoreCommandServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { CommandDomain } from '../domain/index.js';
import { coreCommandGrpcService } from './service.js';

export const CORE_COMMAND_GRPC_SERVICE = 'edgex.corecommand.v1.CoreCommandService';

/** Registers CoreCommandService on the runtime's gRPC server. */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: CommandDomain): void {
  runtime.addGrpcService(
    CoreCommandServiceService,
    coreCommandGrpcService(domain, runtime.config.Service.MaxResultCount, runtime.log),
    CORE_COMMAND_GRPC_SERVICE,
  );
}
