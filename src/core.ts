// The UI's one typed façade to the compute core. Everything heavy runs in Web Workers that share
// the volume's SharedArrayBuffer; the UI never touches a worker directly.
import { wrap, type Remote } from 'comlink';
import { buildMesh, sharedBytes, type MeshOptions, type MeshResult } from '../workers/core/pipeline';
import type { MeshReport } from '../workers/core/meshCheck';
import type { Mesh, ThresholdRange, Vec3, Volume } from '../workers/core/types';
import { countsRange, histogramOf, type Histogram, type ValueCounts } from '../workers/core/histogram';
import type { MeshApi } from '../workers/meshApi';
import { DEFAULT_REFINE, type Detail, type RefineOptions } from '../workers/core/refine';
import { coarsenEdits, type MaskEdits } from '../workers/core/maskEdits';
import { MESH_FORMATS, type MeshFormat } from '../workers/core/writers';
import type { Placement } from '../workers/core/placement';
import { loadDicomFiles, type LoadResult, type SeriesChoice } from './intake/loadFiles';
import { LoadCancelled, type LoadControl } from './intake/assemble';
import type { Downsample, SizeOffer } from './intake/downsample';

export type { Detail, Downsample, LoadControl, MaskEdits, Placement, Mesh, MeshFormat, MeshReport, MeshResult, RefineOptions, SeriesChoice, SizeOffer, ThresholdRange, Volume };
export { LoadCancelled };
export { DEFAULT_REFINE, MESH_FORMATS };

/** A volume the app works on, plus what the UI shows about it. Never holds patient identity. */
export interface LoadedVolume {
  /** unique per load: viewers replace their data when it changes */
  key: string;
  volume: Volume;
  seriesDescription: string;
  modality: string;
  min: number;
  max: number;
  /** how many voxels hold each value (presets in percentiles, Otsu) */
  counts: ValueCounts;
  /** 256-bin histogram for the threshold control */
  histogram: Histogram;
  /** human-readable notes about the load (skipped files, warnings) */
  notes: string[];
  /** every series found in the opened files (files loads only); `chosen` marks this one. See loadSeries. */
  series?: SeriesChoice[];
}

/** How far a load is; `file` names the file read or decoded last. */
export type Progress = { phase: string; done: number; total: number; file?: string };

const poolSize = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
let pool: Remote<MeshApi>[] | null = null;

function workers(): Remote<MeshApi>[] {
  pool ??= Array.from({ length: poolSize }, (_, i) =>
    wrap<MeshApi>(new Worker(new URL('../workers/mesh.worker.ts', import.meta.url), { type: 'module', name: `mesh-${i}` })),
  );
  return pool;
}

// The live preview has a worker of its own, so dragging a slider never waits behind a full build.
let previewWorker: Remote<MeshApi> | null = null;
const preview = () =>
  (previewWorker ??= wrap<MeshApi>(new Worker(new URL('../workers/mesh.worker.ts', import.meta.url), { type: 'module', name: 'preview' })));

/** Voxels of the live preview's coarse volume: small enough to mesh in tens of milliseconds. */
export const PREVIEW_VOXELS = 1_000_000;

/** Prepares the coarse copy of a freshly loaded volume for the live 3D preview. */
export async function startPreview(volume: Volume): Promise<void> {
  await preview().previewSetup(volume, PREVIEW_VOXELS);
}

/** A coarse, unsmoothed mesh with the same threshold and edits as the real model would have. */
export function previewMesh(range: ThresholdRange, edits: MaskEdits): Promise<Mesh> {
  return preview().previewMesh(range, edits);
}

/** The full-resolution mask of what will print (for the slice overlay), computed in the preview worker. */
export async function printMask(volume: Volume, range: ThresholdRange, edits: MaskEdits): Promise<Uint8Array> {
  const out = new Uint8Array(sharedBytes(volume.data.length));
  await preview().printMask(volume, range, edits, out);
  return out;
}

let loads = 0;
const nextKey = () => `vol${++loads}`;

/** The volume with its statistics, counted in a worker over the shared voxels (a few hundred ms for a big CT). */
async function describe(volume: Volume, seriesDescription: string, modality: string, notes: string[]): Promise<LoadedVolume> {
  const counts = await workers()[0].valueCounts(volume.data);
  const { min, max } = countsRange(counts);
  // CT padding (−2048, −3024) would squash the histogram: it starts at −1024 HU
  const histogram = histogramOf(counts, 256, { min: modality === 'CT' ? Math.max(min, -1024) : min, max });
  return { key: nextKey(), volume, seriesDescription, modality, min, max, counts, histogram, notes };
}

/** The synthetic CT head phantom, generated in a worker straight into shared memory. */
export async function loadDemoVolume(dims: Vec3 = [256, 256, 160]): Promise<LoadedVolume> {
  performance.mark('load-start');
  const data = new Int16Array(sharedBytes(dims[0] * dims[1] * dims[2] * 2));
  const geometry = await workers()[0].phantom(data, dims);
  const { seriesDescription, ...geom } = geometry;
  const loaded = await describe({ ...geom, data }, seriesDescription, 'CT', ['Synthetic phantom generated in your browser']);
  performance.measure('load', 'load-start');
  return loaded;
}

/**
 * DICOM files (any folder content) → the largest volumetric series in shared memory. Over this tab's
 * memory budget, `control.offer` decides the size; `control.signal` cancels (rejects with LoadCancelled).
 */
export async function loadFiles(files: File[], onProgress: (p: Progress) => void, control: LoadControl = {}): Promise<LoadedVolume> {
  performance.mark('load-start');
  workers(); // started now, they are ready to count the volume when it is decoded
  const r: LoadResult = await loadDicomFiles(files, onProgress, control);
  const loaded = await describe(r.volume, r.seriesDescription, r.modality, resultNotes(r));
  loaded.series = r.series;
  lastReload = r.reload ?? null;
  performance.measure('load', 'load-start');
  return loaded;
}

/** Threshold → (largest piece) → closed surface → smoothing → decimation → check, over the worker pool. */
export async function makeMesh(volume: Volume, range: ThresholdRange, options: MeshOptions, onStage?: (stage: string) => void): Promise<MeshResult> {
  performance.mark('mesh-start');
  let vol = volume;
  let opts = options;
  if (options.resolution === 'half') {
    onStage?.('half resolution');
    vol = await halfResolution(volume);
    opts = { ...options, ...coarsenEdits(options, volume.dims, HALF, vol.dims) };
  }
  const result = await buildMesh(workers(), vol, range, opts, onStage);
  performance.measure('mesh', 'mesh-start');
  return result;
}

const HALF: Vec3 = [2, 2, 2];
let half: { of: Volume; vol: Volume } | null = null;

/** The volume averaged over 2 × 2 × 2 blocks, in shared memory, made once per volume. */
async function halfResolution(volume: Volume): Promise<Volume> {
  if (half?.of === volume) return half.vol;
  const n = volume.dims.reduce((p, d) => p * Math.ceil(d / 2), 1);
  const data = new Int16Array(sharedBytes(2 * n));
  const geometry = await workers()[0].downsample(volume, HALF, data);
  half = { of: volume, vol: { ...geometry, data } };
  return half.vol;
}

/**
 * The model as a file, written in a worker. `name` (series description and preset, never patient
 * data) goes into the file's header or title.
 */
export async function exportModel(mesh: Mesh, format: MeshFormat, name: string, placement: Placement): Promise<{ parts: Uint8Array<ArrayBuffer>[]; bytes: number; mime: string }> {
  // the writers allocate plain ArrayBuffers (never shared), as Blob needs
  const parts = (await workers()[workers().length - 1].write(mesh, format, name, placement)) as Uint8Array<ArrayBuffer>[];
  const mime = MESH_FORMATS.find((f) => f.format === format)!.mime;
  return { parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0), mime };
}

// ---- series picker ----

/** Loads another series of the last opened files (see loadSeries); null before any files load. */
let lastReload: LoadResult['reload'] | null = null;

/** The notes shown for a load result: warnings, skipped files, the series not loaded. */
function resultNotes(r: LoadResult): string[] {
  const notes = [...r.warnings];
  const skipped = Object.entries(r.skipped.reasons).map(([why, n]) => `${n} ${why}`);
  if (r.skipped.count) notes.push(`Skipped ${r.skipped.count} file${r.skipped.count === 1 ? '' : 's'}: ${skipped.join(', ')}`);
  if (r.otherSeries.length)
    notes.push(`Not chosen: ${r.otherSeries.map((s) => `${s.description || 'unnamed series'} (${s.slices} image${s.slices === 1 ? '' : 's'}, ${s.why})`).join('; ')}`);
  return notes;
}

/**
 * Loads another series (an id from `LoadedVolume.series`) of the files opened last, without reading
 * their headers again. Rejects when no files were loaded, the id is unknown or the series is not a
 * volume. `control` as for loadFiles.
 */
export async function loadSeries(id: string, onProgress: (p: Progress) => void, control: LoadControl = {}): Promise<LoadedVolume> {
  if (!lastReload) throw new Error('Open a folder or files first: there is no other series to load');
  performance.mark('load-start');
  const r = await lastReload(id, onProgress, control);
  const loaded = await describe(r.volume, r.seriesDescription, r.modality, resultNotes(r));
  loaded.series = r.series;
  lastReload = r.reload ?? lastReload;
  performance.measure('load', 'load-start');
  return loaded;
}

/** The id of the series a volume holds (the `chosen` entry of its list), or undefined. */
export const currentSeriesId = (v: LoadedVolume | null): string | undefined => v?.series?.find((s) => s.chosen)?.id;
