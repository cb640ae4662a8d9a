/**
 * Makes a new device-service project from the template: its driver, entry points and tests (`src/`), its
 * profiles and devices (`res/`), and a package.json, tsconfig.json and README of its own — nothing that points
 * back into the edgex-ts repository.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectReadme } from './project-readme.js';

/** Versions of the tools the new project builds and tests with. */
const TOOL_VERSIONS = { typescript: '^5.9.3', '@types/node': '^20.19.43' };

/** npm's rule for package names (lower case, URL-safe; optionally scoped). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** The line of the template's src/index.ts that names the service. */
const SERVICE_NAME_LINE = "export const SERVICE_NAME = 'device-template';";

export interface CreateOptions {
  /** Package name of the new project (e.g. `my-service` or `@acme/device-foo`); its unscoped part names the service. */
  name: string;
  /** Folder to create (default: the unscoped name, in the current folder). It must not exist or be empty. */
  directory?: string;
  /** The template: a folder holding `src/` and `res/`. */
  templateDir: string;
  /** Version of the @edgex-ts packages the project depends on (`^<version>`). */
  sdkVersion: string;
}

export interface CreatedProject {
  directory: string;
  packageName: string;
  serviceName: string;
}

function projectPackageJson(packageName: string, sdkVersion: string): object {
  const sdk = `^${sdkVersion}`;
  return {
    name: packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    bin: { [packageName.replace(/^@[^/]+\//, '')]: './dist/main.js' },
    scripts: {
      build: 'tsc',
      start: 'node dist/main.js',
      test: 'tsc && node --test dist/driver.test.js dist/all-in-one.e2e.js',
      'test:driver': 'tsc && node --test dist/driver.test.js',
    },
    engines: { node: '>=20' },
    dependencies: { '@edgex-ts/contracts': sdk, '@edgex-ts/device-sdk': sdk },
    devDependencies: { '@edgex-ts/testing': sdk, ...TOOL_VERSIONS },
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    sourceMap: true,
    rootDir: 'src',
    outDir: 'dist',
    types: ['node'],
  },
  include: ['src/**/*.ts'],
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Creates the project; throws (TypeError) naming the problem when the name or the folder does not fit. */
export function createDeviceService(opts: CreateOptions): CreatedProject {
  if (!PACKAGE_NAME.test(opts.name)) {
    throw new TypeError(`name ${JSON.stringify(opts.name)}: expected an npm package name (lower case letters, digits, - . _ ~; optionally @scope/)`);
  }
  const serviceName = opts.name.replace(/^@[^/]+\//, '');
  const directory = resolve(opts.directory ?? serviceName);
  if (existsSync(directory) && readdirSync(directory).length > 0) throw new TypeError(`${directory} exists and is not empty`);
  const indexFile = join(opts.templateDir, 'src', 'index.ts');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : '';
  if (!index.includes(SERVICE_NAME_LINE)) throw new Error(`template ${opts.templateDir}: src/index.ts with ${SERVICE_NAME_LINE} not found`);

  for (const dir of ['src', 'res']) cpSync(join(opts.templateDir, dir), join(directory, dir), { recursive: true });
  writeFileSync(join(directory, 'src', 'index.ts'), index.replace(SERVICE_NAME_LINE, `export const SERVICE_NAME = ${JSON.stringify(serviceName)};`));
  writeFileSync(join(directory, 'package.json'), json(projectPackageJson(opts.name, opts.sdkVersion)));
  writeFileSync(join(directory, 'tsconfig.json'), json(TSCONFIG));
  writeFileSync(join(directory, '.gitignore'), 'node_modules/\ndist/\n');
  writeFileSync(join(directory, 'README.md'), projectReadme(opts.name, serviceName));
  return { directory, packageName: opts.name, serviceName };
}
