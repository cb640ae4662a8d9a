/**
 * support-scheduler's DTOs: EdgeX v3's Interval and IntervalAction (go-mod-core-contracts v3 `dtos/interval.go`,
 * `dtos/intervalaction.go`) and EdgeX v4's ScheduleJob, ScheduleAction and ScheduleActionRecord (v4
 * `dtos/schedulejob.go`, `dtos/scheduleactionrecord.go`), with their requests and the JSON EdgeX writes for them.
 * Rules that need the service (cron syntax, the scheduler's tick) are checked there, not here.
 */
import { z } from 'zod';
import {
  absent,
  adminState,
  baseRequestShape,
  entityName,
  goDuration,
  integerNumber,
  jsonObject,
  labels,
  nonBlank,
  optionalUuid,
  patchShape,
  timestampsShape,
} from './common.js';

/** EdgeX `edgex-dto-rfc3986-unreserved-chars`: interval action names and the interval they name. */
const unreservedName = nonBlank.refine((s) => /^[a-zA-Z0-9\-_~:;=]+$/.test(s), { error: 'may hold only letters, digits and - _ ~ : ; =' });

/** EdgeX `edgex-dto-interval-datetime`: `YYYYMMDDTHHMMSS` (Go layout 20060102T150405), read in local time. */
export const INTERVAL_DATETIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

/** The local time an interval's `start`/`end` names, in ms since the epoch; undefined when it is no such date. */
export function intervalDatetimeMs(text: string): number | undefined {
  const m = INTERVAL_DATETIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  const same = date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && date.getHours() === h && date.getMinutes() === mi;
  return same && date.getSeconds() === s ? date.getTime() : undefined;
}

const intervalDatetime = z
  .string({ error: 'expected a string' })
  .refine((s) => s === '' || intervalDatetimeMs(s) !== undefined, { error: 'expected a date and time as YYYYMMDDTHHMMSS, e.g. 20180101T000000' });

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'CONNECT'] as const;
const httpMethod = z.enum(HTTP_METHODS, { error: `expected one of ${HTTP_METHODS.join(', ')}` });

// ---------- v3 Interval ----------

const intervalShape = {
  id: optionalUuid,
  name: entityName,
  start: absent(intervalDatetime),
  end: absent(intervalDatetime),
  interval: goDuration(),
  /**
   * edgex-ts's addition (EdgeX's Go clients never send it): after a restart, run the interval's actions once for
   * the runs missed while the scheduler was down (true), or only record them as MISSED (false, the default).
   */
  autoTriggerMissedRecords: absent(z.boolean({ error: 'expected true or false' })),
  ...timestampsShape,
};

function endNotBeforeStart(i: { start?: string; end?: string }): boolean {
  if (!i.start || !i.end) return true;
  return (intervalDatetimeMs(i.end) ?? 0) >= (intervalDatetimeMs(i.start) ?? 0);
}

export const IntervalSchema = z.object(intervalShape).refine(endNotBeforeStart, { error: 'must not be before start', path: ['end'] });
export type Interval = z.infer<typeof IntervalSchema>;

export const UpdateIntervalSchema = z.object(patchShape(intervalShape)).refine((i) => (i.id !== undefined && i.id !== '') || i.name !== undefined, {
  error: 'id or name is required',
  path: ['name'],
});
export type UpdateInterval = z.infer<typeof UpdateIntervalSchema>;

export const AddIntervalRequestSchema = z.object({ ...baseRequestShape, interval: IntervalSchema });
export type AddIntervalRequest = z.infer<typeof AddIntervalRequestSchema>;
export const UpdateIntervalRequestSchema = z.object({ ...baseRequestShape, interval: UpdateIntervalSchema });
export type UpdateIntervalRequest = z.infer<typeof UpdateIntervalRequestSchema>;

// ---------- v3 IntervalAction ----------

/** `http://host:port/path` is a URL (a host with a space or a path without its slash is not). */
function restUrlOf(a: { host: string; port: number; path?: string }): string {
  const path = a.path ?? '';
  return `http://${a.host}:${a.port}${path === '' || path.startsWith('/') ? path : `/${path}`}`;
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** EdgeX's Address as an interval action uses it: a REST target (support-scheduler runs no MQTT or EMAIL address). */
export const RestAddressSchema = z
  .object({
    type: z.literal('REST', { error: 'expected REST: support-scheduler calls REST addresses only' }),
    host: nonBlank,
    port: z.number({ error: 'expected a port number' }).int({ error: 'expected an integer' }).min(1).max(65535),
    path: absent(z.string({ error: 'expected a string' })),
    httpMethod,
    injectEdgeXAuth: absent(z.boolean({ error: 'expected true or false' })),
  })
  .refine((a) => isUrl(restUrlOf(a)), { error: 'host, port and path do not make a URL', path: ['host'] });
export type RestAddress = z.infer<typeof RestAddressSchema>;

/** The URL an interval action's address calls. */
export function restAddressUrl(a: RestAddress): string {
  return restUrlOf(a);
}

const AUTH_METHODS = ['', 'NONE', 'JWT'] as const;

const intervalActionShape = {
  id: optionalUuid,
  name: unreservedName,
  intervalName: unreservedName,
  address: RestAddressSchema,
  content: absent(z.string({ error: 'expected a string' })),
  contentType: absent(z.string({ error: 'expected a string' })),
  adminState,
  /** EdgeX v3's AuthMethod (`NONE`/`JWT`); kept and returned, nothing to inject without a secret store. */
  authMethod: absent(z.enum(AUTH_METHODS, { error: 'expected NONE or JWT' })),
  ...timestampsShape,
};

export const IntervalActionSchema = z.object(intervalActionShape);
export type IntervalAction = z.infer<typeof IntervalActionSchema>;

export const UpdateIntervalActionSchema = z
  .object(patchShape(intervalActionShape))
  .refine((a) => (a.id !== undefined && a.id !== '') || a.name !== undefined, { error: 'id or name is required', path: ['name'] });
export type UpdateIntervalAction = z.infer<typeof UpdateIntervalActionSchema>;

export const AddIntervalActionRequestSchema = z.object({ ...baseRequestShape, action: IntervalActionSchema });
export type AddIntervalActionRequest = z.infer<typeof AddIntervalActionRequestSchema>;
export const UpdateIntervalActionRequestSchema = z.object({ ...baseRequestShape, action: UpdateIntervalActionSchema });
export type UpdateIntervalActionRequest = z.infer<typeof UpdateIntervalActionRequestSchema>;

// ---------- v4 ScheduleJob ----------

export const SCHEDULE_DEF_TYPES = ['INTERVAL', 'CRON'] as const;
export const SCHEDULE_ACTION_TYPES = ['EDGEXMESSAGEBUS', 'REST', 'DEVICECONTROL'] as const;
export type ScheduleActionType = (typeof SCHEDULE_ACTION_TYPES)[number];
export const SCHEDULE_ACTION_RECORD_STATUSES = ['SUCCEEDED', 'FAILED', 'MISSED'] as const;
export type ScheduleActionRecordStatus = (typeof SCHEDULE_ACTION_RECORD_STATUSES)[number];

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A ScheduleAction's payload as EdgeX reads it: a string that is valid standard Base64 is those bytes, any other
 * string its own UTF-8 text, an object or array its JSON. Held as Base64 (Go marshals []byte so).
 */
const payload = z.preprocess(
  (v) => {
    if (v === null || v === undefined || v === '') return undefined;
    if (typeof v === 'string') return STRICT_BASE64.test(v) ? v : Buffer.from(v, 'utf8').toString('base64');
    if (typeof v === 'object') return Buffer.from(JSON.stringify(v), 'utf8').toString('base64');
    return v;
  },
  z.optional(z.string({ error: 'expected a string (Base64 or text), a JSON object or an array' })),
);

const scheduleDefShape = {
  type: z.enum(SCHEDULE_DEF_TYPES, { error: 'expected INTERVAL or CRON' }),
  /** ms since the epoch; 0 / absent = none. */
  startTimestamp: absent(integerNumber),
  endTimestamp: absent(integerNumber),
  interval: absent(z.string({ error: 'expected a duration string' })),
  crontab: absent(z.string({ error: 'expected a cron expression' })),
};

export const ScheduleDefSchema = z.object(scheduleDefShape).superRefine((d, ctx) => {
  if (d.type === 'INTERVAL') {
    const checked = goDuration().safeParse(d.interval ?? '');
    if (d.interval === undefined || d.interval === '') ctx.addIssue({ code: 'custom', path: ['interval'], message: 'is required when type is INTERVAL' });
    else if (!checked.success) ctx.addIssue({ code: 'custom', path: ['interval'], message: checked.error.issues[0]?.message ?? 'invalid duration' });
  }
  if (d.type === 'CRON' && (d.crontab ?? '').trim() === '') ctx.addIssue({ code: 'custom', path: ['crontab'], message: 'is required when type is CRON' });
  if (d.endTimestamp && d.endTimestamp < (d.startTimestamp ?? 0)) {
    ctx.addIssue({ code: 'custom', path: ['endTimestamp'], message: 'must be greater than startTimestamp' });
  }
});
export type ScheduleDef = z.infer<typeof ScheduleDefSchema>;

export const ScheduleActionSchema = z
  .object({
    /** edgex-ts assigns each action an id (EdgeX's models do too); sent back, ignored when given. */
    id: optionalUuid,
    type: z.enum(SCHEDULE_ACTION_TYPES, { error: `expected one of ${SCHEDULE_ACTION_TYPES.join(', ')}` }),
    contentType: absent(z.string({ error: 'expected a string' })),
    payload,
    topic: absent(z.string({ error: 'expected a string' })),
    address: absent(z.string({ error: 'expected a URL string' })),
    method: absent(z.string({ error: 'expected an HTTP method' })),
    injectEdgeXAuth: absent(z.boolean({ error: 'expected true or false' })),
    deviceName: absent(z.string({ error: 'expected a string' })),
    sourceName: absent(z.string({ error: 'expected a string' })),
  })
  .superRefine((a, ctx) => {
    const required = (field: 'topic' | 'address' | 'method' | 'deviceName' | 'sourceName') => {
      if ((a[field] ?? '').trim() === '') ctx.addIssue({ code: 'custom', path: [field], message: `is required when type is ${a.type}` });
    };
    if (a.type === 'EDGEXMESSAGEBUS') required('topic');
    if (a.type === 'DEVICECONTROL') {
      required('deviceName');
      required('sourceName');
      if (a.payload !== undefined && !isJsonObject(Buffer.from(a.payload, 'base64').toString('utf8'))) {
        ctx.addIssue({ code: 'custom', path: ['payload'], message: 'expected a JSON object of resource name to value (the values of the SET)' });
      }
    }
    if (a.type === 'REST') {
      required('address');
      required('method');
      if (a.address && !isUrl(a.address)) ctx.addIssue({ code: 'custom', path: ['address'], message: 'must be an http or https URL' });
      if (a.method && !(HTTP_METHODS as readonly string[]).includes(a.method.toUpperCase())) {
        ctx.addIssue({ code: 'custom', path: ['method'], message: `expected one of ${HTTP_METHODS.join(', ')}` });
      }
    }
  });
export type ScheduleAction = z.infer<typeof ScheduleActionSchema>;

const scheduleJobShape = {
  id: optionalUuid,
  name: entityName,
  definition: ScheduleDefSchema,
  autoTriggerMissedRecords: absent(z.boolean({ error: 'expected true or false' })),
  actions: z.array(ScheduleActionSchema, { error: 'expected an array of actions' }).min(1, { error: 'must hold at least one action' }),
  /** EdgeX v4 takes an empty adminState as UNLOCKED. */
  adminState: z.preprocess((v) => (v === null || v === undefined || v === '' ? 'UNLOCKED' : v), adminState),
  labels: absent(labels),
  properties: absent(jsonObject),
  ...timestampsShape,
};

export const ScheduleJobSchema = z.object(scheduleJobShape);
export type ScheduleJob = z.infer<typeof ScheduleJobSchema>;

export const UpdateScheduleJobSchema = z
  // An empty adminState changes nothing (Go's omitempty lets it through).
  .object({ ...patchShape(scheduleJobShape), adminState: z.preprocess((v) => (v === null || v === '' ? undefined : v), z.optional(adminState)) })
  .refine((j) => (j.id !== undefined && j.id !== '') || j.name !== undefined, { error: 'id or name is required', path: ['name'] });
export type UpdateScheduleJob = z.infer<typeof UpdateScheduleJobSchema>;

export const AddScheduleJobRequestSchema = z.object({ ...baseRequestShape, scheduleJob: ScheduleJobSchema });
export type AddScheduleJobRequest = z.infer<typeof AddScheduleJobRequestSchema>;
export const UpdateScheduleJobRequestSchema = z.object({ ...baseRequestShape, scheduleJob: UpdateScheduleJobSchema });
export type UpdateScheduleJobRequest = z.infer<typeof UpdateScheduleJobRequestSchema>;

/** What one run of one action came to. */
export interface ScheduleActionRecord {
  id?: string;
  jobName: string;
  action: ScheduleAction;
  status: ScheduleActionRecordStatus;
  /** ms since the epoch: the time the run was due (a triggered run: when it was triggered). */
  scheduledAt: number;
  /** ms since the epoch: when the record was made. */
  created: number;
}

// ---------- the JSON EdgeX writes ----------

type Json = Record<string, unknown>;

/** A copy without the `omitempty` fields that are empty, as Go's encoder leaves them out. */
function omitEmpty(dto: object, keys: readonly string[]): Json {
  const out: Json = { ...dto };
  for (const key of keys) {
    const v = out[key];
    if (v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) delete out[key];
  }
  return out;
}

export function intervalWire(i: Interval): Json {
  return omitEmpty(i, ['created', 'modified', 'id', 'start', 'end', 'autoTriggerMissedRecords']);
}

/** EdgeX v3's IntervalAction always writes `authMethod` (no omitempty), "" when unset. */
export function intervalActionWire(a: IntervalAction): Json {
  return {
    ...omitEmpty(a, ['created', 'modified', 'id', 'content', 'contentType']),
    authMethod: a.authMethod ?? '',
    address: omitEmpty(a.address, ['path', 'injectEdgeXAuth']),
  };
}

/** An action's id is ours to tell its records apart; EdgeX v4 keeps it out of the DTO, and so out of the JSON. */
export function scheduleActionWire(a: ScheduleAction): Json {
  const { id: _internalId, ...dto } = a;
  return omitEmpty(dto, ['contentType', 'payload', 'topic', 'address', 'method', 'injectEdgeXAuth', 'deviceName', 'sourceName']);
}

export function scheduleJobWire(j: ScheduleJob): Json {
  return {
    ...omitEmpty(j, ['created', 'modified', 'id', 'autoTriggerMissedRecords', 'labels']),
    definition: omitEmpty(j.definition, ['startTimestamp', 'endTimestamp', 'interval', 'crontab']),
    actions: j.actions.map(scheduleActionWire),
    properties: j.properties ?? {},
  };
}

/** EdgeX v4 records an action without its payload (ScheduleAction.WithEmptyPayloadAndId), and answers it so. */
export function scheduleActionRecordWire(r: ScheduleActionRecord): Json {
  return { ...omitEmpty(r, ['id', 'scheduledAt', 'created']), action: scheduleActionWire({ ...r.action, payload: undefined }) };
}
