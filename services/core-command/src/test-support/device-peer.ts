import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';

/** One command request as the device service received it off the wire. */
export interface ReceivedCommand {
  deviceName: string;
  commandName: string;
  method: string;
  requestID: string;
  correlationID: string;
  queryParams: Record<string, string>;
  /** The decoded payload text (SET: the JSON object of values). */
  payload: string;
}

export interface DevicePeer {
  readonly received: ReceivedCommand[];
  stop(): Promise<void>;
}

/** An EdgeX v3 MessageEnvelope as JSON, written by hand (base64 payload), independent of our encoder. */
export function envelopeJson(fields: {
  requestID: string;
  correlationID?: string;
  errorCode?: number;
  payload?: string;
  contentType?: string;
  queryParams?: Record<string, string>;
}): string {
  return JSON.stringify({
    apiVersion: 'v3',
    receivedTopic: '',
    correlationID: fields.correlationID ?? randomUUID(),
    requestID: fields.requestID,
    errorCode: fields.errorCode ?? 0,
    payload: Buffer.from(fields.payload ?? '', 'utf8').toString('base64'),
    contentType: fields.contentType ?? 'application/json',
    ...(fields.queryParams ? { queryParams: fields.queryParams } : {}),
  });
}

/** Decodes an EdgeX v3 envelope by hand (payload base64). */
export function parseEnvelopeJson(buf: Buffer): {
  requestID: string;
  correlationID: string;
  errorCode: number;
  payload: string;
  contentType: string;
  queryParams: Record<string, string>;
} {
  const o = JSON.parse(buf.toString('utf8'));
  return {
    requestID: o.requestID,
    correlationID: o.correlationID,
    errorCode: o.errorCode,
    payload: Buffer.from(o.payload ?? '', 'base64').toString('utf8'),
    contentType: o.contentType,
    queryParams: o.queryParams ?? {},
  };
}

export const PEER_ORIGIN = 1795432200000000000;

/**
 * The device-service end of EdgeX's command wire protocol, for `serviceName`: takes requests on
 * edgex/device/command/request/<serviceName>/<device>/<command>/<get|set> and answers on
 * edgex/response/<serviceName>/<requestId> — GET an EventResponse (empty with ds-returnevent=false), SET an
 * empty payload (as EdgeX's Go SDK); device validation requests from core-metadata are all accepted. Device `t-broken` fails with errorCode 1 and a text message; `t-gone` with a 404 BaseResponse.
 * A GET of the Binary resource `Image` is answered as EdgeX's Go device SDK answers it: the CBOR
 * EventResponse EdgeX's own code wrote (test/edgex/go-cbor), in its envelope (contentType application/cbor).
 */
export async function startDevicePeer(brokerUrl: string, serviceName: string): Promise<DevicePeer> {
  const client: MqttClient = await mqtt.connectAsync(brokerUrl, { clientId: `peer-${serviceName}-${randomUUID()}`, clean: true });
  const received: ReceivedCommand[] = [];
  const prefix = `edgex/device/command/request/${serviceName}/`;
  const validateTopic = `edgex/${serviceName}/validate/device`;
  client.on('message', (topic, message) => {
    if (topic === validateTopic) {
      // core-metadata asks before it adds or updates a device of this service: every device is fine here.
      const req = parseEnvelopeJson(message);
      const ok = envelopeJson({ requestID: req.requestID, correlationID: req.correlationID, payload: JSON.stringify({ apiVersion: 'v3', statusCode: 200 }) });
      client.publish(`edgex/response/${serviceName}/${req.requestID}`, ok, { qos: 1 });
      return;
    }
    const [deviceName = '', commandName = '', method = ''] = topic.slice(prefix.length).split('/');
    const req = parseEnvelopeJson(message);
    received.push({
      deviceName,
      commandName,
      method,
      requestID: req.requestID,
      correlationID: req.correlationID,
      queryParams: req.queryParams,
      payload: req.payload,
    });
    const reply = (fields: { errorCode?: number; payload?: string; contentType?: string }) =>
      client.publish(
        `edgex/response/${serviceName}/${req.requestID}`,
        envelopeJson({ requestID: req.requestID, correlationID: req.correlationID, ...fields }),
        { qos: 1 },
      );
    if (deviceName === 't-broken') return reply({ errorCode: 1, payload: 'driver exploded', contentType: 'text/plain' });
    if (deviceName === 't-gone') {
      return reply({ errorCode: 1, payload: JSON.stringify({ apiVersion: 'v3', statusCode: 404, message: `device ${deviceName} not known here` }) });
    }
    // EdgeX's Go SDK answers a SET without a payload (NewMessageEnvelopeForResponse(nil, …)).
    if (method === 'set') return reply({ payload: '' });
    if (req.queryParams['ds-returnevent'] === 'false') return reply({ payload: '' });
    if (commandName === 'Image') {
      const goEnvelope = JSON.parse(edgexCbor.eventResponseEnvelope.toString('utf8')) as Record<string, unknown>;
      const answer = JSON.stringify({ ...goEnvelope, requestID: req.requestID, correlationID: req.correlationID });
      return client.publish(`edgex/response/${serviceName}/${req.requestID}`, answer, { qos: 1 });
    }
    const event = {
      apiVersion: 'v3',
      id: randomUUID(),
      deviceName,
      profileName: 'Thermostat',
      sourceName: commandName,
      origin: PEER_ORIGIN,
      readings: [
        {
          id: randomUUID(),
          origin: PEER_ORIGIN,
          deviceName,
          resourceName: 'Temperature',
          profileName: 'Thermostat',
          valueType: 'Float64',
          value: '2.150000e+01',
          units: 'C',
        },
      ],
    };
    return reply({ payload: JSON.stringify({ apiVersion: 'v3', statusCode: 200, event }) });
  });
  await client.subscribeAsync([`${prefix}#`, validateTopic], { qos: 1 });
  return { received, stop: () => client.endAsync() };
}
