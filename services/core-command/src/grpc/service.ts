import { EdgeXError, corecommandV1 as pb, eventToProto } from '@edgex-ts/contracts';
import { grpcUnary, pageFromProto } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import { commandOptionsOf, PUSH_EVENT, RETURN_EVENT, type CommandDomain, type DeviceCoreCommand } from '../domain/index.js';

function required(value: string, field: string): string {
  if (value.trim() === '') throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}

function toProto(d: DeviceCoreCommand): pb.DeviceCoreCommand {
  return { deviceName: d.deviceName, profileName: d.profileName, coreCommands: d.coreCommands };
}

/**
 * The command options of a gRPC request: the typed push/return fields win over ds-* entries in
 * query_params; every other entry is passed through to the device service.
 */
function optionsOf(pushEvent: boolean, returnEvent: boolean | undefined, queryParams: Record<string, string>) {
  const { [PUSH_EVENT]: _push, [RETURN_EVENT]: _ret, ...extra } = queryParams;
  return commandOptionsOf({ ...extra, [PUSH_EVENT]: String(pushEvent), [RETURN_EVENT]: String(returnEvent ?? true) });
}

/** edgex.corecommand.v1.CoreCommandService over the command domain (same rules as REST). */
export function coreCommandGrpcService(domain: CommandDomain, maxResultCount: number, log: Logger): pb.CoreCommandServiceServer {
  const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) => grpcUnary<Req, Res>(fn, log);
  return {
    listDeviceCoreCommands: unary(async (req: pb.ListDeviceCoreCommandsRequest) => {
      const { deviceCoreCommands, totalCount } = await domain.list(pageFromProto(req.page, maxResultCount));
      return { deviceCoreCommands: deviceCoreCommands.map(toProto), totalCount };
    }),
    getDeviceCoreCommand: unary(async (req: pb.GetDeviceCoreCommandRequest) => ({
      deviceCoreCommand: toProto(await domain.byDeviceName(required(req.deviceName, 'device_name'))),
    })),
    issueGetCommand: unary(async (req: pb.IssueGetCommandRequest) => {
      const { event } = await domain.issueGet(
        required(req.deviceName, 'device_name'),
        required(req.commandName, 'command_name'),
        optionsOf(req.pushEvent, req.returnEvent, req.queryParams),
      );
      return event ? { event: eventToProto(event) } : {};
    }),
    issueSetCommand: unary(async (req: pb.IssueSetCommandRequest) => {
      await domain.issueSet(
        required(req.deviceName, 'device_name'),
        required(req.commandName, 'command_name'),
        req.values ?? {},
        optionsOf(false, undefined, req.queryParams),
      );
      return {};
    }),
  };
}
