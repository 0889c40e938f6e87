#!/usr/bin/env node
// The CLI from source (`npm run demo`, `tsx src/cli/main.ts`). The built `ads-fhir` starts from launch.ts.
import { main } from './run.js';

await main(process.argv);
