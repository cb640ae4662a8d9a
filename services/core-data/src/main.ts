#!/usr/bin/env node
import { runMain } from '@edgex-ts/runtime';
import { SERVICE_NAME, startCoreData } from './index.js';

await runMain(SERVICE_NAME, () => startCoreData());
