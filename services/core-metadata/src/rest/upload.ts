import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { Worker } from 'node:worker_threads';
import { EdgeXError, errorMessage, stringifyJson, type DeviceProfile } from '@edgex-ts/contracts';
import { sendError, workerEntry } from '@edgex-ts/runtime';
import type { ProfileFileReply } from './profile-file.worker.js';

/**
 * Largest profile file uploadfile accepts (413 above; Service.MaxRequestSize if that is smaller). The YAML
 * parser needs about 60 times a file's size in memory and ~0.6 s per MB: 4 MB (twenty times EdgeX's largest
 * shipped profiles) stays within the parser thread's heap limit below.
 */
export const MAX_PROFILE_FILE_BYTES = 4 * 1024 * 1024;
/** Heap of the thread that parses one profile file; a file needing more is a 413, the service lives on. */
const PARSER_HEAP_MB = 384;

/**
 * Reads the profile file of POST/PUT /deviceprofile/uploadfile: multipart/form-data with the form field
 * `file` (YAML or JSON), as EdgeX expects. A plain JSON body holding the profile object is accepted too.
 * The file is parsed and validated on a worker thread, one file at a time; the profile ends up in
 * `res.locals.profile`.
 */
export function profileFileUpload(maxRequestBytes: number): RequestHandler {
  const maxBytes = Math.min(maxRequestBytes, MAX_PROFILE_FILE_BYTES);
  const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1 } }).single('file');
  const parse = (req: Request, res: Response, next: (err?: unknown) => void, text: string) => {
    if (Buffer.byteLength(text) > maxBytes) {
      sendError(res, tooLarge(maxBytes));
      return;
    }
    parseProfileFileOffThread(text).then(
      (profile) => {
        res.locals.profile = profile;
        next();
      },
      (err: unknown) => sendError(res, err),
    );
  };
  return (req: Request, res: Response, next) => {
    if (!req.is('multipart/form-data')) {
      if (req.body && typeof req.body === 'object' && !Array.isArray(req.body) && Object.keys(req.body).length > 0) {
        parse(req, res, next, stringifyJson(req.body));
        return;
      }
      sendError(res, new EdgeXError('ContractInvalid', 'expected multipart/form-data with the profile in form field "file"'));
      return;
    }
    single(req, res, (err: unknown) => {
      if (err) {
        sendError(res, uploadError(err, maxBytes));
        return;
      }
      if (!req.file) {
        sendError(res, new EdgeXError('ContractInvalid', 'form field "file" is missing: it must hold the profile YAML'));
        return;
      }
      parse(req, res, next, req.file.buffer.toString('utf8'));
    });
  };
}

/** Uploads parsed so far wait here: one parser thread at a time bounds the memory they take together. */
let parsing: Promise<unknown> = Promise.resolve();

/** parseProfileFile (YAML or JSON, validated) on a worker thread with a bounded heap. */
export function parseProfileFileOffThread(text: string): Promise<DeviceProfile> {
  const run = parsing.then(() => parseOnce(text));
  parsing = run.catch(() => undefined);
  return run;
}

function parseOnce(text: string): Promise<DeviceProfile> {
  const [entry, entryOptions] = workerEntry(import.meta.url, 'profile-file.worker');
  const worker = new Worker(entry, {
    ...entryOptions,
    workerData: { text },
    resourceLimits: { maxOldGenerationSizeMb: PARSER_HEAP_MB },
  });
  return new Promise<DeviceProfile>((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: ProfileFileReply) => {
      settled = true;
      if (reply.ok) resolve(reply.profile);
      else reject(new EdgeXError(reply.kind, reply.message));
    });
    worker.once('error', (err: Error & { code?: string }) => {
      settled = true;
      reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new EdgeXError('LimitExceeded', `profile file needs more than ${PARSER_HEAP_MB} MB to parse`, err)
          : new EdgeXError('UnexpectedServerError', `profile file parser failed: ${err.message}`, err),
      );
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new EdgeXError('UnexpectedServerError', `profile file parser stopped (exit code ${code})`));
    });
  });
}

function tooLarge(maxBytes: number): EdgeXError {
  return new EdgeXError('LimitExceeded', `profile file exceeds ${maxBytes} bytes (the profile file limit; docs/configuration.md)`);
}

function uploadError(err: unknown, maxBytes: number): EdgeXError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return tooLarge(maxBytes);
    if (err.code === 'LIMIT_UNEXPECTED_FILE') {
      return new EdgeXError('ContractInvalid', `unexpected form field "${err.field}": the profile goes in form field "file"`, err);
    }
    return new EdgeXError('ContractInvalid', `invalid multipart upload: ${err.message}`, err);
  }
  return new EdgeXError('ContractInvalid', `invalid multipart upload: ${errorMessage(err)}`, err);
}
