// A pool of Node worker_threads exposing meshApi, so Node runs the exact worker split the browser uses.
import { Worker } from 'node:worker_threads';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MeshApi } from './meshApi';

export interface NodePool {
  workers: Remote<MeshApi>[];
  close(): Promise<void>;
}

export function createNodePool(size: number): NodePool {
  const threads = Array.from(
    { length: size },
    () =>
      new Worker(new URL('./node-worker-boot.mjs', import.meta.url), {
        workerData: { entry: new URL('./mesh.node-worker.ts', import.meta.url).href },
      }),
  );
  return {
    workers: threads.map((t) => wrap<MeshApi>(nodeEndpoint(t))),
    close: async () => {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
