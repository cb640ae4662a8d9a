/** One Writable key that changed at run time. */
export interface WritableChange {
  /** `Writable.LogLevel` */
  key: string;
  path: string[];
  oldValue: unknown;
  newValue: unknown;
}

export type WritableListener = (changes: WritableChange[]) => void | Promise<void>;

/**
 * A configuration provider that watches the Writable keys at run time (Consul KV, from @edgex-ts/consul) and
 * can store insecure secrets among them.
 */
export interface ConfigWatcher {
  start(): void;
  stop(): void;
  storeInsecureSecret(name: string, data: Record<string, string>): Promise<void>;
}
