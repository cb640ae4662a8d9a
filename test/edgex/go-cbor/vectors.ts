import { readFileSync } from 'node:fs';

/**
 * The vectors EdgeX's own Go code wrote (main.go beside this file, go-mod-core-contracts v4.0.3 and
 * go-mod-messaging v4.0.3): a Binary event as EdgeX's device SDK publishes it and as a device service answers
 * a GET with it, and EdgeX's JSON of the same event.
 */
const read = (name: string) => readFileSync(new URL(`./vectors/${name}`, import.meta.url));

export const edgexCbor = {
  /** AddEventRequest (Binary `Image` reading + Uint64 `Counter` reading), CBOR. */
  addEventRequest: read('add-event-binary.cbor'),
  /** The MQTT message the device SDK publishes with it on edgex/events/device/…: envelope JSON, contentType application/cbor. */
  addEventEnvelope: read('add-event-binary.envelope.json'),
  /** The same envelope as Go's services write it with EDGEX_MSG_CBOR_ENCODE=true: all CBOR, the request a map inside it. */
  addEventCborEnvelope: read('add-event-binary.envelope.cbor'),
  /** The EventResponse of a device service to a GET of the Binary resource, CBOR. */
  eventResponse: read('event-response-binary.cbor'),
  /** The MQTT message carrying it back to core-command. */
  eventResponseEnvelope: read('event-response-binary.envelope.json'),
  /** EdgeX's JSON of the event (as core-data answers it). */
  eventJson: read('event-binary.json').toString('utf8'),
};

export const EDGEX_CBOR_EVENT = {
  id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  serviceName: 'device-simple',
  profileName: 'Simple-Device',
  deviceName: 'Simple-Device01',
  sourceName: 'Image',
};
