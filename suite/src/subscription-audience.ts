import { topicMatches } from '@edgex-ts/runtime';

/**
 * The topic filters subscribed on the embedded broker right now, by subscriber, and per topic whether one
 * of them matches. It follows subscribes, unsubscribes and disconnects of clean-session clients (whose
 * subscriptions end with them); a persistent session keeps its filters across disconnects, as the broker
 * keeps queuing for it. Reply topics (one filter per request) come and go without piling up.
 */
export class SubscriptionAudience {
  private readonly subscribersOf = new Map<string, Set<string>>();
  private readonly filtersOf = new Map<string, Set<string>>();
  private readonly answers = new Map<string, boolean>();

  add(subscriber: string, filters: string[]): void {
    for (const filter of filters) {
      const plain = withoutShare(filter);
      let subscribers = this.subscribersOf.get(plain);
      if (!subscribers) {
        subscribers = new Set();
        this.subscribersOf.set(plain, subscribers);
        this.answers.clear();
      }
      subscribers.add(subscriber);
      let mine = this.filtersOf.get(subscriber);
      if (!mine) this.filtersOf.set(subscriber, (mine = new Set()));
      mine.add(plain);
    }
  }

  remove(subscriber: string, filters: string[]): void {
    const mine = this.filtersOf.get(subscriber);
    for (const filter of filters) {
      const plain = withoutShare(filter);
      mine?.delete(plain);
      const subscribers = this.subscribersOf.get(plain);
      if (!subscribers?.delete(subscriber) || subscribers.size > 0) continue;
      this.subscribersOf.delete(plain);
      this.answers.clear();
    }
    if (mine?.size === 0) this.filtersOf.delete(subscriber);
  }

  /** The subscriber is gone with all its subscriptions (a clean session ended). */
  removeAll(subscriber: string): void {
    this.remove(subscriber, [...(this.filtersOf.get(subscriber) ?? [])]);
  }

  /** False only when no current subscription matches `topic`. */
  mayDeliver(topic: string): boolean {
    let answer = this.answers.get(topic);
    if (answer === undefined) {
      answer = false;
      for (const filter of this.subscribersOf.keys()) {
        if (topicMatches(filter, topic)) {
          answer = true;
          break;
        }
      }
      // Topics name devices and sources: bounded in practice, but not by us.
      if (this.answers.size >= 10_000) this.answers.clear();
      this.answers.set(topic, answer);
    }
    return answer;
  }
}

/** A shared subscription ($share/<group>/<filter>) receives what <filter> matches. */
function withoutShare(filter: string): string {
  return filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter;
}
