// npm run bench -- [--threshold HU] [--reduce 0.9 | --tolerance MM] [--smooth N] [--workers N] [--all-pieces] [--fill]
//                  [--runs N] [--peers] [--scaling] [--no-reserve] [--synth-load] [--browser] [--browser-runs N] [--json FILE] INPUT...
// INPUT: phantom:WxHxD (the generated head phantom), a DICOM folder, or a NIfTI file (.nii, .nii.gz).
// Runs the core pipeline in Node with the worker split the browser uses and prints per-stage figures.
// --runs N runs the pipeline N times per input (default 1) and prints the median of each stage. Each
//   run has worker threads of its own, started before its load and warmed after it (warmUp.ts), as the
//   app's are before a build while the page is idle (readyBuildPool); the warm-up is not in the times.
//   Then, as the app does once its overlay's mask is made, the build's memory is set aside and mapped
//   (reserveBuildMemory; not timed either); --no-reserve builds in new memory instead.
// Per stage it prints wall ms, the CPU ms of the whole process (every thread), the peak RSS during
// the stage (Linux: VmHWM, reset at each stage; from the first run) and the page faults, and the
// decimation's own stages (thread 0's view). The header gives what a first touch of fresh memory
// costs at the time (µs a page), which varies from day to day on this VM.
// --peers also runs niimath's WebAssembly mesher and a dicom2stl-like VTK pipeline on the same volume
//   with comparable settings (bench/peers.ts) and prints the ratios.
// --scaling also runs the pipeline on one worker, in turns with the runs on --workers (each pair in the
//   same minute: this VM's speed drifts from minute to minute), and prints each stage's ratio; the
//   median one-worker run projected onto 2, 4 and 8 workers (bench/projection.ts: split stages divided,
//   single-thread ones kept, the collapse passes step by step from their partitions' times); then
//   what the machine itself gives on that many threads (bench/threadScaling.ts).
// --synth-load loads the synthetic 300-slice 512² CT series (bench/synthSeries.ts: written to the temp
//   folder on first use, ~10 s, then reused; SYNTH_SLICES=800 in the environment makes it 800 slices)
//   in Node, checks the volume against the phantom, and prints files/s, MB/s and the peak RSS over the
//   RSS before the load. Without INPUTs only this runs.
// --browser also measures in Chromium (bench/browser.ts; ~1 min, plus ~20 s per synthetic run): the
//   live-editing latencies on the demo phantom, the first render of the abdomen CT folder and the build
//   of its model, and issue 4's
//   target: the synthetic series opened --browser-runs times (default 3) in fresh pages, until the axial
//   view shows it, with the app's load measures, the phases and the CPU time by thread; then "Make 3D
//   model" in that page, its stages and the CPU time by thread. The memory comes from one more such page
//   whose processes' PSS is sampled every 50 ms (Linux /proc): peaks by phase, after the load, at the
//   build's peak and after it. That sampling walks the page tables and slows the page by seconds, so no
//   time is taken from it. `--synth-load --browser` without INPUTs skips the Node pipeline.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { makeHeadPhantom } from '../workers/core/phantom';
import { buildMesh, type MeshOptions, type MeshResult } from '../workers/core/pipeline';
import { needsMask, printMask } from '../workers/core/maskEdits';
import { countCrossings, reserveBytes } from '../workers/core/meshEstimate';
import { MemoryReserve } from '../workers/core/reserve';
import { sharedBytes } from '../workers/core/sharedMemory';
import { writeBinaryStl } from '../workers/core/stl';
import type { Vec3, Volume } from '../workers/core/types';
import { createNodePool } from '../workers/nodePool';
import { listFiles, loadDicomFolderNode } from '../workers/intake/nodeLoad';
import { readNifti } from '../workers/intake/nifti';
import type { Detail, StageTiming } from '../workers/core/refine';
import type { ProcessCpu, ProcessMemory, SynthRun } from './browser';
import { peakRssMb, resetPeakRss, rssMb } from './procfs';
import { runPeers, type PeerResult } from './peers';
import { threadScaling } from './threadScaling';
import { buildOn, passesOn } from './projection';
import { loadavg } from 'node:os';
import { checkSynthLoad, ensureSynthSeries, SYNTH_DIMS, type SynthSeries } from './synthSeries';

interface Args {
  threshold: number;
  workers: number;
  keepLargest: boolean;
  fillCavities: boolean;
  synthLoad: boolean;
  browser: boolean;
  browserRuns: number;
  smoothing: number;
  detail: Detail;
  json: string | null;
  runs: number;
  peers: boolean;
  scaling: boolean;
  reserve: boolean;
  inputs: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    threshold: 300,
    workers: availableParallelism(),
    keepLargest: true,
    fillCavities: false,
    synthLoad: false,
    browser: false,
    browserRuns: 3,
    smoothing: 25,
    detail: { kind: 'fraction', keep: 0.1 },
    json: null,
    runs: 1,
    peers: false,
    scaling: false,
    reserve: true,
    inputs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    if (k === '--threshold') a.threshold = Number(value());
    else if (k === '--workers') a.workers = Math.max(1, Number(value()));
    else if (k === '--all-pieces') a.keepLargest = false;
    else if (k === '--fill') a.fillCavities = true;
    else if (k === '--no-reserve') a.reserve = false;
    else if (k === '--synth-load') a.synthLoad = true;
    else if (k === '--browser') a.browser = true;
    else if (k === '--browser-runs') a.browserRuns = Math.max(1, Number(value()));
    else if (k === '--smooth') a.smoothing = Math.max(0, Number(value()));
    else if (k === '--reduce') {
      const r = Number(value());
      a.detail = r > 0 ? { kind: 'fraction', keep: 1 - r } : { kind: 'full' };
    } else if (k === '--tolerance') a.detail = { kind: 'tolerance', mm: Number(value()) };
    else if (k === '--json') a.json = value();
    else if (k === '--runs') a.runs = Math.max(1, Number(value()));
    else if (k === '--peers') a.peers = true;
    else if (k === '--scaling') a.scaling = true;
    else if (k.startsWith('--')) throw new Error(`unknown option ${k}`);
    else a.inputs.push(k);
  }
  if (!a.inputs.length && !a.synthLoad) a.inputs.push('phantom:256x256x160');
  return a;
}

/** Files and bytes read by a load (phantom: none). */
function inputSize(input: string): { files: number; bytes: number } {
  if (input.startsWith('phantom:')) return { files: 0, bytes: 0 };
  if (statSync(input).isFile()) return { files: 1, bytes: statSync(input).size };
  const files = listFiles(input);
  return { files: files.length, bytes: files.reduce((s, f) => s + statSync(f).size, 0) };
}

async function load(input: string): Promise<Volume> {
  const m = /^phantom:(\d+)x(\d+)x(\d+)$/.exec(input);
  if (m) {
    const dims = [Number(m[1]), Number(m[2]), Number(m[3])] as Vec3;
    return makeHeadPhantom({ dims, data: new Int16Array(sharedBytes(dims[0] * dims[1] * dims[2] * 2)) });
  }
  if (statSync(input).isFile()) {
    const bytes = readFileSync(input);
    return readNifti(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), input, (n) => new Int16Array(sharedBytes(2 * n))).volume;
  }
  return (await loadDicomFolderNode(input)).volume;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/**
 * Per stage (as onStage names them): CPU ms of the whole process, the peak RSS (MB) during it and the
 * page faults of all its threads (thousands: each a first touch of fresh memory, see firstTouchUs).
 */
function stageMeter() {
  const out: { name: string; cpuMs: number; peakRssMb: number; faultsK: number }[] = [];
  let name = '';
  let cpu = process.cpuUsage();
  let faults = process.resourceUsage().minorPageFault;
  const close = () => {
    if (!name) return;
    const c = process.cpuUsage(cpu);
    out.push({ name, cpuMs: (c.user + c.system) / 1000, peakRssMb: peakRssMb(), faultsK: (process.resourceUsage().minorPageFault - faults) / 1000 });
    name = '';
  };
  return {
    stage(next: string) {
      close();
      name = next;
      cpu = process.cpuUsage();
      faults = process.resourceUsage().minorPageFault;
      resetPeakRss();
    },
    close,
    out,
  };
}

/**
 * What the first touch of fresh memory costs now, µs per 4 KiB page: 64 MB allocated and written one
 * byte a page, the median of 3. On this VM it was 3 µs on some days and 11–15 on others (a page fault
 * with its zeroing usually costs well under 1 µs outside a VM), and every stage that takes new memory
 * pays it: the page faults per stage are printed beside it.
 */
function firstTouchUs(): number {
  const times = [0, 1, 2].map(() => {
    const t = performance.now();
    const a = new Uint8Array(64 << 20);
    for (let i = 0; i < a.length; i += 4096) a[i] = 1;
    return ((performance.now() - t) * 1000) / (a.length / 4096);
  });
  return median(times);
}

const afterFile = (ms: number) => (ms >= 0 ? `${ms.toFixed(0)} ms after the file was written` : `${(-ms).toFixed(0)} ms before the file was written`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function runOnce(input: string, args: Args, pool: ReturnType<typeof createNodePool>) {
  const meter = stageMeter();
  const baseRssMb = rssMb();
  resetPeakRss();
  meter.stage('load');
  let t = performance.now();
  const vol = await load(input);
  const stages: { name: string; ms: number }[] = [{ name: 'load', ms: performance.now() - t }];
  // the workers' kernels compiled as the app's are while the page is idle, before the build (readyBuildPool)
  meter.stage('warm-up (not timed)');
  await Promise.all(pool.workers.map(async (w) => {
    for (let left = 1; left > 0; ) left = await w.warmIsosurface();
  }));
  const range = { lower: args.threshold, upper: 32767 };
  const opts = { keepLargest: args.keepLargest, fillCavities: args.fillCavities, smoothing: args.smoothing, detail: args.detail };
  // the build's memory set aside and mapped, as the app does once the overlay's mask is made
  // (reserveBuildMemory in src/engine/model.ts); not timed either
  meter.stage('reserve (not timed)');
  const reserve = args.reserve ? await reserveLikeTheApp(pool.workers, vol, range, opts) : undefined;
  // wall time after the load to the file written, measured as a whole; the deviation is measured in
  // the workers from the decimation's end, beside the check and the write and maybe after them: its
  // own time is a stage that overlaps them, and when it is known is timed apart
  const loaded = performance.now();
  const result = await buildMesh(
    pool.workers,
    vol,
    range,
    { ...opts, reserve },
    // (a stage's start; its progress comes with a fraction)
    (p) => p.fraction === undefined && meter.stage(p.stage),
  );
  const known = result.deviation.then((d) => ({ ...d, afterLoadMs: performance.now() - loaded }));
  stages.push(...result.stages);
  meter.stage('write');
  t = performance.now();
  const stl = writeBinaryStl(result.mesh);
  stages.push({ name: 'write', ms: performance.now() - t });
  const afterLoadMs = performance.now() - loaded;
  meter.stage('deviation (its rest)');
  const deviation = await known;
  meter.close();
  stages.push({ name: 'deviation', ms: deviation.ms });
  const reserved = reserve ? { mb: reserve.bytes / 1e6, usedMb: reserve.used / 1e6, beyondMb: reserve.overflow / 1e6 } : null;
  return { vol, result, stl, stages, afterLoadMs, deviation, reserved, meter: meter.out, baseRssMb, peakRssMb: Math.max(...meter.out.map((m) => m.peakRssMb)) };
}

/**
 * What the app does before a build while the page is idle (reserveBuildMemory): the mask of what will
 * print (the app's slice overlay) and its crossed grid edges, a MemoryReserve of the size they give,
 * its pages mapped over the workers. The mask is made and counted on this thread and dropped: the app
 * keeps its overlay's, which the bench has no use for, and a worker that was sent it would keep it
 * alive until its own garbage collection.
 */
async function reserveLikeTheApp(workers: ReturnType<typeof createNodePool>['workers'], vol: Volume, range: { lower: number; upper: number }, opts: MeshOptions) {
  let mask: Uint8Array | null = new Uint8Array(vol.data.length);
  printMask(vol, range, opts, mask);
  const crossings = countCrossings(vol, range, mask);
  mask = null;
  // (collected only once this task has ended: the first collection still found it alive)
  const gc = (globalThis as { gc?: () => void }).gc;
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc?.();
  const shape = { voxels: vol.data.length, mask: needsMask(opts), smoothing: opts.smoothing, detail: opts.detail, threads: workers.length };
  const reserve = new MemoryReserve(reserveBytes(crossings, shape));
  const chunks = reserve.chunks(4 << 20);
  let next = 0;
  await Promise.all(workers.map(async (w) => {
    while (next < chunks.length) await w.mapPages(chunks[next++]);
  }));
  return reserve;
}

async function benchOne(input: string, args: Args) {
  type Run = Omit<Awaited<ReturnType<typeof runOnce>>, 'vol'>;
  const runs: Run[] = [];
  /** with --scaling: the runs on one worker, each just before the run of the same index in `runs` */
  const single: Run[] = [];
  // each run lets go of the volume of the one before: only the last run's volume is kept, for the peers
  let vol = null as Volume | null; // (set by runOn)
  // each run on fresh worker threads, as the app gives every build fresh workers (renewBuildPool in
  // src/engine/model.ts): a thread's later decimations run slower than its first
  const runOn = async (workers: number, into: Run[]) => {
    vol = null;
    (globalThis as { gc?: () => void }).gc?.();
    const pool = createNodePool(workers);
    try {
      const { vol: v, ...run } = await runOnce(input, args, pool);
      vol = v;
      into.push(run);
    } finally {
      await pool.close();
    }
  };
  for (let r = 0; r < args.runs; r++) {
    if (args.scaling) await runOn(1, single);
    await runOn(args.workers, runs);
  }
  if (!vol) throw new Error('--runs must be at least 1');
  const { result, stl } = runs[0];
  const stages = runs[0].stages.map((s, i) => ({ name: s.name, ms: median(runs.map((r) => r.stages[i]?.ms ?? NaN)) }));
  const meter = runs[0].meter.map((m, i) => ({
    name: m.name,
    cpuMs: median(runs.map((r) => r.meter[i]?.cpuMs ?? NaN)),
    peakRssMb: m.peakRssMb,
    faultsK: median(runs.map((r) => r.meter[i]?.faultsK ?? NaN)),
  }));
  const decimationStages = (result.decimationStages ?? []).map((s, i) => ({ name: s.name, ms: median(runs.map((r) => r.result.decimationStages?.[i]?.ms ?? NaN)) }));
  const read = inputSize(input);
  const loadMs = stages[0].ms;
  if (read.files)
    console.log(
      `\nload: ${read.files} files, ${(read.bytes / 1e6).toFixed(1)} MB in ${loadMs.toFixed(0)} ms = ` +
        `${((read.files * 1000) / loadMs).toFixed(0)} files/s, ${(read.bytes / 1e3 / loadMs).toFixed(0)} MB/s`,
    );
  const voxels = vol.data.length;
  const volumeMb = (voxels * 2) / 1e6;
  const report = result.report;
  const afterLoadMs = median(runs.map((r) => r.afterLoadMs));
  const deviationKnownMs = median(runs.map((r) => r.deviation.afterLoadMs));
  const deviationMm = runs[0].deviation.mm;
  const totalMs = loadMs + afterLoadMs;
  // the pipeline's memory, from the first run only (a fresh process): later runs start on what the runs
  // before left for the garbage collector, the worker threads' too, which keep the last volume's shared
  // memory until they collect (a later run of the 157 Mvox phantom peaked 590 MB above its first)
  const peakRssMb = runs[0].peakRssMb;
  const touchUs = firstTouchUs();
  const buildFaultsK = meter.filter((m) => m.name !== 'load' && !m.name.endsWith('(not timed)')).reduce((sum, m) => sum + m.faultsK, 0);
  const idleMb = runs[0].baseRssMb;
  const overIdleMb = runs[0].peakRssMb - idleMb;
  const load = loadavg();

  const detail = args.detail.kind === 'full' ? 'no decimation' : args.detail.kind === 'fraction' ? `keep ${args.detail.keep * 100} %` : `tolerance ${args.detail.mm} mm`;
  console.log(
    `\n${input}: ${vol.dims.join(' × ')} = ${(voxels / 1e6).toFixed(1)} Mvox, threshold ${args.threshold} HU, ` +
      `${args.smoothing} smoothing iterations, ${detail}, ${args.workers} workers` +
      (args.runs > 1 ? `, median of ${args.runs} runs` : '') +
      `, load average ${load.map((x) => x.toFixed(1)).join(' ')}, fresh memory ${touchUs.toFixed(1)} µs a page`,
  );
  console.log(`${'stage'.padEnd(12)}${pad('ms', 9)}${pad('Mvox/s', 9)}${pad('tri in', 10)}${pad('tri out', 10)}`);
  const tri = (name: string): [string, string] => {
    if (name === 'isosurface' || name === 'stitch' || name === 'smoothing') return ['', String(result.trianglesIsosurface)];
    if (name === 'decimation') return [String(result.trianglesIsosurface), String(report.triangles)];
    if (name === 'deviation' || name === 'check' || name === 'write') return [String(report.triangles), ''];
    return ['', ''];
  };
  for (const s of stages) {
    const [tin, tout] = tri(s.name);
    console.log(`${s.name.padEnd(12)}${pad(s.ms.toFixed(0), 9)}${pad((voxels / 1e3 / s.ms).toFixed(0), 9)}${pad(tin, 10)}${pad(tout, 10)}`);
  }
  console.log(`${'total'.padEnd(12)}${pad(totalMs.toFixed(0), 9)}   (after load ${afterLoadMs.toFixed(0)} ms, wall, to the file written; the deviation is not in it)`);
  console.log(
    `deviation: measured from the decimation's end beside the check and the write (its ms above overlap theirs), ` +
      `known ${deviationKnownMs.toFixed(0)} ms after load (${afterFile(deviationKnownMs - afterLoadMs)})`,
  );
  if (runs.length > 1)
    console.log(
      `after load, run by run: ${runs.map((r) => `${r.afterLoadMs.toFixed(0)} ms`).join(', ')} ` +
        `(each on fresh worker threads, as every build in the app; the median above)`,
    );
  if (decimationStages.length)
    // (smoothing runs inside the decimation's job, after its first two stages: see decimate.ts)
    console.log(`smoothing and decimation stages (thread 0): ${decimationStages.map((s) => `${s.name} ${s.ms.toFixed(0)}`).join(', ')} ms`);
  console.log(
    `${'stage'.padEnd(28)}${pad('CPU ms', 9)}${pad('peak RSS MB', 13)}${pad('faults K', 10)}   (CPU and page faults: all threads, so check and write include the ` +
      `deviation's work beside them; RSS: the first run, before its load ${runs[0].baseRssMb.toFixed(0)} MB)`,
  );
  for (const m of meter) console.log(`${m.name.padEnd(28)}${pad(m.cpuMs.toFixed(0), 9)}${pad(m.peakRssMb.toFixed(0), 13)}${pad(m.faultsK.toFixed(0), 10)}`);
  console.log(
    `page faults after the load: ${buildFaultsK.toFixed(0)} thousand, about ${((buildFaultsK * touchUs) / 1000).toFixed(2)} s of CPU at ` +
      `${touchUs.toFixed(1)} µs a page (first touches of fresh memory; spread over the threads)`,
  );
  console.log(
    `triangles ${result.trianglesIsosurface} → ${report.triangles}, deviation ${deviationMm.toFixed(2)} mm, STL ${(stl.byteLength / 1e6).toFixed(1)} MB, boundary edges ${report.boundaryEdges}, ` +
      `non-manifold edges ${report.nonManifoldEdges}, non-manifold vertices ${report.nonManifoldVertices}, shells ${report.shells}, ` +
      `volume ${(report.volumeMm3 / 1000).toFixed(1)} mL, peak RSS ${peakRssMb.toFixed(0)} MB = ${(peakRssMb / volumeMb).toFixed(2)}× the int16 volume of ${volumeMb.toFixed(0)} MB; ` +
      `${overIdleMb.toFixed(0)} MB over the idle process (Node and its worker threads before the load, ${idleMb.toFixed(0)} MB) = ${(overIdleMb / volumeMb).toFixed(2)}×`,
  );
  const e = result.estimate;
  if (e) {
    // the build's own memory: its peak RSS over the RSS once the volume was loaded
    const loaded = meter.find((m) => m.name === 'load')?.peakRssMb ?? NaN;
    console.log(
      `size estimate: ${e.vertices} vertices, ${e.triangles} triangles (isosurface ${result.trianglesIsosurface}: ` +
        `${((e.triangles / result.trianglesIsosurface - 1) * 100).toFixed(2)} %), peak ${(e.peakBytes / 1e6).toFixed(0)} MB besides the volume; ` +
        `measured: peak RSS ${peakRssMb.toFixed(0)} MB − ${loaded.toFixed(0)} MB at the end of the load = ${(peakRssMb - loaded).toFixed(0)} MB`,
    );
  }
  const reserved = runs[0].reserved;
  console.log(
    reserved
      ? `memory reserve (first run): ${reserved.mb.toFixed(0)} MB set aside and mapped before the build; the build took ${reserved.usedMb.toFixed(0)} MB of it and ${reserved.beyondMb.toFixed(0)} MB of new memory beyond it`
      : 'memory reserve: none (--no-reserve): the build took new memory',
  );
  const scaling = args.scaling ? await printScaling(single, runs, args.workers) : null;
  let peers: PeerResult[] = [];
  if (args.peers) {
    const keep = args.detail.kind === 'fraction' ? args.detail.keep : 1;
    peers = await runPeers(vol, args.threshold, args.smoothing, keep);
    console.log(`\nside by side on this volume (after load; ours ${afterLoadMs.toFixed(0)} ms, ${report.triangles} triangles):`);
    for (const p of peers) {
      if ('skipped' in p) console.log(`  ${p.name}: skipped: ${p.skipped}`);
      else
        console.log(
          `  ${p.name}: ${p.ms.toFixed(0)} ms, ${p.triangles} triangles: ours is ${(p.ms / afterLoadMs).toFixed(2)}× as fast ` +
            `(${p.stages.map((s) => `${s.name} ${s.ms.toFixed(0)}`).join(', ')}; ${p.command})`,
        );
    }
  }
  return {
    input,
    voxels,
    threshold: args.threshold,
    workers: args.workers,
    runs: args.runs,
    loadAverage: load,
    stages,
    decimationStages,
    stageCpuAndMemory: meter,
    /** µs per 4 KiB page of fresh memory touched, measured after the runs */
    firstTouchUsPerPage: touchUs,
    /** page faults (thousands) from the load's end to the deviation known, median of the runs */
    buildFaultsK,
    totalMs,
    afterLoadMs,
    /** after load, each run in order (each on fresh worker threads) */
    afterLoadMsByRun: runs.map((r) => r.afterLoadMs),
    /** wall time from the end of the load to the deviation known (its own time is the stage "deviation") */
    deviationKnownMs,
    load: { files: read.files, megabytes: read.bytes / 1e6, ms: loadMs },
    trianglesIn: result.trianglesIsosurface,
    trianglesOut: report.triangles,
    deviationMm,
    check: {
      boundaryEdges: report.boundaryEdges,
      nonManifoldEdges: report.nonManifoldEdges,
      nonManifoldVertices: report.nonManifoldVertices,
      shells: report.shells,
      volumeMl: report.volumeMm3 / 1000,
    },
    peakRssMb,
    peakRssPerVolume: peakRssMb / volumeMb,
    idleRssMb: idleMb,
    peakOverIdlePerVolume: overIdleMb / volumeMb,
    estimate: e ? { vertices: e.vertices, triangles: e.triangles, peakMb: e.peakBytes / 1e6 } : null,
    /** the memory set aside before the build (first run), what it took of it and beyond it (MB) */
    reserved,
    scaling,
    peers,
  };
}

type StagesRun = { stages: StageTiming[]; afterLoadMs: number; result: Pick<MeshResult, 'decimationStages' | 'decimationSteps'> };

/**
 * --scaling: each stage on one worker against `workers` (medians of the runs taken in turns), the
 * after-load ratio of each pair, the median one-worker run projected onto 2, 4 and 8 workers (see
 * projection.ts), then the machine's own ratios for that many threads.
 */
async function printScaling(one: StagesRun[], many: StagesRun[], workers: number) {
  const names = many[0].stages.map((s) => s.name).filter((n) => n !== 'load' && n !== 'deviation');
  const ms = (runs: StagesRun[], name: string) => median(runs.map((r) => r.stages.find((s) => s.name === name)?.ms ?? NaN));
  const stages = names.map((name) => ({ name, oneMs: ms(one, name), manyMs: ms(many, name) }));
  const pairs = one.map((r, i) => r.afterLoadMs / many[i].afterLoadMs);
  const oneMs = median(one.map((r) => r.afterLoadMs)), manyMs = median(many.map((r) => r.afterLoadMs));
  console.log(`\nscaling: 1 worker against ${workers}, ${one.length} run(s) each, taken in turns (medians)`);
  console.log(`${'stage'.padEnd(12)}${pad('1 worker', 10)}${pad(`${workers} workers`, 11)}${pad('ratio', 8)}`);
  for (const s of stages) console.log(`${s.name.padEnd(12)}${pad(s.oneMs.toFixed(0), 10)}${pad(s.manyMs.toFixed(0), 11)}${pad((s.oneMs / s.manyMs).toFixed(2), 8)}`);
  console.log(
    `${'after load'.padEnd(12)}${pad(oneMs.toFixed(0), 10)}${pad(manyMs.toFixed(0), 11)}${pad((oneMs / manyMs).toFixed(2), 8)}` +
      `   (pair by pair: ${pairs.map((x) => `${x.toFixed(2)}×`).join(', ')})`,
  );
  const projection = printProjection(one);
  const machine = await threadScaling(workers);
  console.log(
    `this machine on ${workers} threads (bench/threadScaling.ts; ${workers}.00× would be perfect): ` +
      machine.map((k) => `${k.kernel} ${k.ratio.toFixed(2)}× (${k.oneMs.toFixed(0)} → ${k.manyMs.toFixed(0)} ms)`).join(', '),
  );
  return { stages, afterLoad: { oneMs, manyMs, ratio: oneMs / manyMs, pairs }, projection, machine };
}

/** The median one-worker run (after load) projected onto more workers, the whole build and its collapse passes. */
function printProjection(one: StagesRun[]) {
  const mid = [...one].sort((a, b) => a.afterLoadMs - b.afterLoadMs)[(one.length - 1) >> 1];
  const run = { stages: mid.stages, decimationStages: mid.result.decimationStages ?? [], steps: mid.result.decimationSteps ?? [] };
  const passesMs = run.decimationStages.find((s) => s.name === 'collapse passes')?.ms ?? 0;
  const base = buildOn(run, 1);
  const counts = [2, 4, 8].map((workers) => ({ workers, buildMs: buildOn(run, workers), passesMs: passesOn(run.steps, passesMs, workers) }));
  const parts = run.steps.map((s) => s.partitions);
  console.log(
    `projected from the median one-worker run (${base.toFixed(0)} ms of stages after load), each core as fast as this one alone ` +
      `(memory shared between cores left out, so a bound; bench/projection.ts): ` +
      counts.map((c) => `${c.workers} workers ${c.buildMs.toFixed(0)} ms (${(base / c.buildMs).toFixed(2)}×)`).join(', '),
  );
  console.log(
    `  of which the collapse passes (${passesMs.toFixed(0)} ms; ${run.steps.length} steps of ${Math.max(...parts)} down to ${parts[parts.length - 1]} partitions, ` +
      `a step no shorter than its longest partition): ` +
      counts.map((c) => `${c.workers} workers ${c.passesMs.toFixed(0)} ms (${(passesMs / c.passesMs).toFixed(2)}×)`).join(', '),
  );
  return { fromOneWorkerMs: base, collapsePassesMs: passesMs, partitionsPerStep: parts, onWorkers: counts };
}

/** The int16 volume of the synthetic series, MB: issue 4 wants the load's peak memory within 3× of it. */
const SYNTH_VOLUME_MB = (SYNTH_DIMS[0] * SYNTH_DIMS[1] * SYNTH_DIMS[2] * 2) / 1e6;
const TARGET_MS = 4000;
const TARGET_MEMORY = 3;

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** The synthetic series loaded by the Node loader: time, rates and the peak RSS over the RSS before. */
async function synthLoadNode(series: SynthSeries) {
  const rssBeforeMb = rssMb();
  resetPeakRss();
  const t = performance.now();
  const result = await loadDicomFolderNode(series.dir);
  const ms = performance.now() - t;
  const peakMb = peakRssMb();
  checkSynthLoad(result, series);
  const megabytes = series.bytes / 1e6;
  const out = {
    dir: series.dir,
    files: series.files,
    megabytes,
    ms,
    filesPerSecond: (series.files * 1000) / ms,
    megabytesPerSecond: (megabytes * 1000) / ms,
    rssBeforeMb,
    peakRssMb: peakMb,
    peakRssDeltaMb: peakMb - rssBeforeMb,
    volumeMb: SYNTH_VOLUME_MB,
  };
  console.log(
    `\nsynthetic series ${SYNTH_DIMS.join(' × ')} (${series.files} files, ${megabytes.toFixed(1)} MB, checked against the phantom), Node load: ` +
      `${ms.toFixed(0)} ms = ${out.filesPerSecond.toFixed(0)} files/s, ${out.megabytesPerSecond.toFixed(0)} MB/s; ` +
      `peak RSS ${peakMb.toFixed(0)} MB = ${rssBeforeMb.toFixed(0)} MB before + ${out.peakRssDeltaMb.toFixed(0)} MB ` +
      `(${(out.peakRssDeltaMb / SYNTH_VOLUME_MB).toFixed(2)}× the int16 volume of ${SYNTH_VOLUME_MB.toFixed(0)} MB)`,
  );
  return out;
}

function printSynthBrowser(runs: SynthRun[], memoryRun: SynthRun, series: SynthSeries, medianRun: (runs: SynthRun[]) => SynthRun) {
  const r = medianRun(runs);
  const f = (x: number) => x.toFixed(0);
  const t = r.timeline, m = r.measures;
  console.log(`\nbrowser, synthetic series ${SYNTH_DIMS.join(' × ')} (${series.files} files, ${(series.bytes / 1e6).toFixed(0)} MB) opened with "Open folder", median of ${runs.length} fresh pages (memory not sampled):`);
  console.log(
    `axial slice shown after ${f(r.firstRenderMs)} ms (runs: ${runs.map((x) => `${f(x.firstRenderMs)} at load average ${x.loadAverage.toFixed(1)}`).join(', ')}; ` +
      `status bar after ${f(r.statusMs)} ms, WebGL's axial view lit after ${f(r.timeline.rendered)} ms), ` +
      `target < ${TARGET_MS} ms ${met(r.firstRenderMs < TARGET_MS)}`,
  );
  console.log(
    `app measures: load ${f(m.load)} ms, dicom-load ${f(m.dicomLoad)} ms (dicom-headers ${f(m.dicomHeaders)}, dicom-decode ${f(m.dicomDecode)}), ` +
      `${((series.files * 1000) / m.dicomLoad).toFixed(0)} files/s, ${(series.bytes / 1e3 / m.dicomLoad).toFixed(0)} MB/s`,
  );
  console.log(
    `timeline (ms after setInputFiles): change ${f(t.change)} · reading headers ${f(t.headers)} · decoding ${f(t.decode)} · ` +
      `dicom-load end ${f(t.dicomLoaded)} · load end ${f(t.loaded)} · status ${f(t.status)} · WebGL context ${f(t.webgl)} · ` +
      `3D texture ${f(t.textureStart)}–${f(t.textureEnd)} (${r.textures.calls} calls, ${f(r.textures.ms)} ms in them, ` +
      `${r.textures.megabytes.toFixed(0)} MB of ${r.textures.arrayTypes.join('/') || '?'}) · axial slice shown ${f(t.shown)} · WebGL's axial lit ${f(t.rendered)}`,
  );
  const cpu = (name: string, c: ProcessCpu) =>
    `${name} ${f(c.ms)} ms (${c.threads
      .filter((x) => x.ms >= 50)
      .map((x) => `${x.name} ${f(x.ms)}`)
      .join(', ')})`;
  console.log(`CPU time until shown: ${cpu('renderer', r.cpu.renderer)}; ${cpu('GPU process', r.cpu.gpu)}; ${cpu('browser process', r.cpu.browser)}`);
  const b = r.build;
  console.log(`then "Make 3D model" (default settings): mesh ${f(b.meshMs)} ms (runs: ${runs.map((x) => f(x.build.meshMs)).join(', ')}), ${b.triangles.toLocaleString('en-US')} triangles`);
  console.log(`  the build's stages in the page: ${Object.entries(b.meshStages).map(([name, ms]) => `${name} ${f(ms)}`).join(', ')} ms`);
  console.log(`  CPU time in the build: ${cpu('renderer', b.cpu.renderer)}; ${cpu('GPU process', b.cpu.gpu)}; ${cpu('browser process', b.cpu.browser)}`);

  // memory: one more page, its PSS sampled every 50 ms (which slows it, so its times are not the ones above)
  const k = memoryRun;
  console.log(
    `memory, from one more page with every process's PSS sampled every 50 ms (the sampling slows it: axial view after ${f(k.firstRenderMs)} ms, mesh ${f(k.build.meshMs)} ms):`,
  );
  console.log(`${'phase'.padEnd(16)}${pad('ms', 7)}${pad('renderer peak PSS (MB)', 24)}`);
  for (const p of k.phases) console.log(`${p.name.padEnd(16)}${pad(f(p.ms), 7)}${pad(Number.isFinite(p.rendererPeakMb) ? f(p.rendererPeakMb) : '–', 24)}`);
  const mem = (name: string, p: ProcessMemory) =>
    console.log(
      `${name.padEnd(22)} PSS ${pad(f(p.baselineMb), 5)} MB before, peak ${pad(f(p.peakReadyMb), 5)} MB until shown, ` +
        `${pad(f(p.peakMb), 5)} MB with the live preview: +${f(p.peakMb - p.baselineMb)} MB = ${((p.peakMb - p.baselineMb) / SYNTH_VOLUME_MB).toFixed(2)}× the int16 volume`,
    );
  mem('renderer (page+workers)', k.memory.renderer);
  mem('GPU process', k.memory.gpu);
  mem('all Chromium processes', k.memory.allChromium);
  const kb = k.build;
  console.log(
    `the build, PSS after the load → peak in the build → after it: ` +
      `renderer ${f(kb.renderer.afterLoadMb)} → ${f(kb.renderer.peakMb)} → ${f(kb.renderer.afterBuildMb)} MB, ` +
      `all Chromium ${f(kb.allChromium.afterLoadMb)} → ${f(kb.allChromium.peakMb)} → ${f(kb.allChromium.afterBuildMb)} MB`,
  );
  const growth = k.memory.renderer.peakMb - k.memory.renderer.baselineMb;
  console.log(
    `memory target: renderer growth ≤ ${TARGET_MEMORY}× ${SYNTH_VOLUME_MB.toFixed(0)} MB = ${f(TARGET_MEMORY * SYNTH_VOLUME_MB)} MB ${met(growth <= TARGET_MEMORY * SYNTH_VOLUME_MB)} ` +
      `(shared memory counts once: the volume's SharedArrayBuffer is mapped by the page and its workers in the same process)`,
  );
}

const args = parseArgs(process.argv.slice(2));
const synth = args.synthLoad || args.browser ? ensureSynthSeries() : null;
/** figures that are not per input: written beside each input's (or alone without inputs) */
const extra: Record<string, unknown> = {};
// before any worker pool starts, so that its start-up does not count in the load's memory
if (args.synthLoad) extra.synthLoad = await synthLoadNode(synth!);
const results = [];
for (const input of args.inputs) results.push(await benchOne(input, args));
if (args.browser) {
  // (loaded only here: Playwright alone adds tens of MB to the pipeline's peak RSS)
  const { browserLatencies, medianRun } = await import('./browser');
  const l = await browserLatencies(synth!, args.browserRuns);
  const line = (name: string, x: { count: number; medianMs: number; maxMs: number }) =>
    console.log(`${name.padEnd(16)}${pad(x.count, 6)} updates, median ${pad(x.medianMs.toFixed(1), 6)} ms, max ${pad(x.maxMs.toFixed(1), 7)} ms`);
  console.log('\nbrowser (Chromium, demo phantom, lower threshold dragged from 300 to −600 HU):');
  line('overlay-update', l.overlayUpdate);
  line('preview-update', l.previewUpdate);
  line('preview-mesh', l.previewMesh);
  for (const f of l.folderLoads)
    console.log(
      `folder ${f.folder.split('/').pop()}: ${f.files} files, first render after ${f.firstRenderMs} ms ` +
        `(the app's dicom-load: ${f.dicomLoadMs.toFixed(0)} ms); then "Make 3D model" (default settings): mesh ${f.meshMs.toFixed(0)} ms ` +
        `(${Object.entries(f.meshStages).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    );
  printSynthBrowser(l.synthLoads, l.synthMemory, synth!, medianRun);
  extra.browserLatencies = { ...l, synthLoadMedian: medianRun(l.synthLoads) };
}
if (args.json) {
  mkdirSync(dirname(args.json), { recursive: true });
  const out = results.length ? results.map((r) => ({ ...r, ...extra })) : [extra];
  writeFileSync(args.json, JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
  console.log(`\nwrote ${args.json}`);
}
