import * as grpc from '@grpc/grpc-js';
import { EdgeXError, coredataV1, errorMessage, exactInteger, eventToProto, readingToProto, type Event } from '@edgex-ts/contracts';
import { grpcUnary, pageFromProto, toGrpcError } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { Backlog, DataDomain, TimeRange } from '../domain/index.js';
import { eventFromProtoFast } from './event-from-proto.js';

export interface GrpcBackpressure {
  /** Pause a stream once the backlog (events waiting for a commit or a re-publish) reaches this… */
  highWater: number;
  /** …and resume it when fewer than this many do. */
  lowWater: number;
}

/** CoreDataService: proto ⇄ DTO mapping around the domain; EdgeXError → gRPC status via the runtime. */
export function coreDataGrpcService(
  domain: DataDomain,
  backlog: Backlog,
  log: Logger,
  maxResultCount: number,
  bp: GrpcBackpressure = { highWater: 400, lowWater: 300 },
): coredataV1.CoreDataServiceServer {
  const toEvent = (pb: coredataV1.AddEventRequest['event'], root: string): Event => {
    if (!pb) throw new EdgeXError('ContractInvalid', `${root}: is required`);
    return domain.parseEvent(eventFromProtoFast(pb), root);
  };
  return {
    addEvent: grpcUnary(async (req: coredataV1.AddEventRequest) => {
      const event = toEvent(req.event, 'event');
      const sizeBytes = coredataV1.AddEventRequest.encode(req).finish().length;
      const id = await domain.addEvent(event, { transport: 'grpc', sizeBytes, serviceName: req.serviceName });
      return { id };
    }, log),

    streamEvents: (call, callback) => streamEvents(domain, backlog, bp, toEvent, call, callback),

    getEvent: grpcUnary(async (req: coredataV1.GetEventRequest) => ({ event: eventToProto(await domain.getEvent(req.id)) }), log),

    listEvents: grpcUnary(async (req: coredataV1.ListEventsRequest) => {
      const { totalCount, events } = await domain.listEvents({ ...nameFilter(req.deviceName), ...rangeOf(req.range) }, pageFromProto(req.page, maxResultCount));
      return { totalCount, events: events.map(eventToProto) };
    }, log),

    countEvents: grpcUnary(
      async (req: coredataV1.CountEventsRequest) => ({
        count: await domain.countEvents(nameFilter(req.deviceName)),
      }),
      log,
    ),

    deleteEvent: grpcUnary(async (req: coredataV1.DeleteEventRequest) => {
      await domain.deleteEvent(req.id);
      return {};
    }, log),

    deleteEventsByDevice: grpcUnary(
      async (req: coredataV1.DeleteEventsByDeviceRequest) => ({
        deletedEvents: await domain.deleteEventsByDevice(req.deviceName),
      }),
      log,
    ),

    deleteEventsByAge: grpcUnary(
      async (req: coredataV1.DeleteEventsByAgeRequest) => ({
        deletedEvents: await domain.deleteEventsByAge(req.age),
      }),
      log,
    ),

    listReadings: grpcUnary(async (req: coredataV1.ListReadingsRequest) => {
      const { totalCount, readings } = await domain.listReadings(
        { ...nameFilter(req.deviceName), ...rangeOf(req.range), ...(req.resourceNames.length ? { resourceNames: req.resourceNames } : {}) },
        pageFromProto(req.page, maxResultCount),
      );
      return { totalCount, readings: readings.map(readingToProto) };
    }, log),

    countReadings: grpcUnary(
      async (req: coredataV1.CountReadingsRequest) => ({
        count: await domain.countReadings(nameFilter(req.deviceName)),
      }),
      log,
    ),
  };
}

/**
 * Client stream: every event is validated and queued for group commit; the stream is paused while the
 * backlog is long. The summary is sent only after every accepted event has committed. An invalid
 * event ends the call with its error (after the earlier events have committed); a duplicate id is
 * skipped (a client retrying a broken stream), not counted.
 */
function streamEvents(
  domain: DataDomain,
  backlog: Backlog,
  bp: GrpcBackpressure,
  toEvent: (pb: coredataV1.StreamEventsRequest['event'], root: string) => Event,
  call: grpc.ServerReadableStream<coredataV1.StreamEventsRequest, coredataV1.StreamEventsResponse>,
  callback: grpc.sendUnaryData<coredataV1.StreamEventsResponse>,
): void {
  let index = 0;
  let outstanding = 0;
  let acceptedEvents = 0;
  let acceptedReadings = 0;
  let ended = false;
  let failure: unknown;
  let done = false;
  let paused = false;

  const finish = () => {
    if (done || outstanding > 0) return;
    if (failure !== undefined) {
      done = true;
      callback(toGrpcError(failure));
    } else if (ended) {
      done = true;
      callback(null, { acceptedEvents: BigInt(acceptedEvents), acceptedReadings: BigInt(acceptedReadings) });
    }
  };
  const fail = (err: unknown, i: number) => {
    if (failure !== undefined) return;
    const msg = errorMessage(err);
    failure = err instanceof EdgeXError ? new EdgeXError(err.kind, `stream message ${i}: ${msg} (${acceptedEvents} earlier events stored)`) : err;
    finish();
  };

  call.on('data', (req: coredataV1.StreamEventsRequest) => {
    const i = index++;
    if (failure !== undefined) return;
    let event: Event;
    try {
      event = toEvent(req.event, 'event');
    } catch (err) {
      fail(err, i);
      return;
    }
    outstanding++;
    const readings = event.readings.length; // the callbacks keep the count, not the event
    domain.addEvent(event, { transport: 'grpc', serviceName: req.serviceName }).then(
      () => {
        acceptedEvents++;
        acceptedReadings += readings;
        outstanding--;
        finish();
      },
      (err: unknown) => {
        outstanding--;
        if (err instanceof EdgeXError && err.kind === 'DuplicateName') finish();
        else fail(err, i);
      },
    );
    if (!paused && backlog.depth >= bp.highWater) {
      paused = true;
      call.pause();
      void backlog.whenBelow(bp.lowWater).then(() => {
        paused = false;
        if (!call.destroyed) call.resume();
      });
    }
  });
  call.on('end', () => {
    ended = true;
    finish();
  });
  call.on('error', (err) => {
    if (failure === undefined) failure = err;
    done = true; // the call is gone; nothing to answer
  });
}

function nameFilter(deviceName: string): { deviceName?: string } {
  return deviceName ? { deviceName } : {};
}

function rangeOf(r: coredataV1.TimeRange | undefined): TimeRange {
  if (!r) return {};
  const out: TimeRange = {};
  if (r.start !== 0n) out.start = exactInteger(r.start);
  if (r.end !== 0n) out.end = exactInteger(r.end);
  return out;
}
