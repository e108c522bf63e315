// The mesh pipeline: threshold (or double threshold) → mask edits (pieces, cavities, crop) →
// marching cubes over z-slabs → stitch → smoothing → decimation → check.
// It drives a pool of workers that all read the same volume (and mask) in shared memory; the same
// function runs in the browser (Web Workers via comlink) and in Node (worker_threads, bench).
import { decimateJob, type DecimateJob, type DecimateResult } from './decimate';
import { gridBytes, sampleStride, type DistanceSum, type TriangleGrid } from './deviation';
import { splitSlabs, stitchPlan, type MeshSlab, type SlabSummary } from './marchingCubes';
import { splitRange } from './split';
import { needsMask, type MaskEdits, type MaskEditStats } from './maskEdits';
import type { CropBox } from './maskOps';
import type { MeshReport } from './meshCheck';
import type { RefineOptions, RefineResult } from './refine';
import { Arena, sharedMemory, typed } from './memory';
import { neighbourBytes, smoothJob, type SmoothJob } from './smooth';
import type { Mesh, ThresholdRange, Vec3, Volume } from './types';

/** What one worker offers the pipeline (see workers/meshApi.ts). Results may be promises (comlink). */
export interface MeshWorker {
  threshold(vol: Volume, range: ThresholdRange, mask: Uint8Array, zRange: [number, number], crop?: CropBox): unknown;
  doubleThreshold(vol: Volume, narrow: ThresholdRange, wide: ThresholdRange, mask: Uint8Array, crop?: CropBox): unknown;
  editMask(mask: Uint8Array, dims: Vec3, spacing: Vec3, edits: MaskEdits): MaskEditStats | Promise<MaskEditStats>;
  marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number]): MeshSlab | Promise<MeshSlab>;
  /** marches a slab and keeps it in the worker; emitHeld writes it into the joined mesh (see marchingCubes.ts) */
  marchHeld(key: string, vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number]): SlabSummary | Promise<SlabSummary>;
  emitHeld(key: string, out: Mesh, vertexBase: number, triangleBase: number, bottomGlobal: Int32Array): unknown;
  dropHeld(prefix: string): unknown;
  refine(mesh: Mesh, opts: RefineOptions): RefineResult | Promise<RefineResult>;
  /** an id of the thread this worker runs on (workers on one thread cannot wait for each other) */
  threadId(): number | Promise<number>;
  /** thread `thread`'s share of a smoothing, a decimation (see smooth.ts, decimate.ts) */
  smoothPart(job: SmoothJob, thread: number): unknown;
  decimatePart(job: DecimateJob, thread: number): DecimateResult | null | Promise<DecimateResult | null>;
  /** a triangle grid of `surface` (in shared memory), and distances from some `points` to it (see deviation.ts) */
  triangleGrid(surface: Mesh, points: Float32Array, scratch?: Uint8Array): TriangleGrid | Promise<TriangleGrid>;
  distances(points: Float32Array, surface: Mesh, grid: TriangleGrid | null, stride: number, from: number, to: number): DistanceSum | Promise<DistanceSum>;
  check(mesh: Mesh): MeshReport | Promise<MeshReport>;
}

export interface MeshOptions extends RefineOptions, MaskEdits {
  /** 'half' meshes a copy averaged over 2 × 2 × 2 voxels (see src/core.ts): 8× fewer voxels, a quarter of the triangles */
  resolution?: 'full' | 'half';
}

export interface StageTiming {
  name: string;
  ms: number;
}

export interface MeshResult {
  mesh: Mesh;
  report: MeshReport;
  components: MaskEditStats | null;
  /** triangles straight out of marching cubes, before decimation */
  trianglesIsosurface: number;
  /** how far decimation moved the surface (mm, measured; see RefineResult) */
  deviationMm: number;
  stages: StageTiming[];
  /** the decimation's own stages (see decimate.ts), for the bench */
  decimationStages?: StageTiming[];
}

/** Allocates memory that every worker can see (plain memory where SharedArrayBuffer is missing). */
export function sharedBytes(byteLength: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength);
}

/** Runs tasks over the workers, each worker taking the next task when free; results in task order. */
async function runQueue<T, R>(workers: MeshWorker[], tasks: T[], run: (w: MeshWorker, t: T, i: number) => R | Promise<R>): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await run(w, tasks[i], i);
      }
    }),
  );
  return results;
}

let builds = 0;

export async function buildMesh(
  workers: MeshWorker[],
  vol: Volume,
  range: ThresholdRange,
  opts: MeshOptions,
  onStage?: (stage: string) => void,
): Promise<MeshResult> {
  if (workers.length === 0) throw new Error('buildMesh needs at least one worker');
  const stages: StageTiming[] = [];
  const timed = async <R>(name: string, f: () => Promise<R>): Promise<R> => {
    onStage?.(name);
    const t0 = performance.now();
    const r = await f();
    stages.push({ name, ms: performance.now() - t0 });
    return r;
  };
  const nz = vol.dims[2];
  const threads = await distinctThreads(workers);
  let mask: Uint8Array | null = null;
  let components: MaskEditStats | null = null;
  if (needsMask(opts)) {
    const m = new Uint8Array(sharedBytes(vol.data.length));
    const { crop, seedBand } = opts;
    if (seedBand) await timed('mask', async () => workers[0].doubleThreshold(vol, seedBand, range, m, crop));
    else await timed('mask', () => runQueue(workers, splitRange(nz, workers.length), (w, z) => w.threshold(vol, range, m, z, crop)));
    const edits: MaskEdits = {
      keepLargest: opts.keepLargest,
      seeds: opts.seeds,
      minPieceMm3: opts.minPieceMm3,
      fillCavities: opts.fillCavities,
      crop,
    };
    components = await timed('components', async () => workers[0].editMask(m, vol.dims, vol.spacing, edits));
    mask = m;
  }
  // More slabs than workers so a worker that drew empty slices picks up more work.
  const slabs = splitSlabs(nz, workers.length * 4);
  // Each slab stays in the worker that made it until it is written into the joined mesh.
  const key = `build${++builds}:`;
  const maker: MeshWorker[] = [];
  const arena = new Arena(sharedMemory);
  let full: Mesh;
  try {
    const parts = await timed('isosurface', () =>
      runQueue(workers, slabs, (w, z, i) => {
        maker[i] = w;
        return w.marchHeld(key + i, vol, range, mask, z);
      }),
    );
    // The mask's memory serves the mesh stages (the joined mesh, smoothing's buffers…).
    if (mask) arena.giveBack(mask);
    mask = null;
    // stitched into shared memory, where every thread refines it: each worker writes its slabs
    full = await timed('stitch', async () => {
      const plan = stitchPlan(parts);
      const out = { positions: typed(Float32Array, arena.alloc, 3 * plan.vertices), indices: typed(Uint32Array, arena.alloc, 3 * plan.triangles) };
      await Promise.all(parts.map((_, s) => maker[s].emitHeld(key + s, out, plan.vertexBase[s], plan.triangleBase[s], plan.bottomGlobal[s])));
      return out;
    });
  } catch (e) {
    await Promise.all(workers.map((w) => w.dropHeld(key)));
    throw e;
  }
  const refined = await refineOnPool(threads, full, { smoothing: opts.smoothing, detail: opts.detail }, arena, timed, onStage);
  stages.push(...refined.stages);
  return {
    mesh: refined.mesh,
    report: refined.report,
    components,
    trianglesIsosurface: refined.trianglesIn,
    deviationMm: refined.deviationMm,
    stages,
    decimationStages: refined.decimationStages,
  };
}

/** The workers that run on threads of their own (the first of each thread), so they can meet at barriers. */
async function distinctThreads(workers: MeshWorker[]): Promise<MeshWorker[]> {
  if (typeof SharedArrayBuffer !== 'function') return workers.slice(0, 1); // (threads could not share the mesh)
  const ids = await Promise.all(workers.map((w) => w.threadId()));
  return workers.filter((_, i) => ids.indexOf(ids[i]) === i);
}

type Timed = <R>(name: string, f: () => Promise<R>) => Promise<R>;

/**
 * Smoothing → decimation → deviation and check over every thread, on the mesh in shared memory:
 * smoothing by vertex ranges, decimation by spatial partitions (see decimate.ts), the deviation's
 * samples split over the threads, the check beside it. The decimated mesh comes back in plain memory.
 */
async function refineOnPool(
  threads: MeshWorker[],
  mesh: Mesh,
  opts: RefineOptions,
  arena: Arena,
  timed: Timed,
  onStage?: (stage: string) => void,
): Promise<RefineResult & { decimationStages: StageTiming[] }> {
  const T = threads.length;
  const trianglesIn = mesh.indices.length / 3;
  let lent: Float64Array[] = [];
  let smoothed = mesh;
  if (opts.smoothing > 0) {
    const job = smoothJob(mesh, mesh.positions, { iterations: opts.smoothing }, T, arena.alloc);
    // (the threads' neighbour lists in shared memory too, so that the decimation reuses it)
    job.scratch = threads.map(() => typed(Uint8Array, arena.alloc, neighbourBytes(trianglesIn, mesh.positions.length / 3, T)));
    await timed('smoothing', () => Promise.all(threads.map((w, i) => w.smoothPart(job, i))));
    arena.giveBack(...job.scratch);
    smoothed = { positions: job.out, indices: mesh.indices };
    lent = [job.a, job.b];
  }
  const d = opts.detail;
  let out = smoothed;
  let decimationStages: StageTiming[] = [];
  const decimateWith = async (name: string, options: Parameters<typeof decimateJob>[1]) => {
    const job = decimateJob(smoothed, options, T, arena.alloc, lent);
    lent = [];
    const results = await timed(name, () => Promise.all(threads.map((w, i) => w.decimatePart(job, i))));
    const { P, Q, N, I, opp, outStart, outList, vOut, moved } = job;
    arena.giveBack(P, Q, N, I, opp, outStart, outList, vOut, moved);
    decimationStages = results[0]!.stages;
    return results[0]!.mesh;
  };
  if (d.kind === 'full' && opts.smoothing > 0) {
    // no reduction, but the vertices smoothing pulled onto one point still merge (see decimate)
    out = await decimateWith('cleanup', { targetTriangles: trianglesIn });
  } else if (d.kind !== 'full') {
    out = await decimateWith('decimation', d.kind === 'fraction' ? { targetTriangles: Math.round(trianglesIn * d.keep) } : { maxDeviationMm: d.mm });
    // the deviation and the check side by side (timed from the same start)
    const decimated = out;
    const since = (t0: number) => <R>(r: R): [R, number] => [r, performance.now() - t0];
    onStage?.('deviation and check');
    const t0 = performance.now();
    // (on one thread one after the other, so that each has its own time)
    const deviating = deviationOnPool(threads, smoothed, decimated, arena).then(since(t0));
    const t1 = T === 1 ? (await deviating, performance.now()) : t0;
    const [[deviation, deviationMs], [report, checkMs]] = await Promise.all([deviating, Promise.resolve(threads[T - 1].check(decimated)).then(since(t1))]);
    const stages = [{ name: 'deviation', ms: deviationMs }, { name: 'check', ms: checkMs }];
    return { mesh: out, report, trianglesIn, deviationMm: deviation, stages, decimationStages };
  }
  // the UI gets plain memory (WebGL buffers and Blobs may refuse shared memory)
  if (out === mesh) out = { positions: new Float32Array(mesh.positions), indices: new Uint32Array(mesh.indices) };
  const report = await timed('check', async () => threads[0].check(out));
  return { mesh: out, report, trianglesIn, deviationMm: 0, stages: [], decimationStages };
}

/**
 * How far decimation moved the surface (see RefineResult.deviationMm), over the threads: the grid of
 * the full surface is built once in shared memory while another thread measures the decimated
 * surface's side; then the full surface's samples are split over all threads.
 */
async function deviationOnPool(threads: MeshWorker[], full: Mesh, decimated: Mesh, arena: Arena, maxSamples = 50_000): Promise<number> {
  const nf = full.positions.length / 3, nd = decimated.positions.length / 3;
  if (full.indices.length === 0 || decimated.indices.length === 0) return nf || nd ? Infinity : 0;
  const sf = sampleStride(nf, maxSamples), sd = sampleStride(nd, maxSamples);
  // the decimated vertices against the full surface (whose grid is big), the full vertices against
  // the decimated surface (one small grid per task)
  const [grid, fullToDecimated] = await Promise.all([
    threads[0].triangleGrid(full, decimated.positions, typed(Uint8Array, arena.alloc, gridBytes(full.indices.length / 3))),
    threads[threads.length - 1].distances(full.positions, decimated, null, sf, 0, nf),
  ]);
  const ranges = splitRange(Math.ceil(nd / sd), threads.length);
  const parts = await Promise.all(ranges.map(([a, b], i) => threads[i].distances(decimated.positions, full, grid, sd, a * sd, b * sd)));
  return Math.max(fullToDecimated.maxMm, ...parts.map((p) => p.maxMm));
}
