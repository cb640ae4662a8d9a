import { CoreCommandServiceClient, EdgeXError, eventFromProto } from '@edgex-ts/contracts';
import type { Event, corecommandV1 } from '@edgex-ts/contracts';
import { GrpcClient, toPage, type GrpcClientOptions, type PageOptions } from './grpc-call.js';

/** One command of a device (EdgeX CoreCommand): get/set say which directions it allows. */
export type CoreCommand = corecommandV1.CoreCommand;
/** The commands one device offers (EdgeX DeviceCoreCommand). */
export type DeviceCoreCommand = corecommandV1.DeviceCoreCommand;

export interface IssueGetOptions {
  /** ds-pushevent: the device service also publishes the event to the bus, so it lands in core-data (default false). */
  pushEvent?: boolean;
  /** ds-returnevent: the event comes back (default true); false resolves with undefined. */
  returnEvent?: boolean;
  /** Further query parameters passed through to the device service. */
  queryParams?: Record<string, string>;
}

/**
 * Typed, promise-based client of core-command's gRPC API (CoreCommandService). Errors are EdgeXErrors with
 * core-command's kinds: NotFound (device or command), NotAllowed (wrong direction), ServiceLocked (device or
 * its service LOCKED, device DOWN), ServiceUnavailable (the device service did not answer), and the device
 * service's own failures.
 */
export class CoreCommandClient extends GrpcClient<CoreCommandServiceClient> {
  constructor(address: string, options?: GrpcClientOptions) {
    super(CoreCommandServiceClient, address, options);
  }

  /** A page of devices with their commands (limit -1: as many as core-command allows). */
  async listDeviceCoreCommands(page: PageOptions = {}): Promise<{ deviceCoreCommands: DeviceCoreCommand[]; totalCount: number }> {
    const res = await this.unary(this.raw.listDeviceCoreCommands, { page: toPage(page) });
    return { deviceCoreCommands: res.deviceCoreCommands, totalCount: res.totalCount };
  }

  async getDeviceCoreCommand(deviceName: string): Promise<DeviceCoreCommand> {
    const res = await this.unary(this.raw.getDeviceCoreCommand, { deviceName });
    if (!res.deviceCoreCommand) throw new EdgeXError('UnexpectedServerError', 'core-command answered without deviceCoreCommand');
    return res.deviceCoreCommand;
  }

  /** Reads a command (or resource) of a device; undefined when `returnEvent` is false. */
  async issueGet(deviceName: string, commandName: string, opts: IssueGetOptions = {}): Promise<Event | undefined> {
    const res = await this.unary(this.raw.issueGetCommand, {
      deviceName,
      commandName,
      pushEvent: opts.pushEvent ?? false,
      returnEvent: opts.returnEvent ?? true,
      queryParams: opts.queryParams ?? {},
    });
    return res.event ? eventFromProto(res.event) : undefined;
  }

  /** Writes `values` (resource name → value, usually strings as in EdgeX) to a command or resource of a device. */
  async issueSet(deviceName: string, commandName: string, values: Record<string, unknown>, queryParams: Record<string, string> = {}): Promise<void> {
    await this.unary(this.raw.issueSetCommand, { deviceName, commandName, values, queryParams });
  }
}
