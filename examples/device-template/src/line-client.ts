/**
 * The toy "line" protocol of the template's devices: a device listens on TCP, reads one request line and
 * answers one line. `GET <resource>` → `<value>`; `SET <resource> <value>` → `OK`; failures → `ERR <reason>`.
 * One connection per request keeps the example short; a real driver would keep connections open.
 */
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

/** Sends `line` to host:port and resolves with the answer line; rejects on `ERR`, a closed socket or a timeout. */
export function exchange(host: string, port: number, line: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const lines = createInterface({ input: socket });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`${host}:${port}: no answer within ${timeoutMs} ms`)));
    // readline re-emits socket errors on the interface: handled there (an unhandled one would crash the process).
    lines.on('error', (err) => fail(new Error(`${host}:${port}: ${err.message}`)));
    socket.once('close', (hadError) => {
      if (!hadError) fail(new Error(`${host}:${port}: connection closed without an answer`));
    });
    lines.once('line', (answer) => {
      socket.end();
      if (answer.startsWith('ERR')) fail(new Error(`${host}:${port}: ${answer.slice(3).trim() || 'device error'}`));
      else resolve(answer);
    });
    socket.write(`${line}\n`);
  });
}
