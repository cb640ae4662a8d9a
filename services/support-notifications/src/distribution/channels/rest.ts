import { restUrlOf } from '@edgex-ts/contracts';
import { clip, type Channel } from './types.js';

const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * The REST channel (edgex-go `utils.SendRequestWithRESTAddress`): the notification's content as the body of a
 * request with the address's method to `<scheme>://<host>:<port><path>`, Content-Type = the notification's
 * contentType. A 2xx answer is success (its body is the record's response); anything else, a refused
 * connection or no answer within the timeout is a failure.
 */
export function restChannel(timeoutMs: () => number): Channel {
  return {
    async send(n, address) {
      const method = address.httpMethod ?? 'POST';
      const headers: Record<string, string> = {};
      if (n.contentType) headers['Content-Type'] = n.contentType;
      const url = restUrlOf(address);
      const res = await fetch(url, {
        method,
        headers,
        body: NO_BODY.has(method) ? undefined : n.content,
        signal: AbortSignal.timeout(timeoutMs()),
      }).catch((err: unknown) => {
        const e = err as { name?: string; cause?: { message?: string } };
        if (e.name === 'TimeoutError') throw new Error(`${method} ${url}: no answer within ${timeoutMs()} ms`, { cause: err });
        throw new Error(`${method} ${url}: ${e.cause?.message ?? String(err)}`, { cause: err });
      });
      const text = await res.text().catch(() => '');
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${url}: status ${res.status}${text ? `: ${clip(text)}` : ''}`);
      return clip(text);
    },
    close: async () => undefined,
  };
}
