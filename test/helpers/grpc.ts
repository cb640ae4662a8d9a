import { Metadata, type CallOptions, type Client, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';

/** A unary method of a generated client (ts-proto, grpc-js), in its full form: the types of request and answer come from it. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Calls `method` of `client` and resolves with its typed answer, or rejects with the gRPC ServiceError as received. */
export function unaryCall<Req, Res>(client: Client, method: UnaryMethod<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, new Metadata(), {}, (err, res) => (err ? reject(err) : resolve(res)));
  });
}
