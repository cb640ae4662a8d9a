#!/usr/bin/env node
import { runMain } from '@edgex-ts/device-sdk';
import { SERVICE_NAME, startDeviceSnmp } from './index.js';

await runMain(SERVICE_NAME, () => startDeviceSnmp());
