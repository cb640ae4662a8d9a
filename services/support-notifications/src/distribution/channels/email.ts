import { insecureSecretNamed, type InsecureSecret } from '@edgex-ts/runtime';
import type { Transporter } from 'nodemailer';
import type { SupportNotificationsConfig } from '../../config.js';
import type { Channel } from './types.js';

export type SmtpConfig = SupportNotificationsConfig['Smtp'];

const CRLF = '\r\n';
/** SMTP's line limit is 1000 octets with CRLF. */
const MAX_LINE = 998;

/**
 * The message EdgeX's e-mail channel writes (edgex-go channel/email.go buildSmtpMessage): Subject (Smtp.Subject),
 * From (the notification's sender), To (the recipients), MIME headers only when the notification has a
 * contentType, a blank line, then the content with lines of at most 998 characters.
 */
export function smtpMessage(sender: string, subject: string, recipients: readonly string[], contentType: string | undefined, content: string): string {
  let out = `Subject: ${subject}${CRLF}From: ${sender}${CRLF}To: ${recipients.join(',')}${CRLF}`;
  if (contentType) out += `MIME-version: 1.0;${CRLF}Content-Type: ${contentType}; charset="UTF-8";${CRLF}`;
  out += CRLF;
  for (const line of content.split(CRLF)) {
    let i = 0;
    while (line.length > i + MAX_LINE) {
      out += line.slice(i, i + MAX_LINE) + CRLF;
      i += MAX_LINE;
    }
    out += line.slice(i) + CRLF;
  }
  return out;
}

/** The SMTP login EdgeX uses: `username` and `password` of the secret SecretName; no password = no login. */
function credentials(smtp: SmtpConfig, secrets: () => Record<string, InsecureSecret>): { user: string; pass: string } | undefined {
  if (smtp.AuthMode === 'none') return undefined;
  const data = insecureSecretNamed(secrets(), smtp.SecretName)?.SecretData ?? {};
  if (!data.username) throw new Error(`username doesn't exist for SMTP auth (secret ${smtp.SecretName})`);
  if (!data.password) return undefined;
  return { user: data.username, pass: data.password };
}

/**
 * The EMAIL channel over nodemailer (loaded on first use). STARTTLS is used whenever the server offers it, as
 * EdgeX does (EnableSelfSignedCert accepts a self-signed certificate); port 465 is implicit TLS.
 */
export function emailChannel(smtp: () => SmtpConfig, secrets: () => Record<string, InsecureSecret>, timeoutMs: () => number): Channel {
  const transporters: Transporter[] = [];
  return {
    async send(n, address) {
      const cfg = smtp();
      const recipients = address.recipients ?? [];
      const { createTransport } = await import('nodemailer');
      const auth = credentials(cfg, secrets);
      // One transport per message: no pooled connection stays open between notifications.
      const transport = createTransport({
        host: cfg.Host,
        port: cfg.Port,
        secure: cfg.Port === 465,
        tls: { rejectUnauthorized: !cfg.EnableSelfSignedCert },
        auth,
        connectionTimeout: timeoutMs(),
        greetingTimeout: timeoutMs(),
        socketTimeout: timeoutMs(),
      });
      transporters.push(transport);
      try {
        const info = await transport.sendMail({
          envelope: { from: cfg.Sender, to: [...recipients] },
          raw: smtpMessage(n.sender, cfg.Subject, recipients, n.contentType, n.content),
        });
        return typeof info.response === 'string' ? info.response : '';
      } finally {
        transport.close();
        transporters.splice(transporters.indexOf(transport), 1);
      }
    },
    async close() {
      for (const t of transporters.splice(0)) t.close();
    },
  };
}
