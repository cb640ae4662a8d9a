import { EdgeXError, LogEntrySchema, parseDto, parseJson, stringifyJson, supportloggingV1 as pb, type LogEntry } from '@edgex-ts/contracts';
import { grpcUnary, pageFromProto } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import { checkLogFilter, type LoggingDomain } from '../domain/index.js';

/** google.protobuf.Value holds doubles only: integers beyond 2^53 travel rounded (REST keeps them exact). */
function protoArgs(args: unknown[]): unknown[] {
  return JSON.parse(stringifyJson(args)) as unknown[];
}

function toProto(e: LogEntry): pb.LogEntry {
  return { id: e.id, originService: e.originService, logLevel: e.logLevel, message: e.message, args: protoArgs(e.args), created: BigInt(e.created) };
}

function millis(value: bigint, field: string): number | undefined {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new EdgeXError('ContractInvalid', `${field}: must be between 0 and ${Number.MAX_SAFE_INTEGER}, got ${value}`);
  return value === 0n ? undefined : Number(value);
}

/** edgex.supportlogging.v1.SupportLoggingService over the logging domain (the same rules as REST). */
export function supportLoggingGrpcService(domain: LoggingDomain, maxResultCount: number, log: Logger): pb.SupportLoggingServiceServer {
  const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) => grpcUnary<Req, Res>(fn, log);
  return {
    addLogEntries: unary(async (req: pb.AddLogEntriesRequest) => {
      const entries = req.entries.map((e, i) =>
        parseDto(
          LogEntrySchema,
          {
            id: e.id || undefined,
            originService: e.originService,
            logLevel: e.logLevel,
            message: e.message,
            args: e.args ? (parseJson(JSON.stringify(e.args)) as unknown[]) : [],
            created: millis(e.created, `entries[${i}].created`) ?? 0,
          },
          `entries[${i}]`,
        ),
      );
      const stored = await domain.add(entries);
      return { added: stored.length };
    }),
    queryLogEntries: unary(async (req: pb.QueryLogEntriesRequest) => {
      const filter = checkLogFilter(
        {
          originServices: req.originServices,
          logLevels: req.logLevels,
          keywords: req.keywords,
          start: millis(req.start, 'start'),
          end: millis(req.end, 'end'),
        },
        { logLevels: 'log_levels', start: 'start', end: 'end' },
      );
      const { entries, totalCount } = await domain.query(filter, pageFromProto(req.page, maxResultCount), 'newest-first');
      return { entries: entries.map(toProto), totalCount };
    }),
    deleteLogEntriesByAge: unary(async (req: pb.DeleteLogEntriesByAgeRequest) => {
      if (req.ageMs < 0n || req.ageMs > BigInt(Number.MAX_SAFE_INTEGER))
        throw new EdgeXError('ContractInvalid', `age_ms: must not be negative, got ${req.ageMs}`);
      return { removed: await domain.removeOlderThan(Number(req.ageMs)) };
    }),
  };
}
