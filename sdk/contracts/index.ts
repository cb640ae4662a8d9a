export * from './errors.js';
export * from './grpc-status.js';
export * from './duration.js';
export * from './values.js';
export * from './json.js';
export * from './cbor.js';
export * from './dto/index.js';
export * from './mappers.js';
export * from './resource-pattern.js';
export { newUuid } from './uuid.js';

// Generated gRPC/protobuf code, under clear names.
export * as commonV1 from './common-v1.js';
export * as coredataV1 from './gen/edgex/coredata/v1/core_data.js';
export * as coremetadataV1 from './gen/edgex/coremetadata/v1/core_metadata.js';
export * as corecommandV1 from './gen/edgex/corecommand/v1/core_command.js';
export * as supportnotificationsV1 from './gen/edgex/supportnotifications/v1/support_notifications.js';
export * as supportloggingV1 from './gen/edgex/supportlogging/v1/support_logging.js';
export * as supportschedulerV1 from './gen/edgex/supportscheduler/v1/support_scheduler.js';
export { CoreDataServiceService, CoreDataServiceClient } from './gen/edgex/coredata/v1/core_data.js';
export { CoreMetadataServiceService, CoreMetadataServiceClient } from './gen/edgex/coremetadata/v1/core_metadata.js';
export { CoreCommandServiceService, CoreCommandServiceClient } from './gen/edgex/corecommand/v1/core_command.js';
export { SupportNotificationsServiceService, SupportNotificationsServiceClient } from './gen/edgex/supportnotifications/v1/support_notifications.js';
export { SupportLoggingServiceService, SupportLoggingServiceClient } from './gen/edgex/supportlogging/v1/support_logging.js';
export { SupportSchedulerServiceService, SupportSchedulerServiceClient } from './gen/edgex/supportscheduler/v1/support_scheduler.js';

// The descriptors of every proto above (gRPC server reflection), shipped inside this package.
import { FILE_DESCRIPTOR_SET_BASE64 } from './gen/descriptors.js';
/** Every edgex-ts .proto and its imports as a binary google.protobuf.FileDescriptorSet. */
export function fileDescriptorSet(): Buffer {
  return Buffer.from(FILE_DESCRIPTOR_SET_BASE64, 'base64');
}
