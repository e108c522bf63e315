// Browser loader: File objects → the largest volumetric series in one SharedArrayBuffer of HU.
// Headers are read on the main thread; uncompressed slices are converted there too, compressed ones
// in a pool of decode workers (workers/decode.worker.ts) that write into the shared buffer.
import { wrap, type Remote } from 'comlink';
import type { DecodeApi } from '../../workers/decode.worker';
import type { LoadControl, LoadProgress, LoadResult, SliceDecoder } from './assemble';
import { frameBlob, readFrame } from './multiframe';
import { decodeSliceInto, isNative, sliceLength } from './pixels';
import { fileSource, loadSources, type InputSource } from './sources';
import { tabMemoryBudget } from './limits';
import type { Thumb } from './thumbnail';

export type { LoadResult, LoadProgress };
export type { SeriesChoice } from './choices';

interface DecodeWorker {
  api: Remote<DecodeApi>;
  /** rejects when the worker script fails to load or throws at top level */
  broken: Promise<never>;
}

const poolSize = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
let pool: DecodeWorker[] | null = null;
let idle: DecodeWorker[] = [];
const waiting: ((w: DecodeWorker) => void)[] = [];

function startWorker(i: number): DecodeWorker {
  const worker = new Worker(new URL('../../workers/decode.worker.ts', import.meta.url), { type: 'module', name: `decode-${i}` });
  const broken = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(`the decoder worker failed to start (${e.message || 'script error'})`))),
  );
  broken.catch(() => {}); // observed by decode() when used
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ decodePort: port2 }, [port2]);
  return { api: wrap<DecodeApi>(port1), broken };
}

async function acquire(): Promise<DecodeWorker> {
  if (!pool) {
    pool = Array.from({ length: poolSize }, (_, i) => startWorker(i));
    idle = [...pool];
  }
  return idle.pop() ?? new Promise((resolve) => waiting.push(resolve));
}

function release(w: DecodeWorker) {
  const next = waiting.shift();
  if (next) next(w);
  else idle.push(w);
}

const browserDecoder: SliceDecoder<InputSource> = {
  // slices in flight: file reads are asynchronous I/O, so more than the decode workers keeps them busy
  // (compressed slices wait for a free worker in acquire(); uncompressed ones convert on this thread)
  concurrency: Math.max(8, poolSize),
  async decode(src, header, k, data) {
    const n = sliceLength(header);
    if (isNative(header)) {
      // only the frame's bytes are read (a slice of the file): never a whole multi-frame file per frame
      const frame = await readFrame(src, header);
      await decodeSliceInto(frame.bytes, frame.header, data.subarray(k * n, (k + 1) * n), () => Promise.reject(new Error('not compressed')));
      return;
    }
    const w = await acquire();
    try {
      // the worker gets just the frame's bytes (a zip entry has no file of its own: they are copied into a Blob)
      const frame = await frameBlob(src, header);
      const copy = await Promise.race([w.api.decodeSlice(frame.blob, frame.header, data, k), w.broken]);
      if (copy) data.set(copy, k * n);
    } finally {
      release(w);
    }
  },
};

/** Thumbnail pixels → a PNG data URL (OffscreenCanvas where there is one, else a canvas element). */
export async function thumbnailUrl(t: Thumb): Promise<string> {
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

/**
 * Opened or dropped files (any folder content, zip archives, NIfTI files; other files are skipped and
 * counted, damaged ones named) → the largest volume: a DICOM series (slices ordered along the normal,
 * values rescaled, HU for CT) or a NIfTI file. Throws an Error whose message says what was found and
 * what to do when there is no volume or a slice cannot be decoded. The result lists every series
 * found (`series`, with lazy thumbnails) and loads another one with `reload(id)`. A volume over this
 * tab's memory budget (tabMemoryBudget) is sized by `control.offer`; `control.signal` cancels.
 * Measures 'dicom-load' (whole), with 'dicom-headers' and 'dicom-decode' inside (DICOM only), in the performance timeline.
 */
export async function loadDicomFiles(files: File[], onProgress: (p: LoadProgress) => void, control: LoadControl = {}): Promise<LoadResult> {
  performance.mark('dicom-load-start');
  let decoding = false;
  const result = await loadSources(files.map(fileSource), browserDecoder, (p) => {
    if (p.phase === 'decoding slices' && !decoding) {
      decoding = true;
      performance.measure('dicom-headers', 'dicom-load-start');
      performance.mark('dicom-decode-start');
    }
    onProgress(p);
  }, { thumbnailUrl, budget: tabMemoryBudget(), ...control });
  if (decoding) performance.measure('dicom-decode', 'dicom-decode-start');
  performance.measure('dicom-load', 'dicom-load-start');
  return result;
}
