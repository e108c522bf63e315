// The mesh pipeline: threshold (or double threshold) → mask edits (pieces, cavities, crop) → hollow
// (optional) → size estimate (refused when over a memory limit) → marching cubes over z-slabs, each
// slab's arrays made at its counted size → stitch → smoothing → decimation → check; the result comes then, its deviation (how far
// decimation moved the surface) later, measured over the pool meanwhile (see refine.ts).
// It drives a pool of workers that all read the same volume (and mask) in shared memory; the same
// function runs in the browser (Web Workers via comlink) and in Node (worker_threads, bench).
import { splitSlabs, stitchPlan, type MeshSlab, type SlabSummary } from './marchingCubes';
import { splitRange } from './split';
import { hollowChunks, type HollowJob, type HollowResult } from './hollow';
import { needsMask, type MaskEdits, type MaskEditStats } from './maskEdits';
import type { PartitionStep } from './decimate';
import type { CropBox } from './maskOps';
import { signedVolume, type MeshReport } from './meshCheck';
import { estimateFromCrossings, slabSlices, slabVertices, type MeshEstimate } from './meshEstimate';
import { refineOnPool, type Deviation, type OnProgress, type RefineOptions, type RefineWorker, type StageTiming } from './refine';
import { Arena, typed, type Alloc } from './memory';
import { MemoryReserve } from './reserve';
import { sharedBytes } from './sharedMemory';
import type { SegmentRefineResult } from './segmentRefine';
import type { LayerStats } from './segmentStats';
import type { Mesh, ThresholdRange, Vec3, Volume } from './types';

/** What one worker offers the pipeline (see workers/meshApi.ts). Results may be promises (comlink). */
export interface MeshWorker extends RefineWorker {
  threshold(vol: Volume, range: ThresholdRange, mask: Uint8Array, zRange: [number, number], crop?: CropBox): unknown;
  doubleThreshold(vol: Volume, narrow: ThresholdRange, wide: ThresholdRange, mask: Uint8Array, crop?: CropBox): unknown;
  editMask(mask: Uint8Array, dims: Vec3, spacing: Vec3, edits: MaskEdits): MaskEditStats | Promise<MaskEditStats>;
  marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number]): MeshSlab | Promise<MeshSlab>;
  /** crossed grid edges that slices zRange own (see meshEstimate.ts) */
  countCrossings(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zRange: [number, number], perSlice?: Int32Array): number | Promise<number>;
  /** marches a slab and keeps it in the worker; emitHeld writes it into the joined mesh (see marchingCubes.ts) */
  marchHeld(key: string, vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number], vertices: number): SlabSummary | Promise<SlabSummary>;
  emitHeld(key: string, out: Mesh, vertexBase: number, triangleBase: number, bottomGlobal: Int32Array): unknown;
  dropHeld(prefix: string): unknown;
  /** an id of the thread this worker runs on (workers on one thread cannot wait for each other) */
  threadId(): number | Promise<number>;
  // Segments (issue 10; see segmentPipeline.ts and segmentMask.ts)
  layerStats(labels: Uint8Array, dims: Vec3, zRange: [number, number]): LayerStats | Promise<LayerStats>;
  segmentCrop(
    vol: Volume, labels: Uint8Array, value: number, range: ThresholdRange | undefined, box: CropBox, zRange: [number, number], data: Int16Array | null, mask: Uint8Array,
  ): unknown;
  refineSegment(mesh: Mesh, opts: RefineOptions, targetMm3: number | null, maxOffsetMm: number): SegmentRefineResult | Promise<SegmentRefineResult>;
  /** a label's smooth level over slices zRange of its box (labelLevels.ts), for hollowing it */
  labelLevels(mask: Uint8Array, dims: Vec3, out: Int16Array, zRange: [number, number]): unknown;
  // Hollow (issue 12; see hollow.ts): the job in shared memory, its slices over the pool, the rest
  hollowPrepare(mask: Uint8Array, vol: Volume, range: ThresholdRange, opts: HollowStage): HollowJob | Promise<HollowJob>;
  hollowSlices(job: HollowJob, slices: [number, number]): unknown;
  hollowVolumeBefore(job: HollowJob, layers: [number, number]): number | Promise<number>;
  hollowFinish(job: HollowJob, mask: Uint8Array, opts: HollowStage): HollowResult | Promise<HollowResult>;
}

/** Hollowing the mask: walls measured from the sub-voxel surface (the volume's values and the range). */
export interface HollowStage {
  wallMm: number;
  /** cavities smaller than this stay solid, mm³ */
  minCavityMm3?: number;
}

export interface MeshOptions extends RefineOptions, MaskEdits {
  /** 'half' meshes a copy averaged over 2 × 2 × 2 voxels (see src/core.ts): 8× fewer voxels, a quarter of the triangles */
  resolution?: 'full' | 'half';
  /** refuse (ModelTooLarge) a build whose estimated peak memory (stage "size estimate") would exceed this many bytes */
  maxBuildBytes?: number;
  /** hollow the mask after its edits, before the surface */
  hollow?: HollowStage;
  /**
   * memory set aside and mapped ahead for the build (see reserve.ts): its arrays come from there first,
   * unless another build holds it; it is held until this build's deviation is known
   */
  reserve?: MemoryReserve;
}

export type { BuildProgress, Deviation, OnProgress } from './refine';
export type { StageTiming };

/** A build refused before its mesh was made: its estimate exceeds the memory it may use. */
export class ModelTooLarge extends Error {
  constructor(
    readonly estimate: MeshEstimate,
    readonly limitBytes: number,
  ) {
    super(
      `This model would have about ${(estimate.triangles / 1e6).toFixed(1)} million triangles before decimation and take about ` +
        `${mib(estimate.peakBytes)} while it is built, more than the ${mib(limitBytes)} allowed`,
    );
    this.name = 'ModelTooLarge';
  }
}

const mib = (bytes: number) => `${Math.max(0, Math.round(bytes / 2 ** 20)).toLocaleString('en-US')} MiB`;

export interface HollowStats extends HollowResult {
  /** the volume the isosurface enclosed before hollowing, mm³ */
  volumeBeforeMm3: number;
}

export interface MeshResult {
  mesh: Mesh;
  report: MeshReport;
  components: MaskEditStats | null;
  /** what hollowing did (null: not asked); savedMm3 measured on the surface (see hollow.ts volumeBefore) */
  hollow: HollowStats | null;
  /** triangles straight out of marching cubes, before decimation */
  trianglesIsosurface: number;
  /**
   * how far decimation moved the surface, still measured when the result comes (see refineOnPool:
   * it rejects when the build's signal aborts first)
   */
  deviation: Promise<Deviation>;
  stages: StageTiming[];
  /** the decimation's own stages (see decimate.ts), for the bench */
  decimationStages?: StageTiming[];
  /** the decimation's collapse passes, partition by partition (see decimate.ts), for the bench */
  decimationSteps?: PartitionStep[];
  /** the size predicted before the isosurface was made (see meshEstimate.ts; a segments model, made by segmentPipeline.ts, has none) */
  estimate?: MeshEstimate;
}

/**
 * Runs tasks over the workers, each worker taking the next task when free; results in task order.
 * `onDone` hears the share of the tasks done after each one.
 */
async function runQueue<T, R>(
  workers: MeshWorker[],
  tasks: T[],
  run: (w: MeshWorker, t: T, i: number) => R | Promise<R>,
  onDone?: (fraction: number) => void,
): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  let next = 0, done = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await run(w, tasks[i], i);
        onDone?.(++done / tasks.length);
      }
    }),
  );
  return results;
}

let builds = 0;

/**
 * The model from the volume over the workers (see the header). `onProgress` hears each stage as it
 * starts and, where the stage can tell, the share of it done; `signal` (aborted when the caller gives
 * up on the build, e.g. after terminating its workers) stops the progress polling and rejects the
 * deviation if it is still measured. Another build may start on the same workers before the deviation
 * is known (see refineOnPool).
 */
export async function buildMesh(
  workers: MeshWorker[],
  vol: Volume,
  range: ThresholdRange,
  opts: MeshOptions,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<MeshResult> {
  if (workers.length === 0) throw new Error('buildMesh needs at least one worker');
  // the reserve set aside, or (none, or another build holds it) one of none that grows: either way
  // one WebAssembly memory, which the kernels reach (see reserve.ts)
  const reserve = opts.reserve && !opts.reserve.busy ? opts.reserve : new MemoryReserve(0);
  const fresh = reserve.open()!;
  // (the reserve is free again once nothing reads this build's arrays: its deviation is measured on them)
  try {
    const result = await buildWith(fresh, workers, vol, range, opts, onProgress, signal);
    result.deviation.then(() => reserve.close(), () => reserve.close());
    return result;
  } catch (e) {
    reserve.close();
    throw e;
  }
}

/** buildMesh with its new memory from `fresh`. */
async function buildWith(fresh: Alloc, ...[workers, vol, range, opts, onProgress, signal]: Parameters<typeof buildMesh>): Promise<MeshResult> {
  const stages: StageTiming[] = [];
  const timed = async <R>(name: string, f: () => Promise<R>): Promise<R> => {
    onProgress?.({ stage: name });
    const t0 = performance.now();
    const r = await f();
    stages.push({ name, ms: performance.now() - t0 });
    return r;
  };
  /** reports the share of a stage's tasks done */
  const share = (stage: string) => onProgress && ((fraction: number) => onProgress({ stage, fraction }));
  const nz = vol.dims[2];
  const threads = await distinctThreads(workers);
  let mask: Uint8Array | null = null;
  let components: MaskEditStats | null = null;
  let hollow: HollowStats | null = null;
  const arena = new Arena(fresh);
  if (needsMask(opts) || opts.hollow) {
    const m = typed(Uint8Array, fresh, vol.data.length);
    const { crop, seedBand } = opts;
    if (seedBand) await timed('mask', async () => workers[0].doubleThreshold(vol, seedBand, range, m, crop));
    else await timed('mask', () => runQueue(workers, splitRange(nz, workers.length), (w, z) => w.threshold(vol, range, m, z, crop), share('mask')));
    const edits: MaskEdits = {
      keepLargest: opts.keepLargest,
      seeds: opts.seeds,
      minPieceMm3: opts.minPieceMm3,
      fillCavities: opts.fillCavities,
      crop,
    };
    components = await timed('components', async () => workers[0].editMask(m, vol.dims, vol.spacing, edits));
    mask = m;
    if (opts.hollow) {
      const stage = opts.hollow;
      hollow = await timed('hollow', async () => {
        // the mask's box in shared memory; its cavity by slices and its surface's volume by cell layers
        // over the pool; then carving (see hollow.ts)
        const job = await workers[0].hollowPrepare(m, vol, range, stage);
        const tasks = [
          ...hollowChunks(job, workers.length).map((z) => ({ cavity: z })),
          ...splitSlabs(job.geometry.dims[2], workers.length).map((layers) => ({ layers })),
        ];
        const volumes = await runQueue(workers, tasks, async (w, t) => ('cavity' in t ? (await w.hollowSlices(job, t.cavity), 0) : w.hollowVolumeBefore(job, t.layers)));
        const r = await workers[0].hollowFinish(job, m, stage);
        arena.giveBack(job.mask, job.solid, job.inner, ...(job.values ? [job.values.data] : []));
        return { ...r, volumeBeforeMm3: volumes.reduce((a, b) => a + b, 0) };
      });
    }
  }
  // More slabs than workers so a worker that drew empty slices picks up more work.
  const slabs = splitSlabs(nz, workers.length * 4);
  // The model's size from the crossed grid edges, before any of its memory is taken (refused here when
  // over the limit), counted by slab (see slabSlices, slabVertices), so each slab's arrays are made at
  // its size: grown from a guess instead, they cost more than the count (head CT: size estimate 11–17
  // ms and isosurface 59–66 ms, against 93–129 ms for the isosurface alone, whose row kernel V8 also
  // compiled again when its arrays grew).
  const perSlice = new Int32Array(sharedBytes(4 * nz));
  const counts = await timed('size estimate', () =>
    runQueue(workers, splitRange(nz, workers.length), (w, z) => w.countCrossings(vol, range, mask, z, perSlice), share('size estimate')),
  );
  const shape = { voxels: vol.data.length, mask: mask !== null, smoothing: opts.smoothing, detail: opts.detail, threads: threads.length };
  const estimate = estimateFromCrossings(counts.reduce((a, b) => a + b, 0), shape);
  if (opts.maxBuildBytes !== undefined && estimate.peakBytes > opts.maxBuildBytes) throw new ModelTooLarge(estimate, opts.maxBuildBytes);
  const vertices = slabs.map((layers) => {
    const [z0, z1] = slabSlices(layers, nz);
    let crossings = 0;
    for (let z = z0; z < z1; z++) crossings += perSlice[z];
    return slabVertices(crossings, layers);
  });
  // Each slab stays in the worker that made it until it is written into the joined mesh.
  const key = `build${++builds}:`;
  const maker: MeshWorker[] = [];
  let full: Mesh;
  try {
    const parts = await timed('isosurface', () =>
      runQueue(workers, slabs, (w, z, i) => {
        maker[i] = w;
        return w.marchHeld(key + i, vol, range, mask, z, vertices[i]);
      }, share('isosurface')),
    );
    // The mask's memory serves the mesh stages (the joined mesh, smoothing's buffers…).
    if (mask) arena.giveBack(mask);
    mask = null;
    // stitched into shared memory, where every thread refines it: each worker writes its slabs
    full = await timed('stitch', async () => {
      const plan = stitchPlan(parts);
      const out = { positions: typed(Float32Array, arena.alloc, 3 * plan.vertices), indices: typed(Uint32Array, arena.alloc, 3 * plan.triangles) };
      let written = 0;
      const wrote = share('stitch');
      await Promise.all(
        parts.map(async (_, s) => {
          await maker[s].emitHeld(key + s, out, plan.vertexBase[s], plan.triangleBase[s], plan.bottomGlobal[s]);
          wrote?.(++written / parts.length);
        }),
      );
      return out;
    });
  } catch (e) {
    await Promise.all(workers.map((w) => w.dropHeld(key)));
    throw e;
  }
  // material saved, on the surface: its volume before hollowing less after, both before smoothing
  // (which rounds the cavity's surface too: the finished solid and hollow meshes differ by 3.5 % less
  // on the phantom's skull at a 2 mm wall; see pipeline.test.ts)
  if (hollow) hollow.savedMm3 = hollow.volumeBeforeMm3 - signedVolume(full);
  const refined = await refineOnPool(threads, full, { smoothing: opts.smoothing, detail: opts.detail }, arena, timed, onProgress, signal);
  stages.push(...refined.stages);
  return {
    mesh: refined.mesh,
    report: refined.report,
    components,
    hollow,
    trianglesIsosurface: refined.trianglesIn,
    deviation: refined.deviation,
    stages,
    decimationStages: refined.decimationStages,
    decimationSteps: refined.decimationSteps,
    estimate,
  };
}

/** The workers that run on threads of their own (the first of each thread), so they can meet at barriers. */
async function distinctThreads(workers: MeshWorker[]): Promise<MeshWorker[]> {
  if (typeof SharedArrayBuffer !== 'function') return workers.slice(0, 1); // (threads could not share the mesh)
  const ids = await Promise.all(workers.map((w) => w.threadId()));
  return workers.filter((_, i) => ids.indexOf(ids[i]) === i);
}
