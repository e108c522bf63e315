// A pool of Node worker_threads exposing meshApi, so Node runs the exact worker split the browser uses.
// The worker is bundled once per process (esbuild, as Vite does for the browser) and each thread
// starts from that bundle: a thread with a TypeScript loader of its own (tsx) took ~40 MB, this ~15.
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MeshApi } from './meshApi';

export interface NodePool {
  workers: Remote<MeshApi>[];
  close(): Promise<void>;
}

let bundle: URL | null = null;

/** mesh.node-worker.ts and what it imports, as one ES module (a data: URL). */
function workerBundle(): URL {
  if (bundle) return bundle;
  const out = buildSync({
    entryPoints: [new URL('./mesh.node-worker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'error',
    // CommonJS packages in the bundle (dicom-parser) require Node's built-ins (zlib): give the module a require
    // (the bundle runs from a data: URL, so require resolves from this file's place)
    banner: { js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(${JSON.stringify(new URL(import.meta.url).pathname)});` },
  });
  bundle = new URL(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].contents).toString('base64')}`);
  return bundle;
}

export function createNodePool(size: number): NodePool {
  const url = workerBundle();
  // (execArgv: [] so that the threads do not load the TypeScript loader the main thread may run with)
  const threads = Array.from({ length: size }, () => new Worker(url, { execArgv: [] }));
  return {
    workers: threads.map((t) => wrap<MeshApi>(nodeEndpoint(t))),
    close: async () => {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
