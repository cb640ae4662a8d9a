// The few contracts the runtime builds on (they live in @edgex-ts/sdk/contracts).
export { EdgeXError, httpStatusOf, grpcStatusOf, GRPC_KIND_METADATA_KEY, parseDto, parseDuration, SecretRequestSchema, CONTENT_TYPE_CBOR, decodeCborDto, isCborContentType, MAX_CBOR_DEPTH, parseJson, stringifyJson } from '../contracts/index.js';
export type { ErrorKind } from '../contracts/index.js';
