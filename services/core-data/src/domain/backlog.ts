/** Work accepted but not finished (events waiting for a commit, re-publishes waiting for a PUBACK). */
export interface Backlog {
  readonly depth: number;
  /** Resolves once depth < n (immediately when that is already so). */
  whenBelow(n: number): Promise<void>;
}

/** The larger of several backlogs: a stream pauses while any of them is long. */
export function largestOf(...backlogs: Backlog[]): Backlog {
  return {
    get depth() {
      return Math.max(0, ...backlogs.map((b) => b.depth));
    },
    async whenBelow(n: number) {
      // Waiting on one may let another grow: check them all again until all are below at once.
      while (backlogs.some((b) => b.depth >= n)) await Promise.all(backlogs.map((b) => b.whenBelow(n)));
    },
  };
}
