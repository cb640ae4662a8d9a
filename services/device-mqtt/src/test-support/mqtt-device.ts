/**
 * A device on the device broker that behaves like EdgeX's MQTT device simulator (the mock-device script of the
 * device-mqtt docs), written with mqtt.js and independent of the driver's code: it takes commands on
 * `<commandTopic>/<resource>/<get|set>/<id>`, answers `{"<resource>": value}` on `command/response/<id>`
 * (a SET stores the value and echoes the body), and publishes readings on `incoming/data/<device>/<source>`.
 * With `silent` it records commands and never answers.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

export interface ReceivedCommand {
  topic: string;
  resource: string;
  method: string;
  id: string;
  payload: string;
}

export interface SimulatedDevice {
  readonly received: ReceivedCommand[];
  /** What a GET answers, by resource name (a SET changes it). */
  readonly values: Record<string, unknown>;
  /** Connected and subscribed to its command topic (again after a broker restart). */
  readonly ready: boolean;
  /** Publishes on `incoming/data/<deviceName>/<sourceName>`. */
  send(sourceName: string, payload: string | Buffer): Promise<void>;
  /** Publishes anything anywhere on the device broker. */
  publish(topic: string, payload: string | Buffer): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulatedDevice(opts: {
  brokerUrl: string;
  deviceName: string;
  commandTopic: string;
  values?: Record<string, unknown>;
  silent?: boolean;
}): Promise<SimulatedDevice> {
  const received: ReceivedCommand[] = [];
  const values: Record<string, unknown> = { ...(opts.values ?? {}) };
  let subscribed = false;
  const client: MqttClient = mqtt.connect(opts.brokerUrl, {
    clientId: `sim-${opts.deviceName}-${randomUUID()}`,
    clean: true,
    reconnectPeriod: 100,
    resubscribe: false,
  });
  client.on('connect', () => {
    (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    client.subscribe(`${opts.commandTopic}/#`, { qos: 1 }, (err) => {
      subscribed = !err;
    });
  });
  client.on('close', () => (subscribed = false));
  client.on('error', () => undefined); // reconnects on its own
  client.on('message', (topic, message) => {
    const [resource = '', method = '', id = ''] = topic.slice(opts.commandTopic.length + 1).split('/');
    const payload = message.toString('utf8');
    received.push({ topic, resource, method, id, payload });
    if (opts.silent) return;
    let answer: Record<string, unknown>;
    if (method === 'set') {
      const body = JSON.parse(payload) as Record<string, unknown>;
      Object.assign(values, body);
      answer = body;
    } else {
      answer = { [resource]: values[resource] };
    }
    client.publish(`command/response/${id}`, JSON.stringify(answer), { qos: 1 });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return {
    received,
    values,
    get ready() {
      return subscribed && client.connected;
    },
    send: async (sourceName, payload) => {
      await client.publishAsync(`incoming/data/${opts.deviceName}/${sourceName}`, payload, { qos: 1 });
    },
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    stop: () => client.endAsync(true),
  };
}
