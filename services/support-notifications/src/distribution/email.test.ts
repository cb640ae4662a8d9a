// The EMAIL channel against a real aiosmtpd offering STARTTLS with a self-signed certificate: the message goes
// over TLS when Smtp.EnableSelfSignedCert allows the certificate, and is a FAILED transmission when it does not;
// a username/password AuthMode logs in with the secret's username and password (a server that requires a login
// takes the message; a wrong password is a FAILED transmission), and without the secret fails as EdgeX's does.
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
/** The same, requiring a login: user `edgex`, password `s3cret`. */
let smtpWithLogin: SmtpServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'support-notifications-email-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], {
    stdio: 'ignore',
  });
  smtp = await startSmtpServer({ starttls: { certFile, keyFile } });
  smtpWithLogin = await startSmtpServer({ starttls: { certFile, keyFile }, auth: { user: 'edgex', password: 's3cret' } });
});
after(async () => {
  await smtp?.stop();
  await smtpWithLogin?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sendOne(
  smtpConfig: NonNullable<SupportNotificationsConfigInput['Smtp']>,
  content: string,
  extra: SupportNotificationsConfigInput = {},
  server: SmtpServer = smtp,
): Promise<Transmission> {
  const svc = await startForTest(
    { Type: 'sqlite', Path: ':memory:' },
    { ...extra, Smtp: { Host: server.host, Port: server.port, Sender: 'edgex@example.com', ...smtpConfig } },
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

/** Writable.InsecureSecrets holding the SMTP login under SecretName `smtp`. */
function smtpSecret(password: string): SupportNotificationsConfigInput {
  return { Writable: { InsecureSecrets: { smtp: { SecretName: 'smtp', SecretData: { username: 'edgex', password } } } } };
}

test('AuthMode usernamepassword: logs in with the secret to a server that requires it, and the message is taken', async () => {
  const t = await sendOne(
    { EnableSelfSignedCert: true, AuthMode: 'usernamepassword', SecretName: 'smtp' },
    'with a login',
    smtpSecret('s3cret'),
    smtpWithLogin,
  );
  assert.equal(t.status, 'SENT', t.records[0].response);
  const mail = await waitFor('the e-mail', () => smtpWithLogin.messages().find((m) => m.data.includes('with a login')));
  assert.equal(mail.login, 'edgex', "the session authenticated as the secret's username");
  assert.equal(mail.tls, true);
});

test("AuthMode usernamepassword with a wrong password: FAILED with the server's answer, nothing delivered", async () => {
  const t = await sendOne(
    { EnableSelfSignedCert: true, AuthMode: 'usernamepassword', SecretName: 'smtp' },
    'wrong password',
    smtpSecret('wrong'),
    smtpWithLogin,
  );
  assert.equal(t.status, 'FAILED');
  assert.match(t.records[0].response, /535|auth/i);
  assert.equal(smtpWithLogin.messages().filter((m) => m.data.includes('wrong password')).length, 0);
});

test('AuthMode none against a server that requires a login: FAILED, nothing delivered', async () => {
  const t = await sendOne({ EnableSelfSignedCert: true, AuthMode: 'none' }, 'no login', {}, smtpWithLogin);
  assert.equal(t.status, 'FAILED');
  assert.equal(smtpWithLogin.messages().filter((m) => m.data.includes('no login')).length, 0);
});
