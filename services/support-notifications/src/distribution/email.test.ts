// The EMAIL channel against a real aiosmtpd offering STARTTLS with a self-signed certificate: the message goes
// over TLS when Smtp.EnableSelfSignedCert allows the certificate, and is a FAILED transmission when it does not;
// a username/password AuthMode without its secret fails as EdgeX's does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Transmission } from '@edgex-ts/contracts';
import { startSmtpServer, type SmtpServer } from '../../../../test/helpers/smtp.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { apiOf, batch, startForTest, type Api } from '../test-support/service.js';
import type { SupportNotificationsConfigInput } from '../config.js';

let dir: string;
let smtp: SmtpServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'support-notifications-email-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], {
    stdio: 'ignore',
  });
  smtp = await startSmtpServer({ starttls: { certFile, keyFile } });
});
after(async () => {
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sendOne(
  smtpConfig: NonNullable<SupportNotificationsConfigInput['Smtp']>,
  content: string,
  extra: SupportNotificationsConfigInput = {},
): Promise<Transmission> {
  const svc = await startForTest(
    { Type: 'sqlite', Path: ':memory:' },
    { ...extra, Smtp: { Host: smtp.host, Port: smtp.port, Sender: 'edgex@example.com', ...smtpConfig } },
  );
  try {
    const api: Api = apiOf(svc);
    await api.call(
      'POST',
      '/subscription',
      batch('subscription', { name: 'mail', receiver: 'r', categories: ['m'], channels: [{ type: 'EMAIL', recipients: ['ops@example.com'] }] }),
    );
    const res = await api.call<{ id: string }[]>(
      'POST',
      '/notification',
      batch('notification', { category: 'm', content, sender: 'sensor-7', severity: 'MINOR' }),
    );
    const [t] = await waitFor('the transmission', async () => {
      const ts = await api.call<{ transmissions: Transmission[] }>('GET', `/transmission/notification/id/${res.body[0].id}`);
      return ts.body.transmissions.length === 1 && ts.body.transmissions;
    });
    return t;
  } finally {
    await svc.stop();
  }
}

test('STARTTLS with a self-signed certificate allowed by EnableSelfSignedCert: delivered over TLS, with the configured subject', async () => {
  const t = await sendOne({ EnableSelfSignedCert: true, AuthMode: 'none', Subject: 'Plant alert' }, 'over TLS');
  assert.equal(t.status, 'SENT', t.records[0].response);
  const mail = await waitFor('the e-mail', () => smtp.messages().find((m) => m.data.includes('over TLS')));
  assert.equal(mail.tls, true);
  assert.ok(mail.data.startsWith('Subject: Plant alert\r\nFrom: sensor-7\r\nTo: ops@example.com\r\n\r\nover TLS'), mail.data);
});

test('a self-signed certificate without EnableSelfSignedCert: FAILED, nothing delivered', async () => {
  const t = await sendOne({ EnableSelfSignedCert: false, AuthMode: 'none' }, 'refused certificate');
  assert.equal(t.status, 'FAILED');
  assert.match(t.records[0].response, /certificate/i);
  assert.equal(smtp.messages().filter((m) => m.data.includes('refused certificate')).length, 0);
});

test('AuthMode usernamepassword without the secret: FAILED naming the missing username', async () => {
  const t = await sendOne({ EnableSelfSignedCert: true, AuthMode: 'usernamepassword', SecretName: 'smtp' }, 'no secret');
  assert.equal(t.status, 'FAILED');
  assert.match(t.records[0].response, /username doesn't exist for SMTP auth/);
});
