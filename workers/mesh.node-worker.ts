// Node worker_threads entry (bench, tests): the same comlink façade as mesh.worker.ts.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { meshApi } from './meshApi';

expose(meshApi, nodeEndpoint(parentPort!));
