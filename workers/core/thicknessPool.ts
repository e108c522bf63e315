// The wall-thickness map (thickness.ts) over a pool of workers: one worker prepares the mesh's normals
// and tree in shared memory, then every worker measures chunks of vertices into one shared map, each
// taking the next chunk when it has finished one (the cost of a vertex varies with the shape around it,
// so a fixed split would wait for the slowest part). Every vertex is measured alike, so the map equals
// the one-thread map (wallThickness) bit for bit, whatever the pool's size.
import { sharedMemory, typed } from './memory';
import type { PreparedThickness } from './thickness';
import type { Mesh } from './types';

/** What one worker offers (see workers/meshApi.ts). Results may be promises (comlink). */
export interface ThicknessWorker {
  /** prepareThickness(mesh, undefined, sharedMemory): the mesh, its normals and tree, shared */
  thicknessPrepare(mesh: Mesh): PreparedThickness | Promise<PreparedThickness>;
  /** thicknessOfVertices into `out` (shared) */
  thicknessOfVertices(prepared: PreparedThickness, range: [number, number], out: Float32Array): unknown;
}

/** Chunks per worker: enough that the last ones even out the workers' ends, few enough that messages cost nothing. */
const CHUNKS_PER_WORKER = 16;
const MIN_CHUNK = 256;

/**
 * The thickness (mm) at every vertex of `mesh`, in shared memory; onProgress gets the fraction
 * measured. Each worker awaits `before()` (if given) before it takes a chunk: the app holds the
 * measure there while a build runs, so the build has the cores.
 */
export async function thicknessOnPool(
  workers: ThicknessWorker[],
  mesh: Mesh,
  onProgress?: (fraction: number) => void,
  before?: () => Promise<void>,
): Promise<Float32Array> {
  const nv = mesh.positions.length / 3;
  const map = typed(Float32Array, sharedMemory, nv);
  if (nv === 0) return map;
  const prepared = await workers[0].thicknessPrepare(mesh);
  const chunk = Math.max(MIN_CHUNK, Math.ceil(nv / (workers.length * CHUNKS_PER_WORKER)));
  let next = 0;
  let done = 0;
  await Promise.all(
    workers.map(async (w) => {
      for (;;) {
        if (before) await before();
        if (next >= nv) break;
        const range: [number, number] = [next, Math.min(nv, next + chunk)];
        next = range[1];
        await w.thicknessOfVertices(prepared, range, map);
        done += range[1] - range[0];
        onProgress?.(done / nv);
      }
    }),
  );
  return map;
}
