// Loading a scan: opened files (DICOM, zip, NIfTI) or the demo → one volume in shared memory, with
// its value statistics. Headers are read on the main thread (from each file's first bytes);
// uncompressed slices of plain files are converted there too; everything that inflates or decodes
// (zip entries, deflated datasets, compressed slices, NIfTI files) runs in the decode pool, which
// writes into the shared buffer.
import type { Remote } from 'comlink';
import type { DecodeApi } from '../../workers/decode.worker';
import { countsRange, histogramOf, type Histogram, type ValueCounts } from '../../workers/core/histogram';
import { sharedBytes } from '../../workers/core/sharedMemory';
import type { Vec3, Volume } from '../../workers/core/types';
import type { SeriesChoice } from '../../workers/intake/choices';
import { DEFLATED_LE } from '../../workers/intake/dicomDataset';
import { tabMemoryBudget } from '../../workers/intake/limits';
import { LoadCancelled, type LoadControl, type LoadProgress, type LoadResult, type SliceDecoder } from '../../workers/intake/loadTypes';
import { readFrame } from '../../workers/intake/multiframe';
import { decodeSliceInto, isNative, sliceLength } from '../../workers/intake/pixels';
import { fileSource, loadSources, type InputSource } from '../../workers/intake/sources';
import type { Thumb } from '../../workers/intake/thumbnail';
import type { WorkerBridge } from './bridge';
import { decodePool, meshPool, previewWorker, segmentWorker } from './workers';

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
  /** the filter `volume`'s voxels went through for the masks (useDenoise: a copy, same key); absent for the scan as loaded */
  denoised?: 'median' | 'anisotropic';
  /** every series found in the opened files (files loads only); `chosen` marks this one. See loadSeries. */
  series?: SeriesChoice[];
  /** files the load skipped, by reason ("not DICOM", "segmentation/registration", …) */
  skipped: Record<string, number>;
}

/** How far a load is; `file` names the file read or decoded last. */
export type Progress = LoadProgress;

let loads = 0;
const nextKey = () => `vol${++loads}`;

/**
 * The volume with its statistics, counted in a worker over the shared voxels (a few hundred ms for a
 * big CT). Then every worker restarts: an idle worker may not collect its garbage for a long time,
 * and garbage that still names the previous scan's shared buffers keeps them in memory.
 */
async function describe(volume: Volume, seriesDescription: string, modality: string, notes: string[], signal?: AbortSignal): Promise<LoadedVolume> {
  const counts = await meshPool.bridges[0].run((w) => w.valueCounts(volume.data));
  // a newer load took over meanwhile: the workers are its now (restarting them would stop its work)
  if (signal?.aborted) throw new LoadCancelled();
  for (const pool of [meshPool, decodePool]) pool.abort('a new scan replaced the previous one');
  for (const w of [previewWorker, segmentWorker]) w.abort('a new scan replaced the previous one');
  const { min, max } = countsRange(counts);
  // CT padding (−2048, −3024) would squash the histogram: it starts at −1024 HU
  const histogram = histogramOf(counts, 256, { min: modality === 'CT' ? Math.max(min, -1024) : min, max });
  return { key: nextKey(), volume, seriesDescription, modality, min, max, counts, histogram, notes, skipped: {} };
}

/** The demo scan shipped with the app (public/demo/; see its README for the source and licence). */
export const DEMO_SCAN_URL = `${import.meta.env.BASE_URL}demo/ct_abdomen_totalsegmentator.nii.gz`;
export const DEMO_CREDIT =
  'Demo scan: the example abdomen CT of TotalSegmentator (Wasserthal et al., Radiology: Artificial Intelligence 2023), Apache-2.0; stored as 16-bit with its values unchanged.';

/**
 * The demo: a real, openly licensed CT (122 × 101 × 112 voxels of 3 mm) fetched from this site and
 * loaded like an opened NIfTI file. `?demo=phantom` in the address gives the synthetic head phantom (`&speckle=0.01`: with 1 % bright noise voxels).
 */
export async function loadDemoScan(onProgress: (p: Progress) => void, control: LoadControl = {}): Promise<LoadedVolume> {
  const address = new URLSearchParams(globalThis.location?.search ?? '');
  if (address.get('demo') === 'phantom') return loadDemoVolume(undefined, Number(address.get('speckle')) || 0);
  const res = await fetch(DEMO_SCAN_URL);
  if (!res.ok) throw new Error(`The demo scan could not be fetched (${res.status} ${res.statusText}): reload the page, or open a scan of your own.`);
  const name = DEMO_SCAN_URL.split('/').pop()!;
  const loaded = await loadFiles([new File([await res.blob()], name)], onProgress, control);
  return { ...loaded, seriesDescription: 'Demo abdomen CT', notes: [DEMO_CREDIT] };
}

/** The synthetic CT head phantom, generated in a worker straight into shared memory (`speckle`: see PhantomOptions). */
export async function loadDemoVolume(dims: Vec3 = [256, 256, 160], speckle = 0): Promise<LoadedVolume> {
  performance.mark('load-start');
  const data = new Int16Array(sharedBytes(dims[0] * dims[1] * dims[2] * 2));
  const geometry = await meshPool.bridges[0].run((w) => w.phantom(data, dims, speckle));
  const { seriesDescription, ...geom } = geometry;
  const loaded = await describe({ ...geom, data }, seriesDescription, 'CT', ['Synthetic phantom generated in your browser']);
  performance.measure('load', 'load-start');
  return loaded;
}

// ---- decoding in the browser ----

const idle: WorkerBridge<DecodeApi>[] = [...decodePool.bridges];
const waiting: ((w: WorkerBridge<DecodeApi>) => void)[] = [];
const acquire = (): Promise<WorkerBridge<DecodeApi>> => {
  const w = idle.pop();
  return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
};
function release(w: WorkerBridge<DecodeApi>) {
  const next = waiting.shift();
  if (next) next(w);
  else idle.push(w);
}

/** Where a source's bytes are, for a worker: its File or zip entry (a source without either is read here first). */
const refOf = async (src: InputSource) => src.ref ?? { blob: new Blob([await src.read()]) };

const browserDecoder: SliceDecoder<InputSource> = {
  // slices in flight: file reads are asynchronous I/O, so more than the decode workers keeps them busy
  // (compressed slices wait for a free worker in acquire(); uncompressed ones convert on this thread);
  // 16 rather than 8: the 300-slice series decoded in 1.9–2.0 against 2.0–2.2 s in Chromium
  concurrency: Math.max(16, decodePool.size),
  async decode(src, header, k, data) {
    const n = sliceLength(header);
    if (isNative(header) && header.transferSyntax !== DEFLATED_LE && src.blob) {
      // an uncompressed slice of a file: only the frame's bytes are read (never a whole multi-frame file per frame)
      const frame = await readFrame(src, header);
      return decodeSliceInto(frame.bytes, frame.header, data.subarray(k * n, (k + 1) * n), () => Promise.reject(new Error('not compressed')));
    }
    // compressed or deflated data and zip entries are read (inflated) and decoded in a worker
    const ref = await refOf(src);
    const w = await acquire();
    try {
      const r = await w.run((api: Remote<DecodeApi>) => api.decodeSlice(ref, header, data, k));
      if (r.values) data.set(r.values, k * n);
      return r.clamped;
    } finally {
      release(w);
    }
  },
  // The slices' buffer is fresh memory: a mesh worker maps its pages while this thread reads and
  // converts the slices into it (for 512² × 300 that is 38 K first writes, 10–14 µs each here).
  // Fire and forget: a new scan aborts the pool, and a slice written first is simply left as it is.
  prepare(data) {
    if (typeof SharedArrayBuffer !== 'function' || !(data.buffer instanceof SharedArrayBuffer)) return;
    meshPool.bridges[0].run((w) => w.mapPages(data)).catch(() => {});
  },
  // a NIfTI file is inflated and converted in a worker; Cancel stops that worker
  async readNifti(src, data, signal) {
    const ref = await refOf(src);
    const w = await acquire();
    const stop = () => w.abort('Loading cancelled');
    signal?.addEventListener('abort', stop);
    try {
      return await w.run((api: Remote<DecodeApi>) => api.readNifti(ref, src.name, data));
    } catch (e) {
      if (signal?.aborted) throw new LoadCancelled();
      throw e;
    } finally {
      signal?.removeEventListener('abort', stop);
      release(w);
    }
  },
};

/** Thumbnail pixels → a PNG data URL (OffscreenCanvas where there is one, else a canvas element). */
async function thumbnailUrl(t: Thumb): Promise<string> {
  const image = new ImageData(t.rgba, t.width, t.height);
  if (typeof OffscreenCanvas === 'function') {
    const c = new OffscreenCanvas(t.width, t.height);
    c.getContext('2d')!.putImageData(image, 0, 0);
    const blob = await c.convertToBlob({ type: 'image/png' });
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result as string);
      r.onerror = () => reject(r.error);
      r.readAsDataURL(blob);
    });
  }
  const c = document.createElement('canvas');
  c.width = t.width;
  c.height = t.height;
  c.getContext('2d')!.putImageData(image, 0, 0);
  return c.toDataURL('image/png');
}

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

async function adoptResult(r: LoadResult, signal?: AbortSignal): Promise<LoadedVolume> {
  const loaded = await describe(r.volume, r.seriesDescription, r.modality, resultNotes(r), signal);
  loaded.series = r.series;
  loaded.skipped = r.skipped.reasons;
  lastReload = r.reload ?? lastReload;
  return loaded;
}

/**
 * Opened or dropped files (any folder content, zip archives, NIfTI files; other files are skipped and
 * counted, damaged ones named) → the largest volume: a DICOM series (slices ordered along the normal,
 * values rescaled, HU for CT) or a NIfTI file. Throws an Error whose message says what was found and
 * what to do when there is no volume or a slice cannot be decoded. The result lists every series
 * found (`series`, with lazy thumbnails); loadSeries loads another one. A volume over this tab's
 * memory budget (tabMemoryBudget) is sized by `control.offer`; `control.signal` cancels (rejects with
 * LoadCancelled). Measures 'load' and 'dicom-load' (whole), with 'dicom-headers' and 'dicom-decode'
 * inside (DICOM only), in the performance timeline.
 */
export async function loadFiles(files: File[], onProgress: (p: Progress) => void, control: LoadControl = {}): Promise<LoadedVolume> {
  performance.mark('load-start');
  meshPool.remotes(); // started now, they are ready to count the volume when it is decoded
  performance.mark('dicom-load-start');
  let decoding = false;
  const r = await loadSources(
    files.map(fileSource),
    browserDecoder,
    (p) => {
      if (p.phase === 'decoding slices' && !decoding) {
        decoding = true;
        performance.measure('dicom-headers', 'dicom-load-start');
        performance.mark('dicom-decode-start');
      }
      onProgress(p);
    },
    { thumbnailUrl, budget: tabMemoryBudget(), ...control },
  );
  if (decoding) performance.measure('dicom-decode', 'dicom-decode-start');
  performance.measure('dicom-load', 'dicom-load-start');
  lastReload = null;
  const loaded = await adoptResult(r, control.signal);
  performance.measure('load', 'load-start');
  return loaded;
}

/**
 * Loads another series (an id from `LoadedVolume.series`) of the files opened last, without reading
 * their headers again. Rejects when no files were loaded, the id is unknown or the series is not a
 * volume. `control` as for loadFiles.
 */
export async function loadSeries(id: string, onProgress: (p: Progress) => void, control: LoadControl = {}): Promise<LoadedVolume> {
  if (!lastReload) throw new Error('Open a folder or files first: there is no other series to load');
  performance.mark('load-start');
  const loaded = await adoptResult(await lastReload(id, onProgress, control), control.signal);
  performance.measure('load', 'load-start');
  return loaded;
}

/** Forgets the files opened last (the scan is being closed). */
export function forgetFiles(): void {
  lastReload = null;
}

/** The id of the series a volume holds (the `chosen` entry of its list), or undefined. */
export const currentSeriesId = (v: LoadedVolume | null): string | undefined => v?.series?.find((s) => s.chosen)?.id;
