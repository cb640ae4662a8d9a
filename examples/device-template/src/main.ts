#!/usr/bin/env node
import { startService } from './index.js';

await startService({ handleSignals: true });
