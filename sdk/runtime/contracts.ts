// The few contracts the runtime builds on (they live in @edgex-ts/contracts).
export {
  EdgeXError,
  httpStatusOf,
  grpcStatusOf,
  GRPC_KIND_METADATA_KEY,
  parseDto,
  parseDuration,
  SecretRequestSchema,
  CONTENT_TYPE_CBOR,
  decodeCborDto,
  isCborContentType,
  MAX_CBOR_DEPTH,
  parseJson,
  stringifyJson,
  DEFAULT_MAX_JSON_DEPTH,
  fileDescriptorSet,
} from '@edgex-ts/contracts';
export type { ErrorKind } from '@edgex-ts/contracts';
