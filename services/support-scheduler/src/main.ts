#!/usr/bin/env node
import { runMain } from '@edgex-ts/runtime';
import { SERVICE_NAME, startSupportScheduler } from './index.js';

await runMain(SERVICE_NAME, () => startSupportScheduler());
