/**
 * Routes a received trap to async readings: the devices whose agent address (protocols.TCP.TrapAddress, else
 * Address, host names resolved) is the trap's source (or a v1 trap's agent-addr), and in each device's profile
 * the readable resources whose `oid` attribute equals a varbind's OID. Each matched resource becomes one event
 * through `sdk.pushAsyncReadings`. A trap that matches nothing is counted and logged at debug level.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Device } from '@edgex-ts/contracts';
import type { CommandValue, DeviceServiceSdk } from '@edgex-ts/device-sdk';
import { normaliseOid, parseResource } from './attributes.js';
import type { Notification, Varbind } from './net-snmp.js';
import { parseEndpoint, type RequestDefaults } from './protocol.js';
import { readValue } from './values.js';
import { errorMessage } from '@edgex-ts/contracts';

/** What became of received traps since start. */
export interface TrapStats {
  /** Traps and informs received. */
  received: number;
  /** Readings pushed (one per matched resource). */
  readings: number;
  /** Traps from no known device, or with no varbind any resource of the device asks for. */
  unmatched: number;
  /** Datagrams refused (undecodable, wrong community) and matched values that could not be pushed. */
  rejected: number;
}

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

/**
 * The varbinds a trap carries about the device: without the sysUpTime.0 and snmpTrapOID.0 that open every
 * v2c trap and inform (otherwise a profile's sysUpTime resource would take the trap's timestamp as a reading).
 */
export function payloadVarbinds(varbinds: Varbind[]): Varbind[] {
  const header = new Set([SYS_UPTIME, SNMP_TRAP_OID]);
  let skip = 0;
  while (skip < 2 && skip < varbinds.length && header.has(normaliseOid(varbinds[skip].oid))) skip++;
  return varbinds.slice(skip);
}

/** `::ffff:192.0.2.1` → `192.0.2.1`, so IPv4 senders on a dual-stack socket compare equal. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export class TrapRouter {
  readonly stats: TrapStats = { received: 0, readings: 0, unmatched: 0, rejected: 0 };
  private readonly resolved = new Map<string, Promise<string[]>>();

  constructor(
    private readonly sdk: DeviceServiceSdk,
    private readonly defaults: RequestDefaults,
    private readonly log: Logger | undefined,
    /** Called whenever `stats` changed. */
    private readonly changed: (stats: TrapStats) => void = () => undefined,
  ) {}

  /** Forgets resolved host names (a device's address changed). */
  forgetAddresses(): void {
    this.resolved.clear();
  }

  rejected(reason: string, from: string | undefined): void {
    this.stats.rejected++;
    this.changed(this.stats);
    this.log?.debug({ from, reason }, 'SNMP trap refused');
  }

  async route(n: Notification): Promise<void> {
    try {
      await this.deliver(n);
    } finally {
      this.changed(this.stats);
    }
  }

  private async deliver(n: Notification): Promise<void> {
    this.stats.received++;
    const sources = new Set([plainAddress(n.rinfo.address)]);
    if (n.pdu.agentAddr && n.pdu.agentAddr !== '0.0.0.0') sources.add(n.pdu.agentAddr);
    const varbinds = payloadVarbinds(n.pdu.varbinds ?? []);
    let matched = 0;
    for (const device of this.sdk.getDevices()) {
      if (!(await this.sentBy(device, sources))) continue;
      const { values, misfits } = this.valuesFor(device, varbinds);
      matched += values.length + misfits;
      for (const value of values) {
        try {
          await this.sdk.pushAsyncReadings(device.name, [value]);
          this.stats.readings++;
        } catch (err) {
          this.stats.rejected++;
          this.log?.warn({ device: device.name, resource: value.deviceResourceName, err: errorMessage(err) }, 'SNMP trap value not pushed');
        }
      }
    }
    if (matched === 0) {
      this.stats.unmatched++;
      this.log?.debug({ from: [...sources], oids: varbinds.map((v) => v.oid) }, 'SNMP trap matched no device resource');
    }
  }

  private async sentBy(device: Device, sources: Set<string>): Promise<boolean> {
    let host: string;
    try {
      const e = parseEndpoint(device.name, device.protocols, this.defaults);
      host = e.trapAddress ?? e.host;
    } catch {
      return false; // not an SNMP device of ours (its reads report why)
    }
    const addresses = await this.addressesOf(host);
    return addresses.some((a) => sources.has(a));
  }

  private addressesOf(host: string): Promise<string[]> {
    if (isIP(host)) return Promise.resolve([host]);
    let found = this.resolved.get(host);
    if (!found) {
      found = lookup(host, { all: true })
        .then((list) => list.map((a) => plainAddress(a.address)))
        .catch((err: unknown) => {
          this.resolved.delete(host); // try again with the next trap
          this.log?.debug({ host, err: errorMessage(err) }, 'cannot resolve device address for trap matching');
          return [];
        });
      this.resolved.set(host, found);
    }
    return found;
  }

  /**
   * One value per readable resource of the device's profile whose `oid` is among the varbinds; `misfits`
   * counts matched varbinds whose value does not fit the resource (logged).
   */
  private valuesFor(device: Device, varbinds: Varbind[]): { values: CommandValue[]; misfits: number } {
    let misfits = 0;
    const profile = this.sdk.getProfile(device.profileName);
    if (!profile) return { values: [], misfits };
    const byOid = new Map(varbinds.map((vb) => [normaliseOid(vb.oid), vb]));
    const values: CommandValue[] = [];
    for (const r of profile.deviceResources ?? []) {
      if (!(r.properties.readWrite ?? 'R').includes('R')) continue;
      const raw = r.attributes?.oid;
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const vb = byOid.get(normaliseOid(String(raw)));
      if (!vb) continue;
      try {
        const spec = parseResource({ deviceResourceName: r.name, attributes: r.attributes ?? {}, valueType: r.properties.valueType });
        if (spec.walk) continue;
        values.push({ deviceResourceName: r.name, valueType: spec.valueType, value: readValue(spec, vb) });
      } catch (err) {
        misfits++;
        this.stats.rejected++;
        this.log?.warn({ device: device.name, resource: r.name, err: errorMessage(err) }, 'SNMP trap value does not fit its resource');
      }
    }
    return { values, misfits };
  }
}
