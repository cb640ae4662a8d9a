import { SupportNotificationsServiceService } from '@edgex-ts/contracts';
import type { CommonConfig, ServiceRuntime } from '@edgex-ts/runtime';
import type { NotificationsDomain } from '../domain/index.js';
import { supportNotificationsGrpcService } from './service.js';

export const SUPPORT_NOTIFICATIONS_GRPC_SERVICE = 'edgex.supportnotifications.v1.SupportNotificationsService';

/** Registers SupportNotificationsService on the runtime's gRPC server (health and reflection come with the runtime). */
export function mountGrpcService(runtime: ServiceRuntime<CommonConfig>, domain: NotificationsDomain): void {
  runtime.addGrpcService(
    SupportNotificationsServiceService,
    supportNotificationsGrpcService(domain, runtime.config.Service.MaxResultCount, runtime.log),
    SUPPORT_NOTIFICATIONS_GRPC_SERVICE,
  );
}
