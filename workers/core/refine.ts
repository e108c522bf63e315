// The stages after the isosurface, over every thread of the pool on the mesh in shared memory:
// smoothing (Taubin) → decimation (closed edge collapse) → check, the model's result; then the
// deviation (how far decimation moved the surface), measured over the pool after the result is out.
// Smoothing and decimation are one job (decimate.ts): smoothing runs on the vertex order and
// half-edges the decimation makes first.
import { decimateJob, type DecimateJob, type DecimateResult, type PartitionStep } from './decimate';
import { gridBytes, sampleStride, type DistanceSum, type TriangleGrid } from './deviation';
import { typed, type Arena } from './memory';
import type { MeshReport } from './meshCheck';
import { splitRange } from './split';
import type { Mesh } from './types';

/** How much of the full-resolution surface to keep. */
export type Detail =
  | { kind: 'full' }
  /** keep this fraction of the triangles (dicom2stl's default reduction of 90 % is keep 0.1) */
  | { kind: 'fraction'; keep: number }
  /** remove triangles while the surface stays within this distance of the full-resolution one */
  | { kind: 'tolerance'; mm: number };

export interface RefineOptions {
  /** Taubin λ/μ iterations; 0 turns smoothing off (dicom2stl's default is 25) */
  smoothing: number;
  detail: Detail;
}

export const DEFAULT_REFINE: RefineOptions = { smoothing: 25, detail: { kind: 'fraction', keep: 0.1 } };

export interface RefineResult {
  mesh: Mesh;
  report: MeshReport;
  trianglesIn: number;
  /**
   * How far decimation moved the surface, measured while the caller already shows or writes the mesh
   * (see refineOnPool for when it rejects); resolved at once when nothing was removed.
   */
  deviation: Promise<Deviation>;
  stages: StageTiming[];
}

/** How far decimation moved the surface. */
export interface Deviation {
  /**
   * The largest distance (mm) from a vertex of either mesh to the other's surface, over up to 50,000
   * evenly spread vertices each way; 0 when nothing was removed.
   */
  mm: number;
  /**
   * What measuring it took (ms): on the pool, the wall time from the decimation's end to the figure
   * (it overlaps the check and whatever the caller does meanwhile); 0 when nothing was measured.
   */
  ms: number;
}

/** The deviation of a mesh nothing was removed from. */
const NO_DEVIATION: Deviation = { mm: 0, ms: 0 };

export interface StageTiming {
  name: string;
  ms: number;
}

/** What a worker of the pool offers these stages (see workers/meshApi.ts). Results may be promises (comlink). */
export interface RefineWorker {
  /** thread `thread`'s share of a decimation job's smoothing (its stages 1–2 with it), then of its decimation (see decimate.ts) */
  smoothPart(job: DecimateJob, thread: number): StageTiming[] | null | Promise<StageTiming[] | null>;
  decimatePart(job: DecimateJob, thread: number): DecimateResult | null | Promise<DecimateResult | null>;
  /** a triangle grid of `surface` (in shared memory), and distances from some `points` to it (see deviation.ts) */
  triangleGrid(surface: Mesh, points: Float32Array, scratch?: Uint8Array): TriangleGrid | Promise<TriangleGrid>;
  distances(points: Float32Array, surface: Mesh, grid: TriangleGrid | null, stride: number, from: number, to: number, seen?: Int32Array): DistanceSum | Promise<DistanceSum>;
  check(mesh: Mesh): MeshReport | Promise<MeshReport>;
}

export type Timed = <R>(name: string, f: () => Promise<R>) => Promise<R>;

/** How far a build is: the stage running and, where the stage can tell, the share of it done. */
export interface BuildProgress {
  stage: string;
  /** 0…1; absent at the start of a stage, and for stages that cannot tell */
  fraction?: number;
}

export type OnProgress = (p: BuildProgress) => void;

/** How often progress kept in shared memory (smoothing, decimation) is read while a stage runs. */
const POLL_MS = 150;

/**
 * Awaits `work`, calling `report` every POLL_MS meanwhile and once at the end (progress the threads
 * write to shared memory). `signal` stops the polling when the caller gives up on the build (its
 * workers terminated, `work` then never settles).
 */
async function polled<R>(work: Promise<R>, report: (() => void) | null, signal?: AbortSignal): Promise<R> {
  if (!report || signal?.aborted) return work;
  const timer = setInterval(report, POLL_MS);
  const stop = () => clearInterval(timer);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const r = await work;
    report();
    return r;
  } finally {
    stop();
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Smoothing → decimation → check over every thread, on the mesh in shared memory: smoothing by vertex
 * ranges, decimation by spatial partitions (see decimate.ts). The decimated mesh comes back in plain
 * memory as soon as it is checked; its deviation is measured meanwhile and after, its samples split
 * over the threads (see deviationOnPool), and comes as a promise. That promise rejects with
 * `signal.reason` when `signal` aborts first (the caller gave up on the build and terminated its
 * workers, so the measurement would never settle), and with a worker's error if one fails; it is
 * marked handled, so a caller that never reads it leaves no unhandled rejection behind.
 *
 * A next build may start on the same workers while the deviation is still measured: no deadlock is
 * possible. The deviation's tasks (a grid, distances) never wait for another thread; only smoothing's
 * and decimation's parts meet at barriers, and each of those jobs is posted to every thread in one
 * synchronous step (threads.map), so every worker's queue (comlink calls run one at a time, in the
 * order posted) holds any two barrier jobs in the same order, with only finite tasks between: the
 * earliest barrier job posted reaches all its threads, and so on. The deviation's later tasks only
 * queue behind the next build's (pipeline.test.ts builds twice back to back).
 */
export async function refineOnPool(
  threads: RefineWorker[],
  mesh: Mesh,
  opts: RefineOptions,
  arena: Arena,
  timed: Timed,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<RefineResult & { decimationStages: StageTiming[]; decimationSteps: PartitionStep[] }> {
  const reporter = (stage: string, fraction: () => number) => (onProgress ? () => onProgress({ stage, fraction: Math.min(1, Math.max(0, fraction())) }) : null);
  const T = threads.length;
  const trianglesIn = mesh.indices.length / 3;
  // (smoothed in place by the decimation job's smoothing, when there is one)
  const smoothed = mesh;
  const d = opts.detail;
  let out = smoothed;
  let decimationStages: StageTiming[] = [];
  let decimationSteps: PartitionStep[] = [];
  const decimateWith = async (name: string, options: Parameters<typeof decimateJob>[1]) => {
    const job = decimateJob(mesh, { ...options, smoothing: { iterations: opts.smoothing } }, T, arena.alloc);
    let before: StageTiming[] = [];
    if (opts.smoothing > 0) {
      const steps = reporter('smoothing', () => Atomics.load(job.smoothed, 0) / opts.smoothing);
      before = (await timed('smoothing', () => polled(Promise.all(threads.map((w, i) => w.smoothPart(job, i))), steps, signal)))[0]!;
    }
    // the share of the triangles to remove that are gone (the passes store the triangles left; 0:
    // no pass yet); a tolerance has no such share
    const left = () => Atomics.load(job.progress, 0) || trianglesIn;
    const passes = options.targetTriangles === undefined ? null : reporter(name, () => (job.target >= trianglesIn ? 0 : (trianglesIn - left()) / (trianglesIn - job.target)));
    const results = await timed(name, () => polled(Promise.all(threads.map((w, i) => w.decimatePart(job, i))), passes, signal));
    const { P, Q, N, I, opp, outStart, outList, vOut, moved, marks } = job;
    arena.giveBack(P, Q, N, I, opp, outStart, outList, vOut, moved, marks);
    decimationStages = [...before, ...results[0]!.stages];
    decimationSteps = results[0]!.steps;
    return results[0]!.mesh;
  };
  if (d.kind === 'full' && opts.smoothing > 0) {
    // no reduction, but the vertices smoothing pulled onto one point still merge (see decimate)
    out = await decimateWith('cleanup', { targetTriangles: trianglesIn });
  } else if (d.kind !== 'full') {
    out = await decimateWith('decimation', d.kind === 'fraction' ? { targetTriangles: Math.round(trianglesIn * d.keep) } : { maxDeviationMm: d.mm });
    const t0 = performance.now();
    // the check and the deviation on one shared copy; the check is posted first, so that the
    // deviation's task on its thread queues behind it, not it behind the deviation's
    const decimated = {
      positions: typed(Float32Array, arena.alloc, out.positions.length),
      indices: typed(Uint32Array, arena.alloc, out.indices.length),
    };
    decimated.positions.set(out.positions);
    decimated.indices.set(out.indices);
    // (the deviation's memory, the full smoothed mesh, its grid and this copy, is then referenced by
    // the measurement alone, and garbage once it settles: nothing is allocated from this build's
    // arena once it settles, so there is nothing to give back to)
    const checked = timed('check', async () => threads[T - 1].check(decimated));
    const deviation = settledOrAborted(deviationOnPool(threads, smoothed, decimated, arena), t0, signal);
    return { mesh: out, report: await checked, trianglesIn, deviation, stages: [], decimationStages, decimationSteps };
  }
  // the UI gets plain memory (WebGL buffers and Blobs may refuse shared memory)
  if (out === mesh) out = { positions: new Float32Array(mesh.positions), indices: new Uint32Array(mesh.indices) };
  const report = await timed('check', async () => threads[0].check(out));
  return { mesh: out, report, trianglesIn, deviation: Promise.resolve(NO_DEVIATION), stages: [], decimationStages, decimationSteps };
}

/**
 * The deviation measured by `work` (started at `t0`) as refineOnPool hands it out: rejected with
 * `signal.reason` if the signal aborts first, and marked handled.
 */
function settledOrAborted(work: Promise<number>, t0: number, signal?: AbortSignal): Promise<Deviation> {
  const deviation = new Promise<Deviation>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = () => reject(signal!.reason);
    signal?.addEventListener('abort', abort, { once: true });
    work
      .then((mm) => resolve({ mm, ms: performance.now() - t0 }), reject)
      .finally(() => signal?.removeEventListener('abort', abort));
  });
  deviation.catch(() => {}); // (whoever reads it sees the rejection; nobody reading it is no error)
  return deviation;
}

/**
 * How far decimation moved the surface (see Deviation.mm), over the threads: the grid of the full
 * surface is built once in shared memory while another thread measures the decimated surface's side;
 * then the full surface's samples are split over all threads.
 */
async function deviationOnPool(threads: RefineWorker[], full: Mesh, decimated: Mesh, arena: Arena, maxSamples = 50_000): Promise<number> {
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
  const seen = () => typed(Int32Array, arena.alloc, full.indices.length / 3);
  const parts = await Promise.all(ranges.map(([a, b], i) => threads[i].distances(decimated.positions, full, grid, sd, a * sd, b * sd, seen())));
  return Math.max(fullToDecimated.maxMm, ...parts.map((p) => p.maxMm));
}
