import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '@edgex-ts/contracts';
import { acceptsConnections, freePort } from './ports.js';
import { waitFor } from './wait.js';

/** One message as the SMTP server received it. */
export interface ReceivedMail {
  /** MAIL FROM. */
  mailFrom: string;
  /** RCPT TO, in order. */
  rcptTos: string[];
  /** The message as sent after DATA (headers, blank line, body), CRLF line ends. */
  data: string;
  /** Whether the session was under TLS (STARTTLS) when the message came. */
  tls: boolean;
  /** The login the session authenticated with (servers started with `auth`), else null. */
  login: string | null;
}

export interface SmtpServer {
  readonly host: string;
  readonly port: number;
  /** Every message received so far. */
  messages(): ReceivedMail[];
  /** Everything the server printed besides the messages (for assertion messages). */
  output(): string;
  stop(): Promise<void>;
}

// The handler: each message as one JSON line on stdout.
const HANDLER = `
import json, sys

class Recorder:
    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, bytes):
            data = data.decode('utf-8', 'replace')
        tls = getattr(session, 'ssl', None) is not None
        login = session.auth_data.login.decode() if session.authenticated and hasattr(session.auth_data, 'login') else None
        line = json.dumps({'mailFrom': envelope.mail_from, 'rcptTos': list(envelope.rcpt_tos), 'data': data, 'tls': tls, 'login': login})
        sys.stdout.write('MAIL ' + line + '\\n')
        sys.stdout.flush()
        return '250 Message accepted for delivery'
`;

// A server that requires a login (AUTH PLAIN/LOGIN, over STARTTLS only, as aiosmtpd insists): aiosmtpd's
// Controller, since its command line has no authentication options. Arguments: port, cert, key, user, password.
const AUTH_SERVER = `
import asyncio, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from edgex_ts_smtp_recorder import Recorder

port, cert, key, user, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].encode(), sys.argv[5].encode()

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

async def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    factory = lambda: SMTP(Recorder(), tls_context=context, require_starttls=True, authenticator=authenticator, auth_required=True)
    server = await asyncio.get_running_loop().create_server(factory, '127.0.0.1', int(port))
    async with server:
        await server.serve_forever()

asyncio.run(main())
`;

export interface SmtpServerOptions {
  /** Offer STARTTLS with this certificate (PEM files). */
  starttls?: { certFile: string; keyFile: string };
  /** Require a login with this user and password (with `starttls` only: logins travel under TLS). */
  auth?: { user: string; password: string };
}

/**
 * Starts a real SMTP server (Debian's python3-aiosmtpd: `/usr/bin/python3 -m aiosmtpd`) on a free loopback port,
 * with a handler that records every message, STARTTLS when given a certificate, and a required login when given
 * `auth`. Fails with the install command when aiosmtpd is missing.
 */
export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'edgex-ts-smtp-'));
  writeFileSync(join(dir, 'edgex_ts_smtp_recorder.py'), HANDLER);
  let args = ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'edgex_ts_smtp_recorder.Recorder'];
  if (opts.starttls) args.push('--tlscert', opts.starttls.certFile, '--tlskey', opts.starttls.keyFile);
  if (opts.auth) {
    if (!opts.starttls) throw new Error('startSmtpServer: auth needs starttls (aiosmtpd takes logins over TLS only)');
    writeFileSync(join(dir, 'edgex_ts_smtp_auth_server.py'), AUTH_SERVER);
    args = [join(dir, 'edgex_ts_smtp_auth_server.py'), String(port), opts.starttls.certFile, opts.starttls.keyFile, opts.auth.user, opts.auth.password];
  }
  const child: ChildProcess = spawn('/usr/bin/python3', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPATH: dir, PYTHONUNBUFFERED: '1' },
  });
  const received: ReceivedMail[] = [];
  let out = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('MAIL ')) received.push(JSON.parse(line.slice(5)) as ReceivedMail);
      else out += `${line}\n`;
    }
  });
  child.stderr!.on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `aiosmtpd on 127.0.0.1:${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`aiosmtpd exited with ${child.exitCode}: ${out}`);
        return acceptsConnections(port);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  } catch (err) {
    await halt();
    throw new Error(`${errorMessage(err)}\n(is python3-aiosmtpd installed? apt-get install -y python3-aiosmtpd)\n/usr/bin/python3 ${args.join(' ')}\n${out}`);
  }
  return {
    host: '127.0.0.1',
    port,
    messages: () => [...received],
    output: () => out,
    stop: halt,
  };
}
