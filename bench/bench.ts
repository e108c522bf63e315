// npm run bench -- [--threshold HU] [--reduce 0.9 | --tolerance MM] [--smooth N] [--workers N] [--all-pieces] [--fill]
//                  [--browser] [--json FILE] INPUT...
// --browser also measures the live-editing latencies in Chromium (bench/browser.ts).
// INPUT: phantom:WxHxD (the generated head phantom), a DICOM folder, or a NIfTI file (.nii, .nii.gz).
// Runs the core pipeline in Node with the worker split the browser uses and prints per-stage figures.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { makeHeadPhantom } from '../workers/core/phantom';
import { buildMesh, sharedBytes } from '../workers/core/pipeline';
import { writeBinaryStl } from '../workers/core/stl';
import type { Vec3, Volume } from '../workers/core/types';
import { createNodePool } from '../workers/nodePool';
import { listFiles, loadDicomFolderNode } from '../src/intake/nodeLoad';
import { readNifti } from '../src/intake/nifti';
import type { Detail } from '../workers/core/refine';
import { browserLatencies } from './browser';

interface Args {
  threshold: number;
  workers: number;
  keepLargest: boolean;
  fillCavities: boolean;
  browser: boolean;
  smoothing: number;
  detail: Detail;
  json: string | null;
  inputs: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    threshold: 300,
    workers: availableParallelism(),
    keepLargest: true,
    fillCavities: false,
    browser: false,
    smoothing: 25,
    detail: { kind: 'fraction', keep: 0.1 },
    json: null,
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
    else if (k === '--browser') a.browser = true;
    else if (k === '--smooth') a.smoothing = Math.max(0, Number(value()));
    else if (k === '--reduce') {
      const r = Number(value());
      a.detail = r > 0 ? { kind: 'fraction', keep: 1 - r } : { kind: 'full' };
    } else if (k === '--tolerance') a.detail = { kind: 'tolerance', mm: Number(value()) };
    else if (k === '--json') a.json = value();
    else if (k.startsWith('--')) throw new Error(`unknown option ${k}`);
    else a.inputs.push(k);
  }
  if (!a.inputs.length) a.inputs.push('phantom:256x256x160');
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

async function benchOne(input: string, args: Args, pool: ReturnType<typeof createNodePool>) {
  const stages: { name: string; ms: number }[] = [];
  let t = performance.now();
  const vol = await load(input);
  stages.push({ name: 'load', ms: performance.now() - t });
  const read = inputSize(input);
  const loadMs = stages[0].ms;
  if (read.files)
    console.log(
      `\nload: ${read.files} files, ${(read.bytes / 1e6).toFixed(1)} MB in ${loadMs.toFixed(0)} ms = ` +
        `${((read.files * 1000) / loadMs).toFixed(0)} files/s, ${(read.bytes / 1e3 / loadMs).toFixed(0)} MB/s`,
    );
  const voxels = vol.data.length;
  const range = { lower: args.threshold, upper: 32767 };
  const result = await buildMesh(pool.workers, vol, range, {
    keepLargest: args.keepLargest,
    fillCavities: args.fillCavities,
    smoothing: args.smoothing,
    detail: args.detail,
  });
  stages.push(...result.stages);
  const report = result.report;
  t = performance.now();
  const stl = writeBinaryStl(result.mesh);
  stages.push({ name: 'write', ms: performance.now() - t });
  const totalMs = stages.reduce((s, x) => s + x.ms, 0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const detail = args.detail.kind === 'full' ? 'no decimation' : args.detail.kind === 'fraction' ? `keep ${args.detail.keep * 100} %` : `tolerance ${args.detail.mm} mm`;
  console.log(
    `\n${input}: ${vol.dims.join(' × ')} = ${(voxels / 1e6).toFixed(1)} Mvox, threshold ${args.threshold} HU, ` +
      `${args.smoothing} smoothing iterations, ${detail}, ${args.workers} workers`,
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
  console.log(`${'total'.padEnd(12)}${pad(totalMs.toFixed(0), 9)}`);
  console.log(
    `triangles ${result.trianglesIsosurface} → ${report.triangles}, deviation ${result.deviationMm.toFixed(2)} mm, STL ${(stl.byteLength / 1e6).toFixed(1)} MB, boundary edges ${report.boundaryEdges}, ` +
      `non-manifold edges ${report.nonManifoldEdges}, non-manifold vertices ${report.nonManifoldVertices}, shells ${report.shells}, ` +
      `volume ${(report.volumeMm3 / 1000).toFixed(1)} mL, peak RSS ${peakRssMb.toFixed(0)} MB (int16 volume ${((voxels * 2) / 1e6).toFixed(0)} MB)`,
  );
  return {
    input,
    voxels,
    threshold: args.threshold,
    stages,
    totalMs,
    load: { files: read.files, megabytes: read.bytes / 1e6, ms: loadMs },
    trianglesIn: result.trianglesIsosurface,
    trianglesOut: report.triangles,
    deviationMm: result.deviationMm,
    check: {
      boundaryEdges: report.boundaryEdges,
      nonManifoldEdges: report.nonManifoldEdges,
      nonManifoldVertices: report.nonManifoldVertices,
      shells: report.shells,
      volumeMl: report.volumeMm3 / 1000,
    },
    peakRssMb,
  };
}

const args = parseArgs(process.argv.slice(2));
const pool = createNodePool(args.workers);
try {
  const results = [];
  for (const input of args.inputs) results.push(await benchOne(input, args, pool));
  if (args.browser) {
    const l = await browserLatencies();
    const line = (name: string, x: { count: number; medianMs: number; maxMs: number }) =>
      console.log(`${name.padEnd(16)}${pad(x.count, 6)} updates, median ${pad(x.medianMs.toFixed(1), 6)} ms, max ${pad(x.maxMs.toFixed(1), 7)} ms`);
    console.log('\nbrowser (Chromium, demo phantom, lower threshold dragged from 300 to −600 HU):');
    line('overlay-update', l.overlayUpdate);
    line('preview-update', l.previewUpdate);
    line('preview-mesh', l.previewMesh);
    if (l.folderLoad)
      console.log(
        `folder load: ${l.folderLoad.files} files, first render after ${l.folderLoad.firstRenderMs} ms ` +
          `(the app's dicom-load: ${l.folderLoad.dicomLoadMs.toFixed(0)} ms)`,
      );
    for (const r of results) Object.assign(r, { browserLatencies: l });
  }
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    console.log(`\nwrote ${args.json}`);
  }
} finally {
  await pool.close();
}
