/**
 * Parses and validates one uploaded profile file off the event loop (see parseProfileFileOffThread in
 * upload.ts): YAML of a few MB takes the `yaml` parser seconds and hundreds of MB, which on the main thread
 * would stall every other request. Imports only the domain's profile-file reader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { parseProfileFile } from '../domain/profile-file.js';

export type ProfileFileReply = { ok: true; profile: ReturnType<typeof parseProfileFile> } | { ok: false; kind: EdgeXError['kind']; message: string };

const { text } = workerData as { text: string };
let reply: ProfileFileReply;
try {
  reply = { ok: true, profile: parseProfileFile(text) };
} catch (err) {
  reply =
    err instanceof EdgeXError
      ? { ok: false, kind: err.kind, message: err.message }
      : { ok: false, kind: 'ContractInvalid', message: `profile file: ${errorMessage(err)}` };
}
parentPort!.postMessage(reply);
