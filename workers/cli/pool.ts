// The worker threads of one scan (workers/nodePool.ts createNodePool), sized to the scan: one thread
// starts with the process, so it is ready when the scan is loaded; more start only for a scan big
// enough to repay their start-up (each takes ~0.13 s and ~15 MB once the core is bundled, which the
// first pool does in ~0.2 s): on a small scan the work split over more threads is too short.
import { createNodePool, type NodePool } from '../nodePool';

/** Voxels per extra thread: below this a second thread costs more to start than it saves. */
const VOXELS_PER_THREAD = 8_000_000;

export interface ScanPool {
  /** at most `max` threads for a volume of `voxels` (all of them for heavy filters such as diffusion) */
  workers(voxels: number, heavy?: boolean): NodePool['workers'];
  close(): Promise<void>;
}

export function startPool(max: number): ScanPool {
  const first = createNodePool(1);
  let more: NodePool | null = null;
  return {
    workers(voxels, heavy = false) {
      const want = heavy ? max : Math.min(max, Math.max(1, Math.ceil(voxels / VOXELS_PER_THREAD)));
      if (want > 1 && !more) more = createNodePool(max - 1);
      return more ? [...first.workers, ...more.workers.slice(0, want - 1)] : first.workers;
    },
    async close() {
      await Promise.all([first.close(), more?.close()]);
    },
  };
}
