/** Helpers of test/helpers/ that start a real server or an outside program. */
export declare const SERVER_HELPER_NAMES: readonly string[];

export interface TestTier {
  tier: 'unit' | 'integration';
  /** Why, for `run-tests.mjs --list`: the folder, the name, or the import chain that reaches a server. */
  why: string;
}

/** A classifier for the test files of the repository at `root`. */
export declare function testTiers(root: string): (file: string) => TestTier;
