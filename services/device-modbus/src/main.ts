#!/usr/bin/env node
import { runMain } from '@edgex-ts/device-sdk';
import { SERVICE_NAME, startDeviceModbus } from './index.js';

await runMain(SERVICE_NAME, () => startDeviceModbus());
