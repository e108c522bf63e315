// Every worker the app starts, and nowhere else: the mesh pool (pipeline, statistics, writers), the
// live preview's own worker (so dragging never waits behind a build), the segments worker (imports and
// edits of segments: never aborted by a cancelled build, which would leave a layer half written), the
// decode pool (compressed DICOM slices), the print pool (the printability report's measures) and
// manifold-3d's own worker (the one script whose response allows eval: see vite.config.ts). The
// `new URL(…)` literals let Vite bundle each worker script.
import type { DecodeApi } from '../../workers/decode.worker';
import type { MeshApi } from '../../workers/meshApi';
import type { ManifoldApi } from '../../workers/manifoldApi';
import { POOL_SIZE, WorkerBridge, WorkerPool } from './bridge';

export const meshPool = new WorkerPool<MeshApi>(POOL_SIZE, {
  name: 'mesh',
  start: (name) => new Worker(new URL('../../workers/mesh.worker.ts', import.meta.url), { type: 'module', name }),
});

export const previewWorker = new WorkerBridge<MeshApi>({
  name: 'preview',
  start: (name) => new Worker(new URL('../../workers/mesh.worker.ts', import.meta.url), { type: 'module', name }),
});

export const segmentWorker = new WorkerBridge<MeshApi>({
  name: 'segments',
  start: (name) => new Worker(new URL('../../workers/mesh.worker.ts', import.meta.url), { type: 'module', name }),
});

export const decodePool = new WorkerPool<DecodeApi>(POOL_SIZE, {
  name: 'decode',
  start: (name) => new Worker(new URL('../../workers/decode.worker.ts', import.meta.url), { type: 'module', name }),
  // dicom-image-loader answers comlink calls on `self`, so ours listen on a port of their own
  connect: (worker) => {
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ decodePort: port2 }, [port2]);
    return port1;
  },
});

/**
 * Print preparation's measures of a finished model (the wall-thickness map takes seconds, over every
 * core: never in the way of a build or a write).
 */
export const printPool = new WorkerPool<MeshApi>(POOL_SIZE, {
  name: 'print',
  start: (name) => new Worker(new URL('../../workers/mesh.worker.ts', import.meta.url), { type: 'module', name }),
});

/**
 * manifold-3d (cut to fit the bed), the only worker allowed to evaluate strings: its script is served
 * with its own policy (vite.config.ts evalWorkerPolicy), and nothing else loads manifold-3d.
 */
export const manifoldWorker = new WorkerBridge<ManifoldApi>({
  name: 'manifold',
  start: (name) => new Worker(new URL('../../workers/manifold.worker.ts', import.meta.url), { type: 'module', name }),
});
