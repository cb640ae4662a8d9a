/**
 * The SNMP protocol driver (EdgeX device-snmp compatible): GET, SET and walks of the OIDs named by the
 * resources' attributes, over SNMP v1, v2c or v3 sessions shared per endpoint; traps become async readings.
 */
import type { Logger } from 'pino';
import { EdgeXError, type Device, errorMessage } from '@edgex-ts/contracts';
import type { AdminState, CommandRequest, CommandValue, DeviceServiceSdk, ProtocolDriver, Protocols } from '@edgex-ts/device-sdk';
import { parseResource, type ResourceSpec } from './attributes.js';
import { DRIVER_DEFAULTS, driverSettingsOf, type SnmpDriverSettings } from './driver-config.js';
import { parseEndpoint, type SnmpEndpoint } from './protocol.js';
import { describeTarget, explainFailure, SessionPool, sessionKey, targetOf, type SessionTarget } from './sessions.js';
import { TrapListener } from './trap-listener.js';
import { TrapRouter, type TrapStats } from './trap-router.js';
import { readValue, walkValue, writeVarbind } from './values.js';

/** Requests of one command that go to the same session, with their positions in the command. */
interface Batch {
  target: SessionTarget;
  items: { index: number; spec: ResourceSpec }[];
}

function batches(endpoint: SnmpEndpoint, specs: ResourceSpec[]): Batch[] {
  const byKey = new Map<string, Batch>();
  specs.forEach((spec, index) => {
    const target = targetOf(endpoint, spec);
    const key = sessionKey(target);
    let b = byKey.get(key);
    if (!b) byKey.set(key, (b = { target, items: [] }));
    b.items.push({ index, spec });
  });
  return [...byKey.values()];
}

function names(items: Batch['items']): string {
  return items.map(({ spec }) => `${spec.resourceName} (${spec.oid})`).join(', ');
}

export interface SnmpDriverOptions {
  /** Overrides the service's `Driver` section (tests). */
  settings?: Partial<SnmpDriverSettings>;
}

export class SnmpDriver implements ProtocolDriver {
  private log: Logger | undefined;
  private settings: SnmpDriverSettings = DRIVER_DEFAULTS;
  private pool = new SessionPool(undefined);
  private trapListener: TrapListener | undefined;
  private trapRouter: TrapRouter | undefined;
  /** Called with each trap's fate; the service turns these into metrics. */
  onTrapStats: ((stats: TrapStats) => void) | undefined;

  constructor(private readonly options: SnmpDriverOptions = {}) {}

  /** SNMP sessions open now (one per endpoint and credentials). */
  get openSessions(): number {
    return this.pool.size;
  }

  /** The trap listener's UDP port, or undefined when it is not listening. */
  get trapPort(): number | undefined {
    return this.trapListener?.port;
  }

  get trapStats(): TrapStats {
    return { ...(this.trapRouter?.stats ?? { received: 0, readings: 0, unmatched: 0, rejected: 0 }) };
  }

  initialize(sdk: DeviceServiceSdk): void {
    this.log = sdk.log.child({ driver: 'snmp' });
    this.settings = { ...driverSettingsOf(sdk.driverConfig), ...this.options.settings };
    this.pool = new SessionPool(this.log, this.settings.maxInFlight);
    this.trapRouter = new TrapRouter(sdk, this.settings, this.log, (stats) => this.onTrapStats?.(stats));
  }

  async start(): Promise<void> {
    const router = this.trapRouter;
    if (!router || this.settings.trapPort === 0) return;
    const listener = new TrapListener({
      port: this.settings.trapPort,
      bindAddress: this.settings.trapBindAddress,
      communities: this.settings.trapCommunities,
      log: this.log,
      onNotification: (n) => {
        router.route(n).catch((err: unknown) => this.log?.error({ err: errorMessage(err) }, 'SNMP trap handling failed'));
      },
      onRejected: (reason, from) => router.rejected(reason, from),
    });
    if (await listener.start()) this.trapListener = listener;
  }

  async stop(): Promise<void> {
    await this.trapListener?.close();
    this.trapListener = undefined;
    this.pool.closeAll();
  }

  addDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): void {
    this.checkProtocols(deviceName, protocols);
  }

  updateDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): void {
    // The endpoint may have changed: the next request opens a session for the new one.
    this.pool.releaseDevice(deviceName);
    this.trapRouter?.forgetAddresses();
    this.checkProtocols(deviceName, protocols);
  }

  removeDevice(deviceName: string): void {
    this.pool.releaseDevice(deviceName);
    this.trapRouter?.forgetAddresses();
  }

  validateDevice(device: Device): void {
    parseEndpoint(device.name, device.protocols, this.settings);
  }

  async handleReadCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]> {
    const endpoint = parseEndpoint(deviceName, protocols, this.settings);
    const specs = requests.map(parseResource);
    const values: CommandValue[] = new Array(specs.length);
    const put = (index: number, spec: ResourceSpec, value: CommandValue['value']) => {
      values[index] = { deviceResourceName: spec.resourceName, valueType: spec.valueType, value };
    };
    for (const batch of batches(endpoint, specs)) {
      const walks = batch.items.filter((i) => i.spec.walk);
      const gets = batch.items.filter((i) => !i.spec.walk);
      if (gets.length > 0) {
        const varbinds = await this.request(deviceName, 'GET', batch.target, gets, () =>
          this.pool.get(
            deviceName,
            batch.target,
            gets.map((g) => g.spec.oid),
          ),
        );
        gets.forEach(({ index, spec }, i) =>
          put(
            index,
            spec,
            this.decode(deviceName, batch.target, spec, () => readValue(spec, varbinds[i])),
          ),
        );
      }
      for (const { index, spec } of walks) {
        const rows = await this.request(deviceName, 'walk', batch.target, [{ index, spec }], () =>
          this.pool.subtree(deviceName, batch.target, spec.oid, this.settings.maxRepetitions),
        );
        put(
          index,
          spec,
          this.decode(deviceName, batch.target, spec, () => walkValue(spec, rows)),
        );
      }
    }
    return values;
  }

  async handleWriteCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    const endpoint = parseEndpoint(deviceName, protocols, this.settings);
    const specs = requests.map(parseResource);
    if (values.length !== specs.length) {
      throw new EdgeXError('ContractInvalid', `device ${deviceName}: ${specs.length} resources to write but ${values.length} values`);
    }
    const varbinds = specs.map((spec, i) => writeVarbind(spec, values[i].value));
    // One SET per session: the agent applies its varbinds all or none.
    for (const batch of batches(endpoint, specs)) {
      await this.request(deviceName, 'SET', batch.target, batch.items, () =>
        this.pool.set(
          deviceName,
          batch.target,
          batch.items.map(({ index }) => varbinds[index]),
        ),
      );
    }
  }

  /** Runs an SNMP request; a failure becomes an Error naming the device, resources, OIDs and agent. */
  private async request<T>(deviceName: string, what: string, target: SessionTarget, items: Batch['items'], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new Error(`device ${deviceName}: SNMP ${what} of ${names(items)} at ${describeTarget(target)} failed: ${explainFailure(err, target)}`, {
        cause: err,
      });
    }
  }

  /** Converts an answer; a value that does not fit its resource names the device and agent too. */
  private decode<T>(deviceName: string, target: SessionTarget, spec: ResourceSpec, convert: () => T): T {
    try {
      return convert();
    } catch (err) {
      const message = errorMessage(err);
      const subject = message.startsWith('deviceResource') ? message : `deviceResource ${spec.resourceName}: ${message}`;
      throw new Error(`device ${deviceName}: SNMP answer from ${describeTarget(target)}: ${subject}`, { cause: err });
    }
  }

  private checkProtocols(deviceName: string, protocols: Protocols): void {
    try {
      parseEndpoint(deviceName, protocols, this.settings);
    } catch (err) {
      this.log?.warn({ device: deviceName }, errorMessage(err));
    }
  }
}
