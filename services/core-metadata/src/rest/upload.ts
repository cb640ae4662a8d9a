import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { EdgeXError } from '@edgex-ts/sdk/contracts';
import { sendError } from '@edgex-ts/sdk/runtime';

/**
 * Reads the profile file of POST/PUT /deviceprofile/uploadfile: multipart/form-data with the form field
 * `file` (YAML or JSON), as EdgeX expects. A plain JSON body holding the profile object is accepted too.
 * The text ends up in `res.locals.profileText`.
 */
export function profileFileUpload(maxBytes: number): RequestHandler {
  const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1 } }).single('file');
  return (req: Request, res: Response, next) => {
    if (!req.is('multipart/form-data')) {
      if (req.body && typeof req.body === 'object' && !Array.isArray(req.body) && Object.keys(req.body).length > 0) {
        res.locals.profileText = JSON.stringify(req.body);
        next();
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
      res.locals.profileText = req.file.buffer.toString('utf8');
      next();
    });
  };
}

function uploadError(err: unknown, maxBytes: number): EdgeXError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new EdgeXError('LimitExceeded', `profile file exceeds ${maxBytes} bytes (Service.MaxRequestSize)`, err);
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE') {
      return new EdgeXError('ContractInvalid', `unexpected form field "${err.field}": the profile goes in form field "file"`, err);
    }
    return new EdgeXError('ContractInvalid', `invalid multipart upload: ${err.message}`, err);
  }
  return new EdgeXError('ContractInvalid', `invalid multipart upload: ${(err as Error).message}`, err);
}
