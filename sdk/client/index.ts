export { CoreDataClient } from './core-data.js';
export type { EventStream, ListEventsOptions, ListReadingsOptions, Nanos, StreamSummary, TimeRangeOptions } from './core-data.js';
export { CoreMetadataClient } from './core-metadata.js';
export type { DeviceWriteOptions, LabelPageOptions, ListDevicesOptions } from './core-metadata.js';
export { fromGrpcError, GrpcClient } from './grpc-call.js';
export type { GrpcClientOptions, PageOptions } from './grpc-call.js';
export { CoreCommandClient } from './core-command.js';
export type { CoreCommand, DeviceCoreCommand, IssueGetOptions } from './core-command.js';
