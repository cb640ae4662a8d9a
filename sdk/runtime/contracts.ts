// The few contracts the runtime builds on (EdgeXError and friends live in @edgex-ts/sdk/contracts).
export { EdgeXError, httpStatusOf, grpcStatusOf, GRPC_KIND_METADATA_KEY, type ErrorKind } from '../contracts/errors.js';
export { parseDto } from '../contracts/dto/parse.js';
export { parseDuration } from '../contracts/duration.js';
