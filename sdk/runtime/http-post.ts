import http from 'node:http';
import { EdgeXError } from '@edgex-ts/contracts';

export interface PostAnswer {
  status: number;
  text: string;
}

/** Connections kept open between posts (a shipper posts every second or so). */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * POSTs a JSON body and reads the answer as text, within `timeoutMs` in all. Node's http module rather than fetch:
 * fetch loads undici, ~12 MB of RSS in a process that otherwise has no use for it (the all-in-one). An https URL
 * loads node:https on first use. Rejects with a ServiceUnavailable EdgeXError when no answer came.
 */
export async function postJson(url: string, body: string, timeoutMs: number): Promise<PostAnswer> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        agent: target.protocol === 'https:' ? undefined : keepAlive,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new EdgeXError('ServiceUnavailable', `POST ${url}: ${err.message}`, err)));
      },
    );
    req.on('error', (err) => reject(new EdgeXError('ServiceUnavailable', `POST ${url}: ${err.message}`, err)));
    req.end(body);
  });
}
