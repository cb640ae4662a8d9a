import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Metadata, type CallOptions, type Client, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { service as healthServiceDef } from 'grpc-health-check';

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

/** grpc.health.v1.Health/Check of `service` ('' = the server) through grpc-health-check's definition (it ships no client type). */
export function healthCheck(port: number, service: string): Promise<string> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const { path, requestSerialize, responseDeserialize } = healthServiceDef.Check;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, requestSerialize, responseDeserialize, { service }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res && 'status' in res ? String(res.status) : '');
    });
  });
}

/** The services a server lists through gRPC server reflection (v1). */
export function listServicesByReflection(port: number): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const reflectionDir = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionDir], keepCase: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const client = new pkg.grpc.reflection.v1.ServerReflection(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (msg: any) => {
      resolve(msg.list_services_response.service.map((s: { name: string }) => s.name));
      call.end();
      client.close();
    });
    call.on('error', reject);
    call.write({ list_services: '' });
  });
}
