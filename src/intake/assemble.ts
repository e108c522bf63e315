// Files → headers → chosen stack → one shared Int16Array of HU. Shared by the browser and Node loaders;
// only the way a slice is decoded (main thread, worker pool, in-process codecs) differs.
import { sharedBytes } from '../../workers/core/pipeline';
import type { Vec3, Volume } from '../../workers/core/types';
import { datasetBytes, headerFromPrefix, mayBeDicom, readHeader, type DicomHeader, type NotImage } from './dicomHeader';
import { sliceHeader, type SliceHeader } from './pixels';
import { framesOf } from './multiframe';
import { assertLoadable, downsampleGeometry, downsampleNote, FULL_SIZE, sizeOffer, type Downsample, type SizeOffer } from './downsample';
import type { MemoryBudget } from './limits';
import type { SeriesChoice } from './choices';
import { chooseStack, groupStacks, stackGeometry, type Stack } from './series';
import { resampleSlices } from './resample';

export interface SourceFile {
  /** shown in messages: the relative path when known */
  name: string;
  read(): Promise<ArrayBuffer>;
  /** the first `n` bytes (all of a shorter file) and the file's size, without reading the rest */
  head?(n: number): Promise<{ bytes: ArrayBuffer; size: number }>;
}

export interface LoadProgress {
  phase: string;
  done: number;
  total: number;
  /** the file read or decoded last (its name as given: a relative path when known) */
  file?: string;
}

/** Thrown by a load whose AbortSignal fired: the load stopped and gave no volume (never a partial one). */
export class LoadCancelled extends Error {
  constructor() {
    super('Loading cancelled');
    this.name = 'LoadCancelled';
  }
}

/** Throws LoadCancelled once `signal` has fired. */
export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new LoadCancelled();
}

export interface LoadResult {
  volume: Volume;
  seriesDescription: string;
  modality: string;
  fileCount: number;
  skipped: { count: number; reasons: Record<string, number> };
  warnings: string[];
  /** the stacks not chosen, with the reason (e.g. "localizer", "smaller") */
  otherSeries: { description: string; slices: number; why: string }[];
  /** every stack and NIfTI file found (loadSources only): the automatic choice first; `chosen` marks the one loaded here */
  series?: SeriesChoice[];
  /** loads another volume of `series` (by id) from the same files, without reading the headers again */
  reload?: (id: string, onProgress?: (p: LoadProgress) => void, options?: LoadControl) => Promise<LoadResult>;
}

/** How a running load is steered from outside. */
export interface LoadControl {
  /** aborting it stops the load: it rejects with LoadCancelled */
  signal?: AbortSignal;
  /** the tab's memory budget for the volume; without it every volume loads at full size */
  budget?: MemoryBudget;
  /**
   * Asks what to do with a volume over `budget`, before anything is decoded: resolves to how to
   * reduce it (possibly not at all: "load anyway"), or rejects (e.g. LoadCancelled) to stop.
   * Absent: full size.
   */
  offer?: (offer: SizeOffer) => Promise<Downsample>;
}

/** How slices are decoded: `decode` writes slice `k` of the volume into `data` (a shared view). */
export interface SliceDecoder<F extends SourceFile> {
  /** slices decoded at the same time */
  concurrency: number;
  decode(file: F, header: SliceHeader, k: number, data: Int16Array): Promise<void>;
}

const TRANSFER_SYNTAX_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2': 'implicit VR little endian',
  '1.2.840.10008.1.2.1': 'explicit VR little endian',
  '1.2.840.10008.1.2.1.99': 'deflated explicit VR little endian',
  '1.2.840.10008.1.2.2': 'explicit VR big endian',
  '1.2.840.10008.1.2.5': 'RLE',
  '1.2.840.10008.1.2.4.50': 'JPEG baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG extended',
  '1.2.840.10008.1.2.4.57': 'JPEG lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
};
export const transferSyntaxName = (uid: string) => (TRANSFER_SYNTAX_NAMES[uid] ? `${TRANSFER_SYNTAX_NAMES[uid]}, ${uid}` : uid);

export const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * Runs `count` tasks with at most `concurrency` at a time; rejects with the first error, or with
 * LoadCancelled once `signal` fires (no new task starts then; those running finish unobserved).
 */
export async function runQueue(count: number, concurrency: number, run: (i: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        throwIfCancelled(signal);
        await run(i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}

/**
 * Bytes read first for a header: everything before the pixel data in nearly every file (CT headers
 * take 2–70 KiB, Siemens MR with its private CSA blocks about 100 KiB), so a slice's pixels are read
 * only once, when it is decoded. A longer header is read whole.
 */
export const HEADER_PREFIX = 128 * 1024;

/** Reads one file's header; unreadable files become a skip reason, never an exception. */
export async function headerOf(f: SourceFile): Promise<DicomHeader | NotImage> {
  try {
    if (f.head) {
      const { bytes, size } = await f.head(HEADER_PREFIX);
      const head = new Uint8Array(bytes);
      // the whole file, or one whose first bytes say it is not DICOM (a video beside the slices is not read)
      if (size <= bytes.byteLength || !mayBeDicom(head)) return readHeader(f.name, await datasetBytes(head));
      const header = headerFromPrefix(f.name, head, size);
      if (header) return header;
    }
    return readHeader(f.name, await datasetBytes(new Uint8Array(await f.read())));
  } catch (e) {
    return { kind: 'skip', fileName: f.name, reason: 'unreadable', problem: `could not be read (${(e as Error).message ?? e})` };
  }
}

/** Files skipped, by reason, and one message per damaged file ("name: what is wrong"). */
export interface Skipped {
  count: number;
  reasons: Record<string, number>;
  problems: string[];
}

export const noSkips = (): Skipped => ({ count: 0, reasons: {}, problems: [] });

export function addSkip(s: Skipped, reason: string, problem?: string) {
  s.count++;
  s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
  if (problem) s.problems.push(problem);
}

/** At most this many damaged files are named one by one; the rest are summed up. */
const MAX_NAMED_PROBLEMS = 20;

/** The messages naming damaged files, capped so a folder of junk does not flood the notes. */
export function problemNotes(problems: string[]): string[] {
  if (problems.length <= MAX_NAMED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_NAMED_PROBLEMS), `…and ${problems.length - MAX_NAMED_PROBLEMS} more damaged files`];
}

/** The headers of every file, grouped into stacks, with the volumetric one chosen (or null). */
export interface HeaderScan<F extends SourceFile> {
  fileCount: number;
  stacks: Stack[];
  stack: Stack | null;
  fileOf: Map<DicomHeader, F>;
  skipped: Skipped;
  /** the files (among `skipped`) whose content is not DICOM: e.g. NIfTI under another name */
  notDicom: F[];
}

/**
 * Files read at the same time while scanning headers: reading a File is asynchronous I/O, so several
 * in flight keep the disk and the browser's file reader busy while the main thread parses.
 */
const HEADER_READS = 8;

export async function scanHeaders<F extends SourceFile>(files: F[], onProgress: (p: LoadProgress) => void = () => {}, signal?: AbortSignal): Promise<HeaderScan<F>> {
  onProgress({ phase: 'reading headers', done: 0, total: files.length });
  const headers: (DicomHeader | NotImage)[] = new Array(files.length);
  let done = 0;
  await runQueue(files.length, HEADER_READS, async (i) => {
    headers[i] = await headerOf(files[i]);
    done++;
    if (done % 8 === 0 || done === files.length) onProgress({ phase: 'reading headers', done, total: files.length, file: files[i].name });
  }, signal);
  throwIfCancelled(signal);
  // in file order, whatever order the reads finished in
  const fileOf = new Map<DicomHeader, F>();
  const skipped = noSkips();
  const notDicom: F[] = [];
  headers.forEach((h, i) => {
    if (h.kind === 'image') for (const f of framesOf(h)) fileOf.set(f, files[i]);
    else {
      addSkip(skipped, h.reason, h.problem && `${h.fileName}: ${h.problem}`);
      if (h.reason === 'not DICOM') notDicom.push(files[i]);
    }
  });
  const stacks = groupStacks([...fileOf.keys()]);
  return { fileCount: files.length, stacks, stack: chooseStack(stacks), fileOf, skipped, notDicom };
}

/** What a scan without a volume found, for the error message. */
export function noVolumeFound(scan: HeaderScan<SourceFile>): string[] {
  return [
    ...scan.stacks.map((s) => `${s.description || 'unnamed series'}: ${s.notVolume}`),
    ...Object.entries(scan.skipped.reasons).map(([r, n]) => `${n} × ${r}`),
  ];
}

export const stackVoxels = (s: Stack) => s.headers.length * s.headers[0].rows * s.headers[0].columns;

/**
 * How to load a volume of `dims`: full size when it fits `control.budget` (or there is no budget or
 * no `offer`), else what `control.offer` answers. `canDownsample` is false where the loader cannot
 * reduce while reading (NIfTI).
 */
export async function fitToBudget(description: string, dims: Vec3, control: LoadControl, canDownsample: boolean): Promise<Downsample> {
  const offer = control.budget && control.offer && sizeOffer(description, dims, control.budget, canDownsample);
  const answer = offer ? await control.offer!(offer) : FULL_SIZE;
  throwIfCancelled(control.signal);
  return answer;
}

/**
 * Decodes the scan's chosen stack into one shared Int16Array, reduced as fitToBudget decides.
 * Rejects with LoadCancelled when `control.signal` fires; the half-filled buffer is then dropped.
 */
export async function decodeStack<F extends SourceFile>(
  scan: HeaderScan<F>,
  decoder: SliceDecoder<F>,
  onProgress: (p: LoadProgress) => void = () => {},
  control: LoadControl = {},
): Promise<LoadResult> {
  const { stack, stacks, fileOf, skipped } = scan;
  if (!stack) throw new Error('decodeStack: the scan found no volume');
  const full = stackGeometry(stack);
  const reduce = await fitToBudget(stack.description || 'This series', full.dims, control, true);
  const { signal } = control;
  const g = downsampleGeometry(full, reduce);
  assertLoadable(stack.description || 'This series', g.dims);
  const bin = reduce.inPlane ? 2 : 1;
  const [nx, ny, nz] = g.dims;
  const data = new Int16Array(sharedBytes(nx * ny * nz * 2));
  // uneven spacing: decode the files' slices apart, then interpolate the regular grid from them
  const n = g.slices.length;
  const decoded = g.resample ? new Int16Array(sharedBytes(nx * ny * n * 2)) : data;
  let done = 0;
  onProgress({ phase: 'decoding slices', done: 0, total: n });
  await runQueue(n, decoder.concurrency, async (k) => {
    const h = g.slices[k];
    try {
      await decoder.decode(fileOf.get(h)!, sliceHeader(h, bin), k, decoded);
    } catch (e) {
      throw new Error(
        `Could not decode ${h.fileName}${h.frame === undefined ? '' : ` (frame ${h.frame + 1})`} (${transferSyntaxName(h.transferSyntax)}): ${(e as Error).message ?? e}. ` +
          'The file may be damaged or use an unsupported compression: export the series again (uncompressed if possible) and load it again.',
      );
    }
    done++;
    if (!signal?.aborted) onProgress({ phase: 'decoding slices', done, total: n, file: h.fileName });
  }, signal);
  throwIfCancelled(signal);
  if (g.resample) resampleSlices(decoded, nx * ny, g.resample.positions, nz, g.spacing[2], data);
  const { slices: _slices, resample: _resample, warnings, ...geometry } = g;
  return {
    volume: { ...geometry, data },
    seriesDescription: stack.description,
    modality: stack.modality,
    fileCount: scan.fileCount,
    skipped: { count: skipped.count, reasons: skipped.reasons },
    warnings: [...problemNotes(skipped.problems), ...warnings, ...(reduce.inPlane || reduce.slices ? [downsampleNote(full, g, reduce)] : [])],
    otherSeries: stacks
      .filter((s) => s !== stack)
      .map((s) => ({ description: s.description, slices: s.headers.length, why: s.notVolume ?? (stackVoxels(s) <= stackVoxels(stack) ? 'smaller' : 'not picked') })),
  };
}
