#!/usr/bin/env node
import { runMain } from '@edgex-ts/runtime';
import { SERVICE_NAME, startSupportLogging } from './index.js';

await runMain(SERVICE_NAME, () => startSupportLogging());
