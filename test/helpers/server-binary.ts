import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where scripts/install-test-servers.sh puts the binaries it builds. */
export function testServerBinDir(): string {
  return join(process.env.EDGEX_TS_CACHE ?? join(homedir(), '.cache', 'edgex-ts'), 'bin');
}

/** The binaries scripts/install-test-servers.sh builds, and the target of the script that builds each. */
const INSTALL_TARGET = {
  consul: 'consul',
  ferretdb: 'ferretdb',
  'device-simple': 'edgex',
  'kube-apiserver': 'kube',
  kubectl: 'kube',
  etcd: 'kube',
} as const;

/**
 * Finds a test-server binary: `$<envVar>`, the install script's cache, then PATH. Throws, naming the
 * install command, when it is nowhere (so a suite that needs it fails loudly instead of passing empty).
 */
export function findServerBinary(name: keyof typeof INSTALL_TARGET, envVar: string): string {
  const candidates = [process.env[envVar], join(testServerBinDir(), name), ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, name))];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new Error(
    `${name} binary not found (looked at $${envVar}, ${join(testServerBinDir(), name)} and PATH). ` +
      `Install it with: bash scripts/install-test-servers.sh ${INSTALL_TARGET[name]}   (npm test does this through scripts/ensure-test-deps.sh)`,
  );
}
