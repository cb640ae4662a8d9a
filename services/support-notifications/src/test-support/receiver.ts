// A real HTTP server standing in for a webhook receiver: records every request; answers with the status the test
// sets, or never (to test timeouts).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** 200 by default; 'hang' = never answer. */
  answer: number | 'hang';
  /** Requests waiting for an answer (while answer is 'hang'). */
  readonly waiting: number;
  /** Answers every waiting request with `status`. */
  release(status: number): void;
  close(): Promise<void>;
}

export async function startReceiver(answer: number | 'hang' = 200): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  const requests: ReceivedRequest[] = [];
  const receiver = { requests, answer } as Receiver;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (receiver.answer === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(receiver.answer, { 'Content-Type': 'text/plain' }).end(receiver.answer < 300 ? 'got it' : 'receiver broken');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.defineProperty(receiver, 'port', { value: (server.address() as AddressInfo).port });
  Object.defineProperty(receiver, 'waiting', { get: () => hanging.length });
  receiver.release = (status) => {
    for (const res of hanging.splice(0)) res.writeHead(status).end();
  };
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}
