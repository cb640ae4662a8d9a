#!/usr/bin/env node
import { runMain } from '@edgex-ts/device-sdk';
import { SERVICE_NAME, startDeviceVirtual } from './index.js';

await runMain(SERVICE_NAME, () => startDeviceVirtual());
