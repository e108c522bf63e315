// One scan, from paths to model file, in dicom2stl's order:
//   load (the series --search names; --ct) → metadata file → shrink → anisotropic diffusion → median →
//   threshold, pieces and cavities, surface, smoothing, decimation, check (core/pipeline.ts buildMesh,
//   the app's path) → rotation → placement and file → the deviation (measured meanwhile) and the record.
// With --labels the threshold stages give way to one mesh per label (labels.ts). Whatever happens, the
// result is a ScanRecord: a failure is an exit code and one message naming the input, never a throw.
import { join } from 'node:path';
import { curvatureDiffusion, DICOM2STL_DIFFUSION, type DiffusionWorker } from '../core/anisotropicDiffusion';
import { medianFilter, type MedianWorker } from '../core/median';
import { checkMesh } from '../core/meshCheck';
import { buildMesh, type BuildProgress, type Deviation, type MeshWorker } from '../core/pipeline';
import type { ThresholdRange, Volume } from '../core/types';
import { mergeMeshes, MESH_FORMATS } from '../core/writers';
import type { LoadProgress } from '../intake/loadTypes';
import { CliError, EXIT } from './exitCodes';
import { loadScan } from './inputs';
import { meshLabels } from './labels';
import { metadataText } from './meta';
import { describedName, labelFileName, sanitizeName } from './naming';
import type { Options } from './options';
import { modelBytes, objectsBytes, writeFileAtomic } from './output';
import { relativeMinPiece } from './pieces';
import { printability, type ScanRecord } from './record';
import { boxCentre, rotateMesh } from './rotate';
import type { ScanSettings } from './settings';
import { shrinkVolume, type ShrinkWorker } from './shrink';

export type CliWorker = MeshWorker & MedianWorker & DiffusionWorker & ShrinkWorker;

/** Where the model goes: a file, or a folder where it is named after the series and preset. */
export type Target = { kind: 'file'; path: string } | { kind: 'folder'; dir: string };

export interface ScanEnv {
  /** the worker threads for a volume of `voxels` (heavy: a filter that repays every thread) */
  workers(voxels: number, heavy?: boolean): CliWorker[];
  /** progress of this scan: the stage and the fraction of its work done */
  progress(stage: string, fraction: number): void;
  /** a file name in the output folder not yet given to another scan of this run */
  reserveName(base: string, extension: string): Promise<string>;
}

/** Where each part of the work sits in the progress bar (fractions of one scan). */
const LOAD_END = 0.35;
/** Where each stage of the mesh pipeline starts on the bar, in order; a stage's own fraction fills the way to the next. */
const MESH_STAGES: [string, number][] = [
  ['mask', 0.55],
  ['components', 0.58],
  ['size estimate', 0.59],
  ['isosurface', 0.6],
  ['stitch', 0.66],
  ['smoothing', 0.68],
  ['decimation', 0.76],
  ['check', 0.9],
];
function meshFraction(p: BuildProgress): number {
  const i = MESH_STAGES.findIndex(([name]) => name === p.stage);
  if (i < 0) return 0.7;
  const next = i + 1 < MESH_STAGES.length ? MESH_STAGES[i + 1][1] : 0.95;
  return MESH_STAGES[i][1] + (next - MESH_STAGES[i][1]) * (p.fraction ?? 0);
}

function loadFraction(p: LoadProgress): number {
  const f = p.total ? p.done / p.total : 0;
  return p.phase === 'reading headers' ? 0.1 * f : 0.1 + (LOAD_END - 0.1) * f;
}

/** The largest value of the volume (the upper end of "voxels ≥ isovalue", as the app's presets take it). */
function volumeMax(data: Int16Array): number {
  let max = -32768;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return max;
}

/** The app's terms for the threshold: the range that prints and dicom2stl's seed band (double threshold). */
function thresholdRange(s: ScanSettings, vol: Volume): { range: ThresholdRange; seedBand?: ThresholdRange } {
  const t = s.threshold;
  if (t.kind === 'double') return { range: { lower: Math.ceil(t.t[0]), upper: Math.floor(t.t[3]) }, seedBand: { lower: Math.ceil(t.t[1]), upper: Math.floor(t.t[2]) } };
  if (t.kind === 'iso') return { range: { lower: Math.ceil(t.isovalue), upper: Math.max(Math.ceil(t.isovalue), volumeMax(vol.data)) } };
  throw new Error('labels have no threshold range');
}

const rangeText = (r: ThresholdRange, seedBand?: ThresholdRange) =>
  `${r.lower}…${r.upper}${seedBand ? ` connected to ${seedBand.lower}…${seedBand.upper}` : ''}`;

export async function convertScan(inputs: string[], target: Target, opts: Options, s: ScanSettings, env: ScanEnv): Promise<ScanRecord> {
  const t0 = performance.now();
  const rec: ScanRecord = { input: inputs, ok: false, exitCode: EXIT.internal, output: [], notes: [], stages: [], totalMs: 0, settings: s };
  const timed = async <R>(name: string, fraction: number | null, f: () => Promise<R> | R): Promise<R> => {
    if (fraction !== null) env.progress(name, fraction);
    const t = performance.now();
    const r = await f();
    rec.stages.push({ name, ms: performance.now() - t });
    return r;
  };
  try {
    // load
    const loaded = await timed('load', null, () => loadScan(inputs, { search: opts.search, ctOnly: opts.ctOnly }, (p) => env.progress(`${p.phase} ${p.done}/${p.total}`, loadFraction(p))));
    let vol = loaded.volume;
    rec.series = { description: loaded.seriesDescription, modality: loaded.modality, files: loaded.fileCount, dims: vol.dims, spacing: vol.spacing };
    rec.notes.push(...loaded.warnings);
    if (opts.meta) {
      writeFileAtomic(opts.meta, metadataText(vol), opts.temp);
      rec.meta = opts.meta;
    }
    // volume filters
    if (s.shrink) {
      vol = await timed('shrink', LOAD_END, () => shrinkVolume(env.workers(0)[0], vol));
      if (vol.dims !== loaded.volume.dims) rec.meshedDims = vol.dims;
    }
    const thresholded = s.threshold.kind !== 'labels';
    if (thresholded && s.anisotropic)
      rec.notes.push(
        ...(await timed('anisotropic diffusion', LOAD_END, () =>
          curvatureDiffusion(env.workers(vol.data.length, true), vol, DICOM2STL_DIFFUSION, (i, n) => env.progress(`anisotropic diffusion ${i}/${n}`, LOAD_END + (0.15 * i) / n)),
        )),
      );
    if (thresholded && s.median) await timed('median', 0.5, () => medianFilter(env.workers(vol.data.length), vol));

    // the surface
    let written: Uint8Array[][];
    let names: string[];
    let writeStart = 0;
    /** the deviations still measured when the files are written (the model's, or each label's) */
    let deviations: Promise<Deviation>[];
    /** the printability report, made once the files are written (it needs their sizes) and the deviations known */
    let report: (deviationMm: number[]) => void;
    const ext = MESH_FORMATS.find((f) => f.format === s.format)!.extension;
    const path = async () => (target.kind === 'file' ? target.path : join(target.dir, await env.reserveName(sanitizeName(describedName(loaded.seriesDescription, inputs.length === 1 ? inputs[0] : ''), s.presetName), ext)));
    if (s.threshold.kind === 'labels') {
      const r = await meshLabels(env.workers(vol.data.length), vol, s.threshold.file, s.refine, (stage) => env.progress(stage, 0.6));
      rec.notes.push(...r.notes);
      for (const g of r.results) rec.stages.push(...g.stages.map((x) => ({ name: `${g.name}: ${x.name}`, ms: x.ms })));
      let meshes = r.results.map((g) => g.mesh);
      if (s.rotation) {
        const centre = boxCentre(mergeMeshes(meshes));
        meshes = meshes.map((m) => rotateMesh(m, s.rotation!.axis, s.rotation!.degrees, centre));
      }
      env.progress('writing', 0.95);
      writeStart = performance.now();
      written = objectsBytes(r.results.map((g, q) => ({ mesh: meshes[q], name: g.name, color: g.color })), s.format, s.placement, !!s.rotation);
      const base = await path();
      names = s.format === '3mf' ? [base] : r.results.map((g, q) => labelFileName(base, q, r.results.length, g.name));
      deviations = r.results.map((g) => g.deviation);
      report = (mm) =>
        (rec.labels = r.results.map((g, q) => ({ name: g.name, report: printability(meshes[q], s.rotation ? checkMesh(meshes[q]) : g.report, mm[q], g.trianglesIsosurface, bytes(written[s.format === '3mf' ? 0 : q])) })));
    } else {
      const { range, seedBand } = thresholdRange(s, vol);
      const minPiece = s.minPieceRatio > 0 ? await timed('pieces', 0.52, () => relativeMinPiece(vol, range, seedBand, s.minPieceRatio)) : null;
      const result = await buildMesh(
        env.workers(vol.data.length),
        vol,
        range,
        { keepLargest: s.keepLargest, minPieceMm3: minPiece?.minPieceMm3 ?? 0, fillCavities: s.fillCavities, seedBand, ...s.refine },
        (p) => env.progress(p.stage, meshFraction(p)),
      );
      rec.stages.push(...result.stages);
      const c = result.components;
      if (c) rec.pieces = { count: minPiece?.pieces ?? c.pieces, kept: c.kept, removed: c.removed, ...(c.filled !== undefined ? { filled: c.filled } : {}) };
      if (result.report.triangles === 0) {
        const unit = loaded.modality === 'CT' ? ' HU' : ' (the scan\'s own values: it is not CT)';
        const why = !c || c.pieces === 0 ? `no voxel of the scan is in ${rangeText(range, seedBand)}${unit}` : 'the piece options removed every piece';
        throw new CliError(EXIT.emptyModel, `${inputs.join(', ')}: nothing to print: ${why}`);
      }
      const mesh = s.rotation ? await timed('rotation', 0.94, () => rotateMesh(result.mesh, s.rotation!.axis, s.rotation!.degrees)) : result.mesh;
      env.progress('writing', 0.95);
      writeStart = performance.now();
      written = [modelBytes(mesh, s.format, s.placement, !!s.rotation)];
      names = [await path()];
      // a rotated model is checked again: its bounding box turned with it
      deviations = [result.deviation];
      report = ([mm]) => (rec.report = printability(mesh, s.rotation ? checkMesh(mesh) : result.report, mm, result.trianglesIsosurface, bytes(written[0])));
    }
    names.forEach((name, q) => writeFileAtomic(name, written[q], opts.temp));
    rec.stages.push({ name: 'write', ms: performance.now() - writeStart });
    // the model's deviation, measured in the workers since the decimation's end (its own time overlaps
    // the check, the rotation and the write); the labels' are in their stages already
    const measured = await Promise.all(deviations);
    if (s.threshold.kind !== 'labels') rec.stages.push({ name: 'deviation', ms: measured[0].ms });
    await timed('shells', null, () => report(measured.map((d) => d.mm)));
    rec.output = names;
    rec.ok = true;
    rec.exitCode = EXIT.ok;
  } catch (e) {
    if (e instanceof CliError) {
      rec.exitCode = e.code;
      rec.error = e.message;
    } else {
      rec.exitCode = EXIT.internal;
      rec.error = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      if (opts.debug && e instanceof Error && e.stack) rec.error += `\n${e.stack}`;
    }
  }
  rec.totalMs = performance.now() - t0;
  return rec;
}

const bytes = (parts: Uint8Array[]) => parts.reduce((n, p) => n + p.byteLength, 0);
