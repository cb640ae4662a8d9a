import { EdgeXError } from '../contracts.js';

/** MQTT topic filter matching: `+` is one level, a trailing `#` is any number of levels (including none). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const part = f[i];
    if (part === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (part !== '+' && part !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Joins topic levels with '/', skipping empty parts. */
export function joinTopic(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** Bytes EdgeX's URLEncode leaves as they are: letters, digits and `$ & : = @` (everything else becomes %XX). */
const KEPT_BY_URL_ENCODE = /^[A-Za-z0-9$&:=@]$/;

/**
 * EdgeX's name escape (go-mod-core-contracts `common.URLEncode`: Go's `url.PathEscape`, then `+ - . _ ~`
 * escaped as well): every UTF-8 byte other than a letter, a digit or `$ & : = @` becomes `%XX` (upper-case hex).
 * EdgeX uses it for names in URL paths and, with `Service.EnableNameFieldEscape`, in bus topics.
 */
export function escapeName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (KEPT_BY_URL_ENCODE.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Characters a name cannot carry into an MQTT topic level unchanged: the level separator `/`, the wildcards
 * `+` and `#`, `%` (receivers unescape levels, as EdgeX's do), and control characters (U+0000 is forbidden in
 * topics; brokers drop connections over the others). A lone surrogate is not UTF-8 and cannot travel either.
 */
const CANNOT_TRAVEL_IN_TOPIC_LEVEL = /[/+#%\u0000-\u001f\u007f-\u009f]/;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `name` must be escaped to be one topic level (the common case, a plain name, costs one scan). */
function cannotTravel(name: string): boolean {
  return CANNOT_TRAVEL_IN_TOPIC_LEVEL.test(name) || (SURROGATE.test(name) && LONE_SURROGATE.test(name));
}

/**
 * A name (service, profile, device, source, command) as one topic level. Names that can travel unchanged do
 * (so topics stay those of an EdgeX deployment with `Service.EnableNameFieldEscape` false, EdgeX's default);
 * any other name is escaped whole with {@link escapeName}, as EdgeX escapes names when the option is on.
 * `escapeAll` (EdgeX's `EnableNameFieldEscape` true) escapes every name. Receivers get the name back with
 * {@link nameOfTopicLevel}.
 */
export function topicLevel(name: string, escapeAll = false): string {
  return escapeAll || cannotTravel(name) ? escapeName(name) : name;
}

/**
 * The name a topic level carries (Go's `url.PathUnescape`, as EdgeX's receivers do); undefined when the level
 * holds a `%` that starts no valid escape or escapes bytes that are not UTF-8.
 */
export function nameOfTopicLevel(level: string): string | undefined {
  if (!level.includes('%')) return level;
  try {
    return decodeURIComponent(level);
  } catch {
    return undefined;
  }
}

/**
 * Characters a broker refuses in a topic name: U+0000 (forbidden by MQTT), the other C0 and C1 control characters
 * (MQTT says they should not appear; Mosquitto closes the connection of a client that sends them), and the
 * wildcards, which only subscriptions may use.
 */
const REFUSED_IN_TOPIC = /[\u0000-\u001f\u007f-\u009f+#]/;
/** MQTT's length limit for a topic, in UTF-8 bytes. */
const MAX_TOPIC_BYTES = 65_535;

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
/** The topic with every refused control character written as \uXXXX, for messages and logs. */
const printable = (topic: string) => topic.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${hex(c).slice(2)}`);

/**
 * Throws ContractInvalid for a topic name no broker would take. A publish with such a topic must not reach the
 * socket: the broker drops the connection as malformed, and the client would send the same packet again on
 * every reconnect, cutting the service off the bus for good.
 */
export function checkPublishTopic(topic: string): void {
  const bad = REFUSED_IN_TOPIC.exec(topic);
  if (bad) {
    const what = bad[0] === '+' || bad[0] === '#' ? `the wildcard ${bad[0]}` : `the control character ${hex(bad[0])}`;
    throw new EdgeXError('ContractInvalid', `message bus: cannot publish to "${printable(topic)}": a topic name must not contain ${what}`);
  }
  if (topic === '') throw new EdgeXError('ContractInvalid', 'message bus: cannot publish to an empty topic');
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES)
    throw new EdgeXError('ContractInvalid', `message bus: cannot publish to a topic of more than ${MAX_TOPIC_BYTES} bytes`);
}
