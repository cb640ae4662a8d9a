#!/usr/bin/env node
// Runs in the Dockerfile's build stage (as `RUN ["node", ...]`, so it needs no shell): leaves the staged
// runtime tree in .docker-staged/ (see runtime-tree.mjs).
//   - built from a source checkout (the normal case): npm ci (npm install if npm ci refuses the lockfile),
//     npm run build, then stage;
//   - a context made by `scripts/docker/build-images.sh --host-workspace` already holds .docker-staged/,
//     staged from the build host's installed and built workspace: nothing to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => {
  console.log(`build-workspace: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit' });
};

/** npm ci (exactly the lockfile); npm install when npm ci refuses a lockfile out of sync with package.json. */
function install() {
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    console.log(
      'build-workspace: WARNING: npm ci failed (above); trying npm install, which completes package-lock.json inside this build only. If it was the lockfile, fix it in the repository: npm install && git commit package-lock.json',
    );
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

if (existsSync('.docker-staged/app') && existsSync('.docker-staged/images')) {
  console.log('build-workspace: using the runtime tree staged on the build host (.docker-staged/)');
} else {
  install();
  run('npm', ['run', 'build']);
  run('node', ['scripts/docker/runtime-tree.mjs', '.', '.docker-staged']);
}
