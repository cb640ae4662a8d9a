#!/usr/bin/env node
import { runMain } from '@edgex-ts/device-sdk';
import { SERVICE_NAME, startService } from './index.js';

await runMain(SERVICE_NAME, () => startService());
