// Meshing segments: one closed, oriented surface per segment through the stages of buildMesh
// (pipeline.ts), on each segment's bounding box only:
//   bounds (one pass per layer, over z ranges) → crop (the box's HU and the segment's mask into shared
//   memory, over z ranges; a box holding most of the scan meshes on the scan itself, only its mask is
//   written) → hollow (with refine.hollow: the segment's mask hollowed as the threshold model's is, see
//   hollow.ts; its cavity over slices of the box and its volume before over cell layers, on the pool; a
//   segment without an HU band has its walls measured from its label's smooth level, labelLevels.ts)
//   → isosurface (marchSlab over slabs of the box) → stitch → refine (smoothing, volume, decimation,
//   check: segmentRefine.ts; one worker per segment).
// Every task goes to whichever worker is free, and several segments are in flight at once, so 2 workers
// stay busy on 100 small segments as on one large one.
import { splitSlabs, stitchSlabs, type MeshSlab } from './marchingCubes';
import type { MeshReport } from './meshCheck';
import { hollowChunks } from './hollow';
import { LABEL_LEVEL_RANGE } from './labelLevels';
import { signedVolume } from './meshCheck';
import type { HollowStage, HollowStats, MeshWorker, StageTiming } from './pipeline';
import type { Deviation, RefineOptions } from './refine';
import type { SegmentRefineResult } from './segmentRefine';
import { FULL_RANGE, subVolume } from './segmentMask';
import type { Rgb, Segment } from './segments';
import { boxDims, boxVoxels, growBox, mergeStats, valueBox, type LayerStats } from './segmentStats';
import { sharedBytes } from './sharedMemory';
import { splitRange } from './split';
import type { Mesh, Vec3, Volume } from './types';

export interface SegmentMeshResult {
  id: number;
  name: string;
  color: Rgb;
  mesh: Mesh;
  report: MeshReport;
  /** voxels of the segment */
  voxels: number;
  /** voxels × voxel volume: what the label map holds, to compare with report.volumeMm3 */
  voxelVolumeMm3: number;
  trianglesIsosurface: number;
  /** how far decimation moved the surface: measured in the worker with the rest, so already resolved (the shape of MeshResult's) */
  deviation: Promise<Deviation>;
  /** how far the surface was offset to enclose the voxel volume (mm; 0 for segments with an HU band) */
  offsetMm: number;
  /** what hollowing did to this segment (null: not asked) */
  hollow: HollowStats | null;
  /** time each stage took for this segment, in workers (segments run concurrently, so these overlap) */
  stages: StageTiming[];
}

export interface SegmentMeshes {
  /** one per segment with voxels, in the order given */
  results: SegmentMeshResult[];
  /** ids of the segments given that hold no voxel (nothing to mesh) */
  empty: number[];
  /** wall-clock time of the whole run, and of the bounds pass */
  stages: StageTiming[];
}

export interface SegmentMeshOptions extends RefineOptions {
  /**
   * Offset the surface of each segment without an HU band (painted, imported) to enclose its voxel
   * volume (default true; see volumeMatch.ts). Segments made from a threshold keep their HU surface.
   */
  matchVoxelVolume?: boolean;
  /** hollow every segment with this wall (each stays one closed solid around its closed cavities) */
  hollow?: HollowStage;
}

/** Voxels per crop task and per isosurface slab: big enough to amortise a call, small enough to share out. */
const VOXELS_PER_TASK = 1 << 21;
/** A segment whose box holds more than this fraction of the scan is meshed on the scan, not on a copy. */
const WHOLE_VOLUME = 0.5;
/** Segments in flight at once per worker (bounds the memory of their boxes). */
const SEGMENTS_PER_WORKER = 2;

/** Hands each task to the next free worker, in the order the tasks come. */
class WorkerQueue {
  private free: MeshWorker[];
  private waiting: ((w: MeshWorker) => void)[] = [];
  constructor(workers: MeshWorker[]) {
    this.free = [...workers];
  }
  async run<R>(task: (w: MeshWorker) => R | Promise<R>): Promise<R> {
    const w = this.free.pop() ?? (await new Promise<MeshWorker>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(w);
    } finally {
      const next = this.waiting.shift();
      if (next) next(w);
      else this.free.push(w);
    }
  }
}

/**
 * Meshes every segment in `segments` (their voxels in `layers`, on `vol`'s grid) with `refine`.
 * `onStage` hears "bounds" and then "segment name (i/n)" as each segment starts.
 */
export async function buildSegmentMeshes(
  workers: MeshWorker[],
  vol: Volume,
  layers: Uint8Array[],
  segments: Segment[],
  refine: SegmentMeshOptions,
  onStage?: (stage: string) => void,
): Promise<SegmentMeshes> {
  if (workers.length === 0) throw new Error('buildSegmentMeshes needs at least one worker');
  const t0 = performance.now();
  const queue = new WorkerQueue(workers);
  const [nx, ny, nz] = vol.dims;
  const voxelMm3 = vol.spacing[0] * vol.spacing[1] * vol.spacing[2];
  const maxOffsetMm = Math.max(...vol.spacing);

  // Bounds: counts and boxes of every value of every layer that holds a segment to mesh.
  onStage?.('bounds');
  const zParts = splitRange(nz, Math.max(workers.length, Math.ceil((nx * ny * nz) / VOXELS_PER_TASK)));
  const stats = new Map<number, LayerStats>();
  await Promise.all(
    [...new Set(segments.map((g) => g.layer))].map(async (layer) => {
      const parts = await Promise.all(zParts.map((z) => queue.run((w) => w.layerStats(layers[layer], vol.dims, z))));
      stats.set(layer, mergeStats(parts));
    }),
  );
  const stages: StageTiming[] = [{ name: 'bounds', ms: performance.now() - t0 }];

  const todo = segments.filter((g) => valueBox(stats.get(g.layer)!, g.value));
  const empty = segments.filter((g) => !todo.includes(g)).map((g) => g.id);
  const results = new Array<SegmentMeshResult>(todo.length);
  let next = 0;
  const meshOne = async (index: number) => {
    const g = todo[index];
    onStage?.(`${g.name} (${index + 1}/${todo.length})`);
    const st = stats.get(g.layer)!;
    // one voxel of real HU around the segment, so vertices interpolate as on the whole volume; a box
    // holding most of the scan is not copied: the segment is meshed on the scan itself
    const grown = growBox(valueBox(st, g.value)!, 1, vol.dims);
    const whole = boxVoxels(grown) > WHOLE_VOLUME * nx * ny * nz;
    const box = whole ? { min: [0, 0, 0] as Vec3, max: [nx - 1, ny - 1, nz - 1] as Vec3 } : grown;
    const n = boxVoxels(box);
    const data = whole ? null : new Int16Array(sharedBytes(2 * n));
    const mask = new Uint8Array(sharedBytes(n));
    // time spent in workers on this segment, per stage (queue waits excluded)
    const ms: Record<string, number> = { crop: 0, hollow: 0, isosurface: 0 };
    const onWorker = <R>(stage: string, task: (w: MeshWorker) => R | Promise<R>) =>
      queue.run(async (w) => {
        const t = performance.now();
        const r = await task(w);
        ms[stage] += performance.now() - t;
        return r;
      });
    const bz = boxDims(box)[2];
    const tasks = Math.max(1, Math.min(bz, Math.ceil(n / VOXELS_PER_TASK)));
    await Promise.all(
      splitRange(bz, tasks).map(([a, b]) =>
        onWorker('crop', (w) => w.segmentCrop(vol, layers[g.layer], g.value, g.range, box, [box.min[2] + a, box.min[2] + b], data, mask)),
      ),
    );
    const sub = data ? subVolume(vol, box, data) : vol;
    const range = g.range ?? FULL_RANGE;
    const voxels = st.counts[g.value];
    let hollow: HollowStats | null = null;
    if (refine.hollow) {
      // as buildMesh hollows the threshold's mask (pipeline.ts), on this segment's box
      const stage = refine.hollow;
      // without an HU band, walls are measured from the label's smooth level, not its voxel staircase;
      // it takes the place of the box's HU, which such a segment's surface does not read (FULL_RANGE)
      let values = sub, band = range;
      if (!g.range) {
        const dims = boxDims(box);
        values = subVolume(vol, box, data ?? new Int16Array(sharedBytes(2 * n)));
        band = LABEL_LEVEL_RANGE;
        await Promise.all(splitRange(bz, tasks).map(([a, b]) => onWorker('hollow', (w) => w.labelLevels(mask, dims, values.data, [a, b]))));
      }
      const job = await onWorker('hollow', (w) => w.hollowPrepare(mask, values, band, stage));
      const cavity = hollowChunks(job, workers.length).map((z) => onWorker('hollow', async (w) => (await w.hollowSlices(job, z), 0)));
      const before = splitSlabs(job.geometry.dims[2], workers.length).map((layers) => onWorker('hollow', (w) => w.hollowVolumeBefore(job, layers)));
      const volumes = await Promise.all([...cavity, ...before]);
      const r = await onWorker('hollow', (w) => w.hollowFinish(job, mask, stage));
      hollow = { ...r, volumeBeforeMm3: volumes.reduce((a, b) => a + b, 0) };
    }
    const parts = await Promise.all(splitSlabs(bz, tasks).map((z) => onWorker('isosurface', (w) => w.marchSlab(sub, range, mask, z) as MeshSlab | Promise<MeshSlab>)));
    const t = performance.now();
    const full = stitchSlabs(parts);
    const segStages: StageTiming[] = [
      { name: 'crop', ms: ms.crop },
      ...(hollow ? [{ name: 'hollow', ms: ms.hollow }] : []),
      { name: 'isosurface', ms: ms.isosurface },
      { name: 'stitch', ms: performance.now() - t },
    ];
    const target = !g.range && refine.matchVoxelVolume !== false ? (voxels - (hollow?.voxelsRemoved ?? 0)) * voxelMm3 : null;
    if (hollow) {
      // material saved: a surface offset to the voxel volume (before and after) saves the voxels
      // removed; an HU surface, its volume before hollowing less after, both before smoothing (pipeline.ts)
      if (target !== null) {
        hollow.volumeBeforeMm3 = voxels * voxelMm3;
        hollow.savedMm3 = hollow.voxelsRemoved * voxelMm3;
      } else hollow.savedMm3 = hollow.volumeBeforeMm3 - signedVolume(full);
    }
    const refined: SegmentRefineResult = await queue.run((w) => w.refineSegment(full, refine, target, maxOffsetMm));
    segStages.push(...refined.stages);
    results[index] = {
      id: g.id,
      name: g.name,
      color: g.color,
      mesh: refined.mesh,
      report: refined.report,
      voxels,
      voxelVolumeMm3: voxels * voxelMm3,
      trianglesIsosurface: refined.trianglesIn,
      deviation: Promise.resolve({ mm: refined.deviationMm, ms: refined.stages.find((x) => x.name === 'deviation')?.ms ?? 0 }),
      offsetMm: refined.offsetMm,
      hollow,
      stages: segStages,
    };
  };
  const lanes = Math.min(todo.length, workers.length * SEGMENTS_PER_WORKER);
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < todo.length) await meshOne(next++);
    }),
  );
  stages.push({ name: 'segments', ms: performance.now() - t0 - stages[0].ms });
  return { results, empty, stages };
}
