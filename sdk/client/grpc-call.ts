import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import type { CallOptions, ChannelCredentials, Client, ClientOptions, ClientUnaryCall, ServiceError } from '@grpc/grpc-js';
import { EdgeXError, GRPC_KIND_METADATA_KEY, isEdgeXError, kindOfGrpcStatus, errorMessage } from '@edgex-ts/contracts';

export interface GrpcClientOptions {
  /** Deadline of each unary call in ms (default 10000). Streams have none. */
  callTimeoutMs?: number;
  /** Default: insecure (plain HTTP/2), as inside a compose network or one process. */
  credentials?: ChannelCredentials;
  channelOptions?: Partial<ClientOptions>;
}

/** Turns a gRPC error into an EdgeXError with the kind matching the status code; the message is kept. */
export function fromGrpcError(err: unknown): EdgeXError {
  if (isEdgeXError(err)) return err;
  const e = err as Partial<ServiceError>;
  if (typeof e?.code !== 'number') return new EdgeXError('Communication', errorMessage(err), err);
  const explicit = e.metadata?.get(GRPC_KIND_METADATA_KEY)[0];
  const message = e.details || e.message || 'gRPC call failed';
  return new EdgeXError(kindOfGrpcStatus(e.code, typeof explicit === 'string' ? explicit : undefined), message, err);
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Shared plumbing of the typed clients: promise-based unary calls, readiness, close. */
export abstract class GrpcClient<Raw extends Client> {
  protected readonly raw: Raw;
  private readonly callTimeoutMs: number;

  protected constructor(
    Ctor: new (address: string, creds: ChannelCredentials, options?: Partial<ClientOptions>) => Raw,
    address: string,
    options: GrpcClientOptions = {},
  ) {
    this.raw = new Ctor(address, options.credentials ?? grpcCredentials.createInsecure(), options.channelOptions);
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
  }

  protected unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.raw, request, new Metadata(), { deadline: Date.now() + this.callTimeoutMs }, (err, res) =>
        err ? reject(fromGrpcError(err)) : resolve(res),
      );
    });
  }

  /** Resolves once the channel is connected; rejects with ServiceUnavailable after `deadlineMs`. */
  waitForReady(deadlineMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.waitForReady(Date.now() + deadlineMs, (err) =>
        err ? reject(new EdgeXError('ServiceUnavailable', `not ready within ${deadlineMs}ms: ${err.message}`, err)) : resolve(),
      );
    });
  }

  close(): void {
    this.raw.close();
  }
}

/** Page for list calls: limit -1 (the default) means as many as the service allows. */
export interface PageOptions {
  offset?: number;
  limit?: number;
}
export function toPage(p: PageOptions): { offset: number; limit: number } {
  return { offset: p.offset ?? 0, limit: p.limit ?? -1 };
}
