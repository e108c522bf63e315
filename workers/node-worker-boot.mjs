// Starts a TypeScript worker_threads entry in Node: registers tsx, then imports workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
