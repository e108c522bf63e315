#!/usr/bin/env node
// The scan2print command (package.json "bin"): plain JavaScript that registers tsx's loader, so Node
// runs the TypeScript of workers/ directly (as the tests and the bench do), then runs the command.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./main.ts');
await run();
