#!/usr/bin/env node
// Runs in the Dockerfile's build stage (as `RUN ["node", ...]`, so it needs no shell): leaves the staged
// runtime tree in .docker-staged/ (see runtime-tree.mjs).
//   - built from a source checkout (the normal case): npm ci, npm run build, then stage;
//   - a context made by `scripts/docker/build-images.sh --host-workspace` already holds .docker-staged/,
//     staged from the build host's installed and built workspace: nothing to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => {
  console.log(`build-workspace: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit' });
};

if (existsSync('.docker-staged/app') && existsSync('.docker-staged/images')) {
  console.log('build-workspace: using the runtime tree staged on the build host (.docker-staged/)');
} else {
  run('npm', ['ci', '--no-audit', '--no-fund']);
  run('npm', ['run', 'build']);
  run('node', ['scripts/docker/runtime-tree.mjs', '.', '.docker-staged']);
}
