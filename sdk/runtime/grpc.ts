import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { Logger } from 'pino';
import { EdgeXError, fileDescriptorSet, GRPC_KIND_METADATA_KEY, grpcStatusOf } from './contracts.js';

/** Converts any error to a gRPC status error; EdgeXError keeps its kind in metadata `edgex-error-kind`. */
export function toGrpcError(err: unknown, log?: Logger): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (err instanceof EdgeXError) {
    metadata.set(GRPC_KIND_METADATA_KEY, err.kind);
    return Object.assign(new Error(err.message), { code: grpcStatusOf(err.kind), details: err.message, metadata });
  }
  const message = err instanceof Error ? err.message : String(err);
  log?.error({ err }, 'gRPC handler failed');
  return Object.assign(new Error(message), { code: grpc.status.INTERNAL, details: message, metadata });
}

/** Unary handler from an async function; errors become gRPC statuses (see toGrpcError). */
export function grpcUnary<Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>, log?: Logger): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcError(err, log)),
    );
  };
}

/** Client-streaming handler from an async function over the incoming messages. */
export function grpcClientStream<Req, Res>(
  fn: (requests: AsyncIterable<Req>, call: grpc.ServerReadableStream<Req, Res>) => Promise<Res>,
  log?: Logger,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    fn(call as unknown as AsyncIterable<Req>, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcError(err, log)),
    );
  };
}

let reflectionPackage: protoLoader.PackageDefinition | undefined;

/** Package definition of every edgex-ts proto (the contracts' descriptors) plus grpc.health.v1 (loaded once per process). */
export function reflectionPackageDefinition(): protoLoader.PackageDefinition {
  if (!reflectionPackage) {
    const opts: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
    const ours = protoLoader.loadFileDescriptorSetFromBuffer(fileDescriptorSet(), opts);
    const health = protoLoader.loadSync(resolve(healthProtoPath), opts);
    reflectionPackage = { ...health, ...ours };
  }
  return reflectionPackage;
}

export const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** A gRPC server with grpc.health.v1 (overall "" + one entry per service) and server reflection. */
export class GrpcServer {
  readonly server: grpc.Server;
  readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly serviceNames: string[] = [];
  private extrasAdded = false;

  constructor(options: grpc.ServerOptions = {}) {
    this.server = new grpc.Server(options);
  }

  addService(def: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation, protoFullName: string): void {
    this.server.addService(def, impl);
    this.serviceNames.push(protoFullName);
    this.health.setStatus(protoFullName, 'NOT_SERVING');
  }

  /** Adds health + reflection (once); called before binding. */
  addStandardServices(): void {
    if (this.extrasAdded) return;
    this.extrasAdded = true;
    this.health.addToServer(this.server);
    // List only what this server serves (the package definition holds every proto of the suite).
    new ReflectionService(reflectionPackageDefinition(), {
      services: [HEALTH_SERVICE, ...this.serviceNames],
    }).addToServer(this.server);
  }

  setServing(serving: boolean): void {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    this.health.setStatus('', status);
    for (const name of this.serviceNames) this.health.setStatus(name, status);
  }

  /** Binds insecure on `host:port`, returns the actual port. */
  bind(host: string, port: number): Promise<number> {
    const addr = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise((resolvePort, reject) => {
      this.server.bindAsync(addr, grpc.ServerCredentials.createInsecure(), (err, actual) => (err ? reject(err) : resolvePort(actual)));
    });
  }

  /** Graceful shutdown with a deadline, then forced. */
  shutdown(deadlineMs: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        done();
      }, deadlineMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        done();
      });
    });
  }
}
