/** proto ⇄ DTO for support-scheduler's gRPC API. Proto-to-DTO goes through the DTO schemas: the same rules as REST. */
import {
  EdgeXError,
  IntervalActionSchema,
  IntervalSchema,
  parseDto,
  ScheduleJobSchema,
  supportschedulerV1 as pb,
  type Interval,
  type IntervalAction,
  type ScheduleAction,
  type ScheduleActionRecord,
  type ScheduleJob,
} from '@edgex-ts/contracts';

const orUndefined = <T>(v: T): T | undefined => (v === '' || v === 0 || v === 0n || v === false ? undefined : v);
const ms = (v: bigint): number | undefined => orUndefined(Number(v));

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}

function actionFromProto(a: pb.ScheduleAction): Record<string, unknown> {
  return {
    id: orUndefined(a.id),
    type: a.type,
    contentType: orUndefined(a.contentType),
    payload: a.payload.length ? Buffer.from(a.payload).toString('base64') : undefined,
    topic: orUndefined(a.topic),
    address: orUndefined(a.address),
    method: orUndefined(a.method),
    injectEdgeXAuth: orUndefined(a.injectEdgexAuth),
    deviceName: orUndefined(a.deviceName),
    sourceName: orUndefined(a.sourceName),
  };
}

export function jobFromProto(j: pb.ScheduleJob | undefined, root: string): ScheduleJob {
  const job = required(j, root);
  const d = job.definition;
  return parseDto(
    ScheduleJobSchema,
    {
      id: orUndefined(job.id),
      name: job.name,
      definition: d && {
        type: d.type,
        startTimestamp: ms(d.startTimestamp),
        endTimestamp: ms(d.endTimestamp),
        interval: orUndefined(d.interval),
        crontab: orUndefined(d.crontab),
      },
      autoTriggerMissedRecords: job.autoTriggerMissedRecords,
      actions: job.actions.map(actionFromProto),
      adminState: job.adminState,
      labels: job.labels,
      properties: job.properties,
    },
    root,
  );
}

function actionToProto(a: ScheduleAction): pb.ScheduleAction {
  return {
    id: a.id ?? '',
    type: a.type,
    contentType: a.contentType ?? '',
    payload: Buffer.from(a.payload ?? '', 'base64'),
    topic: a.topic ?? '',
    address: a.address ?? '',
    method: a.method ?? '',
    injectEdgexAuth: a.injectEdgeXAuth ?? false,
    deviceName: a.deviceName ?? '',
    sourceName: a.sourceName ?? '',
  };
}

export function jobToProto(j: ScheduleJob): pb.ScheduleJob {
  const d = j.definition;
  return {
    id: j.id ?? '',
    name: j.name,
    definition: {
      type: d.type,
      startTimestamp: BigInt(d.startTimestamp ?? 0),
      endTimestamp: BigInt(d.endTimestamp ?? 0),
      interval: d.interval ?? '',
      crontab: d.crontab ?? '',
    },
    autoTriggerMissedRecords: j.autoTriggerMissedRecords ?? false,
    actions: j.actions.map(actionToProto),
    adminState: j.adminState,
    labels: j.labels ?? [],
    properties: j.properties ?? {},
    created: BigInt(j.created ?? 0),
    modified: BigInt(j.modified ?? 0),
  };
}

export function recordToProto(r: ScheduleActionRecord): pb.ScheduleActionRecord {
  return {
    id: r.id ?? '',
    jobName: r.jobName,
    action: actionToProto(r.action),
    status: r.status,
    scheduledAt: BigInt(r.scheduledAt),
    created: BigInt(r.created),
  };
}

export function intervalFromProto(i: pb.Interval | undefined, root: string): Interval {
  const interval = required(i, root);
  return parseDto(
    IntervalSchema,
    {
      id: orUndefined(interval.id),
      name: interval.name,
      start: orUndefined(interval.start),
      end: orUndefined(interval.end),
      interval: interval.interval,
      autoTriggerMissedRecords: interval.autoTriggerMissedRecords,
    },
    root,
  );
}

export function intervalToProto(i: Interval): pb.Interval {
  return {
    id: i.id ?? '',
    name: i.name,
    start: i.start ?? '',
    end: i.end ?? '',
    interval: i.interval,
    autoTriggerMissedRecords: i.autoTriggerMissedRecords ?? false,
    created: BigInt(i.created ?? 0),
    modified: BigInt(i.modified ?? 0),
  };
}

export function intervalActionFromProto(a: pb.IntervalAction | undefined, root: string): IntervalAction {
  const action = required(a, root);
  const address = action.address;
  return parseDto(
    IntervalActionSchema,
    {
      id: orUndefined(action.id),
      name: action.name,
      intervalName: action.intervalName,
      address: address && {
        type: 'REST',
        host: address.host,
        port: address.port,
        path: orUndefined(address.path),
        httpMethod: address.httpMethod,
        injectEdgeXAuth: orUndefined(address.injectEdgexAuth),
      },
      content: orUndefined(action.content),
      contentType: orUndefined(action.contentType),
      adminState: action.adminState || 'UNLOCKED',
      authMethod: orUndefined(action.authMethod),
    },
    root,
  );
}

export function intervalActionToProto(a: IntervalAction): pb.IntervalAction {
  return {
    id: a.id ?? '',
    name: a.name,
    intervalName: a.intervalName,
    address: {
      host: a.address.host,
      port: a.address.port,
      path: a.address.path ?? '',
      httpMethod: a.address.httpMethod,
      injectEdgexAuth: a.address.injectEdgeXAuth ?? false,
    },
    content: a.content ?? '',
    contentType: a.contentType ?? '',
    adminState: a.adminState,
    authMethod: a.authMethod ?? '',
    created: BigInt(a.created ?? 0),
    modified: BigInt(a.modified ?? 0),
  };
}
