/**
 * Readings devices publish on their own (`<IncomingTopic prefix>/<deviceName>/<sourceName>`), after
 * device-mqtt-go's incominglistener: the source is a readable device command or resource of the device's
 * profile; the payload is a JSON object `{resourceName: value, …}` holding every resource of the source or,
 * for a single-resource source, the bare value (JSON, or plain text; raw bytes for a Binary resource).
 * Anything else is logged and counted, never thrown.
 */
import type { Logger } from 'pino';
import type { DeviceResource } from '@edgex-ts/contracts';
import type { CommandValue, DeviceServiceSdk } from '@edgex-ts/device-sdk';
import { parseIncomingTopic } from './topics.js';
import { jsonFromDevice, valueFromDevice } from './values.js';
import { errorMessage } from '@edgex-ts/contracts';

export type IncomingOutcome = 'pushed' | 'rejected';

export interface IncomingOptions {
  sdk: DeviceServiceSdk;
  log: Logger;
  /** The IncomingTopic filter, e.g. `incoming/data/#`. */
  filter: string;
  count(outcome: IncomingOutcome): void;
}

class Rejected extends Error {}

const readable = (rw: string | undefined) => rw === undefined || rw.toUpperCase().includes('R');

export class IncomingReadings {
  constructor(private readonly opts: IncomingOptions) {}

  /** Handles one message; resolves when the readings are handed to the SDK or the message is rejected. */
  async handle(topic: string, payload: Buffer): Promise<void> {
    try {
      const target = parseIncomingTopic(this.opts.filter, topic);
      if ('error' in target) throw new Rejected(target.error);
      const resources = this.sourceResources(target.deviceName, target.sourceName);
      const values = this.values(target.deviceName, target.sourceName, resources, payload);
      await this.opts.sdk.pushAsyncReadings(target.deviceName, values, target.sourceName);
      this.opts.count('pushed');
    } catch (err) {
      this.opts.count('rejected');
      this.opts.log.warn({ topic, payload: preview(payload), err: errorMessage(err) }, 'incoming MQTT data ignored');
    }
  }

  /** The resources a source stands for: a readable device command's resource operations, else a readable resource. */
  private sourceResources(deviceName: string, sourceName: string): DeviceResource[] {
    const { sdk } = this.opts;
    const device = sdk.getDevice(deviceName);
    if (!device) throw new Rejected(`device ${deviceName} is not known to ${sdk.serviceName}`);
    const profile = sdk.getProfile(device.profileName);
    if (!profile) throw new Rejected(`device ${deviceName}: profile ${device.profileName} is not known`);
    const command = profile.deviceCommands?.find((c) => c.name === sourceName);
    if (command) {
      if (!readable(command.readWrite)) throw new Rejected(`device ${deviceName}: deviceCommand ${sourceName} is not readable`);
      return command.resourceOperations.map((op) => {
        const r = profile.deviceResources.find((x) => x.name === op.deviceResource);
        if (!r) throw new Rejected(`profile ${profile.name}: deviceCommand ${sourceName} names unknown deviceResource ${op.deviceResource}`);
        return r;
      });
    }
    const resource = profile.deviceResources.find((r) => r.name === sourceName);
    if (!resource) throw new Rejected(`device ${deviceName}: ${sourceName} is neither a deviceCommand nor a deviceResource of profile ${profile.name}`);
    if (!readable(resource.properties.readWrite)) throw new Rejected(`device ${deviceName}: deviceResource ${sourceName} is not readable`);
    return [resource];
  }

  private values(deviceName: string, sourceName: string, resources: DeviceResource[], payload: Buffer): CommandValue[] {
    const parsed = jsonFromDevice(payload);
    const single = resources.length === 1 ? resources[0] : undefined;
    const isObject = parsed !== undefined && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value);
    if (isObject) {
      const obj = parsed.value as Record<string, unknown>;
      // A single Object resource may be sent bare: an object without the resource's key is its value.
      const bare = single && !(single.name in obj) && isObjectType(single.properties.valueType);
      if (!bare) {
        return resources.map((r) => {
          if (!(r.name in obj)) throw new Rejected(`device ${deviceName}/${sourceName}: the payload has no "${r.name}" field`);
          return this.value(r, obj[r.name]);
        });
      }
    }
    if (!single) {
      throw new Rejected(`device ${deviceName}/${sourceName}: expected a JSON object {resourceName: value} for its ${resources.length} resources`);
    }
    // Binary: a JSON string is base64; anything else is the bytes themselves.
    if (single.properties.valueType === 'Binary' && !(parsed !== undefined && typeof parsed.value === 'string'))
      return [this.value(single, new Uint8Array(payload))];
    return [this.value(single, parsed !== undefined ? parsed.value : payload.toString('utf8').trim())];
  }

  private value(resource: DeviceResource, raw: unknown): CommandValue {
    const valueType = resource.properties.valueType;
    return { deviceResourceName: resource.name, valueType, value: valueFromDevice(resource.name, valueType, raw) };
  }
}

function isObjectType(t: string): boolean {
  return t === 'Object' || t === 'ObjectArray';
}

function preview(payload: Buffer): string {
  const text = payload.subarray(0, 200).toString('utf8');
  return payload.length > 200 ? `${text}…` : text;
}
