import { Metadata } from '@grpc/grpc-js';
import type { ClientWritableStream } from '@grpc/grpc-js';
import { CoreDataServiceClient, EdgeXError, eventFromProto, eventToProto, readingFromProto } from '@edgex-ts/contracts';
import type { Event, Reading, coredataV1 } from '@edgex-ts/contracts';
import { fromGrpcError, GrpcClient, toPage, type GrpcClientOptions, type PageOptions } from './grpc-call.js';

/** Nanoseconds since the epoch; bigint keeps full precision. */
export type Nanos = number | bigint;

export interface TimeRangeOptions {
  /** Origin lower bound in ns, included. */
  start?: Nanos;
  /** Origin upper bound in ns, included; omitted = no upper bound. */
  end?: Nanos;
}
export interface ListEventsOptions extends PageOptions, TimeRangeOptions {
  deviceName?: string;
}
export interface ListReadingsOptions extends ListEventsOptions {
  resourceNames?: string[];
}
export interface StreamSummary {
  acceptedEvents: number;
  acceptedReadings: number;
}

/** A client stream of events to core-data. */
export interface EventStream {
  /** Sends one event; resolves when the transport can take more (backpressure). Rejects once the call failed. */
  write(event: Event, serviceName?: string): Promise<void>;
  /** Closes the stream and resolves with what core-data accepted. */
  end(): Promise<StreamSummary>;
}

function timeRange(o: TimeRangeOptions): coredataV1.TimeRange | undefined {
  if (o.start === undefined && o.end === undefined) return undefined;
  return { start: BigInt(o.start ?? 0), end: BigInt(o.end ?? 0) };
}

/** Typed, promise-based client of core-data's gRPC API, speaking EdgeX DTOs. */
export class CoreDataClient extends GrpcClient<CoreDataServiceClient> {
  constructor(address: string, options?: GrpcClientOptions) {
    super(CoreDataServiceClient, address, options);
  }

  /** Stores one event; resolves with its id. */
  async addEvent(event: Event, serviceName = ''): Promise<string> {
    return (await this.unary(this.raw.addEvent, { event: eventToProto(event), serviceName })).id;
  }

  streamEvents(): EventStream {
    let call!: ClientWritableStream<coredataV1.StreamEventsRequest>;
    const summary = new Promise<coredataV1.StreamEventsResponse>((resolve, reject) => {
      call = this.raw.streamEvents(new Metadata(), {}, (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
    });
    summary.catch(() => undefined); // surfaced through write()/end(), never as an unhandled rejection
    let settled = false;
    summary.then(
      () => (settled = true),
      () => (settled = true),
    );
    const closedEarly = () =>
      summary.then(() => {
        throw new EdgeXError('Communication', 'core-data closed the event stream');
      });

    return {
      write: async (event, serviceName = '') => {
        if (settled) await closedEarly();
        if (call.write({ event: eventToProto(event), serviceName })) return;
        let onDrain!: () => void;
        const drained = new Promise<void>((resolve) => {
          onDrain = resolve;
          call.once('drain', onDrain);
        });
        try {
          await Promise.race([drained, closedEarly()]);
        } finally {
          call.off('drain', onDrain);
        }
      },
      end: async () => {
        call.end();
        const res = await summary;
        return { acceptedEvents: Number(res.acceptedEvents), acceptedReadings: Number(res.acceptedReadings) };
      },
    };
  }

  async getEvent(id: string): Promise<Event> {
    const res = await this.unary(this.raw.getEvent, { id });
    if (!res.event) throw new EdgeXError('UnexpectedServerError', 'core-data answered without event');
    return eventFromProto(res.event);
  }

  async listEvents(opts: ListEventsOptions = {}): Promise<{ events: Event[]; totalCount: number }> {
    const res = await this.unary(this.raw.listEvents, {
      deviceName: opts.deviceName ?? '',
      range: timeRange(opts),
      page: toPage(opts),
    });
    return { events: res.events.map(eventFromProto), totalCount: res.totalCount };
  }

  async countEvents(deviceName = ''): Promise<number> {
    return (await this.unary(this.raw.countEvents, { deviceName })).count;
  }

  async deleteEvent(id: string): Promise<void> {
    await this.unary(this.raw.deleteEvent, { id });
  }

  /** Deletes a device's events (and their readings); resolves with how many events went. */
  async deleteEventsByDevice(deviceName: string): Promise<number> {
    return (await this.unary(this.raw.deleteEventsByDevice, { deviceName })).deletedEvents;
  }

  /** Deletes events whose origin is older than now − ageNs. */
  async deleteEventsByAge(ageNs: Nanos): Promise<number> {
    return (await this.unary(this.raw.deleteEventsByAge, { age: BigInt(ageNs) })).deletedEvents;
  }

  async listReadings(opts: ListReadingsOptions = {}): Promise<{ readings: Reading[]; totalCount: number }> {
    const res = await this.unary(this.raw.listReadings, {
      deviceName: opts.deviceName ?? '',
      resourceNames: opts.resourceNames ?? [],
      range: timeRange(opts),
      page: toPage(opts),
    });
    return { readings: res.readings.map(readingFromProto), totalCount: res.totalCount };
  }

  async countReadings(deviceName = ''): Promise<number> {
    return (await this.unary(this.raw.countReadings, { deviceName })).count;
  }
}
