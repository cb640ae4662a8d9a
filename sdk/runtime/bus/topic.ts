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
