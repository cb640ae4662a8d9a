#!/usr/bin/env node
import { startDeviceTemplate } from './index.js';

await startDeviceTemplate({ handleSignals: true });
