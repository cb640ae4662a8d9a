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
