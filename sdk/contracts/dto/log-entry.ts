import { z } from 'zod';
import { absent, absentOr, entityName, integerNumber } from './common.js';

/** EdgeX's log levels, least severe first (go-mod-core-contracts models/log_entry.go). */
export const LOG_ENTRY_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogEntryLevel = (typeof LOG_ENTRY_LEVELS)[number];

export const LogEntryLevelSchema = z.enum(LOG_ENTRY_LEVELS, { error: `expected one of ${LOG_ENTRY_LEVELS.join(', ')}` });

/** Milliseconds since the epoch, not negative. */
const epochMs = integerNumber.refine((n) => n >= 0, { error: 'must not be negative' });

/**
 * One log line as support-logging stores it: EdgeX 1.x's LogEntry (`logLevel`, `args`, `originService`, `message`,
 * `created` in ms) with the `id` support-logging gives it. A Go client's `null` args are an empty list; `created`
 * 0 or absent means "when received".
 */
export const LogEntrySchema = z.object({
  /** Given by the sender (the log shipper, so that a resent batch is not stored twice) or else by support-logging. */
  id: absent(z.string({ error: 'expected a string' }).max(128, { error: 'must be at most 128 characters' })),
  originService: entityName,
  logLevel: LogEntryLevelSchema,
  message: absentOr(z.string({ error: 'expected a string' }), ''),
  args: absentOr(z.array(z.unknown(), { error: 'expected an array' }), []),
  created: absentOr(epochMs, 0),
});

export type LogEntryInput = z.input<typeof LogEntrySchema>;

export interface LogEntry {
  id: string;
  originService: string;
  logLevel: LogEntryLevel;
  message: string;
  args: unknown[];
  /** Milliseconds since the epoch. */
  created: number;
}

/** One item of the v3-style batch `POST /api/v3/log`: `{apiVersion, requestId?, logEntry}`. */
export const AddLogEntryRequestSchema = z.object({
  apiVersion: absent(z.string()),
  requestId: absent(z.string()),
  logEntry: LogEntrySchema,
});

export type AddLogEntryRequest = z.input<typeof AddLogEntryRequestSchema>;

/** The v3-style answer of a query: `{apiVersion, statusCode, totalCount, logEntries}`. */
export interface MultiLogEntriesResponse {
  apiVersion: string;
  statusCode: number;
  totalCount: number;
  logEntries: LogEntry[];
}

/**
 * A LogEntry as EdgeX 1.x writes it on `GET /api/v1/logs`: no id, and empty fields left out (Go's omitempty on
 * logLevel, args, originService, message and created).
 */
export function logEntryV1Wire(e: LogEntry): Record<string, unknown> {
  return {
    ...(e.logLevel ? { logLevel: e.logLevel } : {}),
    ...(e.args.length > 0 ? { args: e.args } : {}),
    ...(e.originService ? { originService: e.originService } : {}),
    ...(e.message ? { message: e.message } : {}),
    ...(e.created ? { created: e.created } : {}),
  };
}
