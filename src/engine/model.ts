// Building the model over the mesh pool (refused before its mesh is made when the tab could not hold
// it), cancelling a build, and writing the model as a file.
import { coarsenEdits } from '../../workers/core/maskEdits';
import { buildMesh, type MeshOptions, type MeshResult, type OnProgress } from '../../workers/core/pipeline';
import { reserveBytes } from '../../workers/core/meshEstimate';
import { DEFAULT_REFINE } from '../../workers/core/refine';
import { MemoryReserve } from '../../workers/core/reserve';
import type { Placement } from '../../workers/core/placement';
import { sharedBytes } from '../../workers/core/sharedMemory';
import { splitRange } from '../../workers/core/split';
import type { Mesh, ThresholdRange, Vec3, Volume } from '../../workers/core/types';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import { MEMORY_PER_VOLUME_BYTE, tabMemoryBudget } from '../../workers/intake/limits';
import { Aborted } from './bridge';
import { meshPool } from './workers';

/** Rejection of a build stopped by cancelBuild(). */
export class BuildCancelled extends Aborted {
  constructor() {
    super('Build cancelled');
    this.name = 'BuildCancelled';
  }
}

/**
 * Memory a build may take in this tab: the scan's share of the tab (the scan budget ×
 * MEMORY_PER_VOLUME_BYTE, as limits.ts sizes it; so `?memoryBudgetMiB` scales it too) less what stays
 * held while it runs: the volume (2 bytes a voxel), the slice overlay's mask of what will print (1 byte
 * a voxel) and, for a half-resolution model, the averaged copy (2 bytes per 8 voxels). Cornerstone's
 * slice views hold no copy of the voxels in the page (they draw from views over the shared volume; see
 * Viewer.tsx). The app's own memory (~150 MB in Chromium before a scan, bench --browser) is outside
 * that share, as in limits.ts (a small `?memoryBudgetMiB` would otherwise leave no build any room).
 */
export function buildAllowance(volume: Volume, resolution: MeshOptions['resolution']): number {
  const voxels = volume.data.length;
  const held = 2 * voxels + voxels + (resolution === 'half' ? voxels / 4 : 0);
  return tabMemoryBudget().bytes * MEMORY_PER_VOLUME_BYTE - held;
}

/**
 * Threshold → (largest piece) → size estimate → closed surface → smoothing → decimation → check,
 * over the worker pool. Rejects with ModelTooLarge (see pipeline.ts) before the surface is made when
 * the estimate exceeds buildAllowance (unless `allowLarge`), and with BuildCancelled when
 * cancelBuild() is called meanwhile. `onProgress` hears each stage and, where it can tell, how far it is.
 * The result comes once the mesh is checked; its deviation later (measure "deviation" from "mesh-start"
 * when it comes), or rejects with Aborted when the pool's workers are stopped before (cancelBuild()
 * of a next build, or a worker failing).
 */
export async function makeMesh(
  volume: Volume,
  range: ThresholdRange,
  options: MeshOptions & { allowLarge?: boolean },
  onProgress?: OnProgress,
): Promise<MeshResult> {
  return asBuild(() => build(volume, range, options, onProgress));
}

/** Builds running now (a model's or segments'), and who waits for none to run (see buildsIdle). */
let building = 0;
const idle: (() => void)[] = [];

/** Runs `work` (a build over the mesh pool) counted as a build: see buildsIdle. */
export async function asBuild<T>(work: () => Promise<T>): Promise<T> {
  building++;
  try {
    return await work();
  } finally {
    if (--building === 0) for (const resolve of idle.splice(0)) resolve();
  }
}

/**
 * Resolves at once when no build runs, else when the last one running ends (finished, failed or
 * cancelled). Print preparation's measures wait for it between chunks, so a build has the cores.
 */
export function buildsIdle(): Promise<void> {
  return building === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve));
}

async function build(volume: Volume, range: ThresholdRange, options: MeshOptions & { allowLarge?: boolean }, onProgress?: OnProgress): Promise<MeshResult> {
  const start = performance.mark('mesh-start');
  const { allowLarge, ...rest } = options;
  let vol = volume;
  let opts: MeshOptions = { ...rest, maxBuildBytes: allowLarge ? undefined : buildAllowance(volume, options.resolution), reserve: reserve ?? undefined };
  if (options.resolution === 'half') {
    onProgress?.({ stage: 'half resolution' });
    vol = await halfResolution(volume);
    opts = { ...opts, ...coarsenEdits(options, volume.dims, HALF, vol.dims) };
  }
  // (whether this build holds the reserve: one that another build holds gives it none; see reserve.ts)
  const reserved = opts.reserve && !opts.reserve.busy ? opts.reserve : null;
  // (a stopped pool's calls never settle: the signal, aborted when the workers of this build stop,
  // ends the progress polling of a cancelled build and rejects the deviation of a finished one)
  const stopped = new AbortController();
  meshPool.failure.catch((e) => stopped.abort(e));
  const result = await meshPool.run(async (workers) => {
    const r = await buildMesh(workers, vol, range, opts, onProgress, stopped.signal);
    // (its deviation is still measured on these workers: they are renewed once it is in, and held
    // from here, before the run ends, so that a renewal waiting for the run never cuts it off)
    meshPool.held(r.deviation).then(renewBuildPool, () => {}); // (rejected: the workers were stopped, and start afresh)
    return r;
  });
  performance.measure('mesh', 'mesh-start');
  // what it took from the reserve, once its deviation no longer reads that memory
  if (reserved) result.deviation.finally(() => performance.mark('build-memory-used', { detail: { bytes: reserved.bytes, used: reserved.used, beyond: reserved.overflow } })).catch(() => {});
  // each stage of the build as a measure "mesh: <stage>", laid end to end from the build's start (the
  // stages run one after the other; the bench reads their durations)
  let at = start.startTime;
  for (const stage of result.stages) {
    performance.measure(`mesh: ${stage.name}`, { start: at, duration: stage.ms });
    at += stage.ms;
  }
  // (from this build's start: a next build may have marked "mesh-start" again meanwhile)
  result.deviation.then(() => performance.measure('deviation', { start: start.startTime }), () => {});
  return result;
}

/**
 * Gives the mesh pool fresh workers after a build, once they are idle and no other build runs (then
 * started and warmed as readyBuildPool does): every build runs on workers that have not built before,
 * as the first one does. The second build on the same workers ran slower than the first and the
 * third: in the page on the head CT (3 pages of 3 builds, each started once the last model's print
 * measures were done), the second took 2.90–3.69 s against the first's 2.37–3.26 s and the third's
 * 2.45–2.69 s, its smoothing, decimation and check all slower (check 203–294 ms against 58–106); on
 * fresh workers the second took 2.44–2.91 s and the third 2.47–2.83 s. In Node, two worker threads'
 * later decimations of that CT took 1.38–1.52 s against their first's 1.22 s (fresh threads each
 * time: 1.19–1.41 s).
 */
export function renewBuildPool(): void {
  if (building > 0) return; // (that build renews them when it ends)
  meshPool.renew();
  readyBuildPool();
}

let readied = 0;

/**
 * Starts the build's workers now, ahead of the build (called once a scan's live preview is up, and
 * after a cancelled build): in a page a worker takes 150–200 ms to start, which the first build used
 * to wait for (the pool restarts when a scan loads, see scan.ts). Once the page is idle, each
 * compiles the mask, isosurface and check kernels on a small phantom (see warmUp.ts): on the head CT
 * the first build's isosurface took 321 ms without, 214 ms with, its check 150 and 89 ms (medians of
 * 5 pages each, taken in turns).
 */
export function readyBuildPool(): void {
  const ready = ++readied;
  meshPool.remotes();
  const warm = () => {
    // (a newer call restarted the pool meanwhile and warms its own workers; a build running now
    // compiles the kernels itself, and must not wait behind this)
    if (ready !== readied || building > 0) return;
    for (const b of meshPool.bridges) if (b.started) warmRounds(b, ready).catch(() => {}); // (aborted: the next workers warm up)
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 3000 });
  else setTimeout(warm, 1000);
}

/**
 * A worker's warm-up, a round a call until it says none is left, or a build starts or the pool is
 * readied again: a build asked for meanwhile waits for one round at most.
 */
async function warmRounds(b: (typeof meshPool.bridges)[number], ready: number): Promise<void> {
  for (let left = 1; left > 0 && ready === readied && building === 0; ) left = await b.run((w) => w.warmIsosurface());
}

/** Stops the build running now at once (its workers are terminated and start again, see readyBuildPool). */
export function cancelBuild(): void {
  meshPool.abort();
  readyBuildPool();
  // the half-resolution copy may have been half written
  half = null;
}

/** Drops what a scan left in the engine: the half-resolution copy and the build's reserve (the caller stops builds first). */
export function forgetModelInputs(): void {
  half = null;
  releaseBuildMemory();
}

/**
 * Memory set aside for this scan's next build, mapped while the page is idle (see reserve.ts). It
 * stays between builds (a build's memory, held while the model is looked at, as the tab's allowance
 * for a build already counts it), and goes when other work needs memory: a scan loading, a denoised
 * copy, the segments' meshes (releaseBuildMemory), the scan closed.
 */
let reserve: MemoryReserve | null = null;

/** Lets the reserve go (a build holding it keeps it until its end; the next overlay mask sets one aside again). */
export function releaseBuildMemory(): void {
  reserve = null;
}

/** Bytes a worker maps per call: about 12 ms of page faults here, so a build waits little behind one. */
const MAP_CHUNK = 4 << 20;

/**
 * Sets the next build's memory aside and maps it on the build's idle workers, sized by the mask of
 * what will print (the slice overlay's, made once the user stops changing the settings; see
 * useLiveMask): its crossed grid edges give the mesh, and the mesh the arrays its build takes
 * (meshEstimate.ts reserveBytes, at the default smoothing and detail). A reserve within a quarter
 * above that size is kept; none is made for a build over the tab's allowance. The build draws from
 * the reserve first, so the page faults of its new memory (about 1.5 s of CPU on the 157 Mvox
 * phantom) happen here instead. Measured as 'build-memory' once every page is mapped.
 */
export async function reserveBuildMemory(volume: Volume, range: ThresholdRange, mask: Uint8Array): Promise<void> {
  if (building > 0) return;
  const slices = splitRange(volume.dims[2], meshPool.size);
  const counts = await Promise.all(meshPool.bridges.map((b, i) => b.run((w) => w.countCrossings(volume, range, mask, slices[i]))));
  const crossings = counts.reduce((a, c) => a + c, 0);
  const shape = { voxels: volume.data.length, mask: true, smoothing: DEFAULT_REFINE.smoothing, detail: DEFAULT_REFINE.detail, threads: meshPool.size };
  const bytes = reserveBytes(crossings, shape);
  if (reserve?.busy || building > 0) return; // (a build started meanwhile, or holds it: the next mask sizes it again)
  if (bytes > buildAllowance(volume, 'full')) {
    reserve = null;
    return;
  }
  if (reserve && reserve.bytes >= bytes && reserve.bytes <= 1.25 * bytes) return;
  const r = (reserve = new MemoryReserve(bytes));
  const t0 = performance.now();
  const chunks = r.chunks(MAP_CHUNK);
  let next = 0;
  const stillWanted = () => reserve === r && building === 0;
  await Promise.all(
    meshPool.bridges.map(async (b) => {
      while (next < chunks.length && stillWanted()) {
        const chunk = chunks[next++];
        await b.run((w) => w.mapPages(chunk));
      }
    }),
  );
  if (next === chunks.length && reserve === r) performance.measure('build-memory', { start: t0, detail: { bytes: r.bytes } });
}

/** makeMesh's rejection when cancelBuild() stopped it. */
export const wasCancelled = (e: unknown): boolean => e instanceof Aborted;

const HALF: Vec3 = [2, 2, 2];
let half: { of: WeakRef<Volume>; vol: Volume } | null = null; // (weak: a dropped denoised copy must not stay alive here)

/** The volume averaged over 2 × 2 × 2 blocks, in shared memory, made once per volume. */
async function halfResolution(volume: Volume): Promise<Volume> {
  if (half?.of.deref() === volume) return half.vol;
  const n = volume.dims.reduce((p, d) => p * Math.ceil(d / 2), 1);
  const data = new Int16Array(sharedBytes(2 * n));
  const geometry = await meshPool.bridges[0].run((w) => w.downsample(volume, HALF, data));
  half = { of: new WeakRef(volume), vol: { ...geometry, data } };
  return half.vol;
}

/**
 * The model as a file, written in a worker. `name` (series description and preset, never patient
 * data) goes into the file's header or title.
 */
export async function exportModel(mesh: Mesh, format: MeshFormat, name: string, placement: Placement): Promise<{ parts: Uint8Array<ArrayBuffer>[]; bytes: number; mime: string }> {
  // the writers allocate plain ArrayBuffers (never shared), as Blob needs
  const writer = meshPool.bridges[meshPool.size - 1];
  const parts = (await writer.run((w) => w.write(mesh, format, name, placement))) as Uint8Array<ArrayBuffer>[];
  const mime = MESH_FORMATS.find((f) => f.format === format)!.mime;
  return { parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0), mime };
}
