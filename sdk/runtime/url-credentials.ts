/** `scheme://user:password@host…` — the password part of a connection string. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)([^@/?#]*)(@)/i;

/** True when `text` is a URL carrying a password (such values are not shown or copied to Consul KV). */
export function hasUrlPassword(text: string): boolean {
  const m = URL_PASSWORD.exec(text);
  return m !== null && m[2] !== '';
}

/** The URL with its password replaced by `*****` (for logs, messages and GET /config); other text unchanged. */
export function redactUrlPassword(text: string): string {
  return hasUrlPassword(text) ? text.replace(URL_PASSWORD, '$1*****$3') : text;
}
