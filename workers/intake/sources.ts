// Everything the user opened or dropped → one LoadResult. Zip archives are opened into their entries;
// NIfTI files (.nii, .nii.gz, or NIfTI content under another name) are told apart from DICOM; the
// largest volume (by voxel count) among the DICOM series and the NIfTI files is loaded, and the rest
// is named in the notes. Runs in the browser and in Node alike: only the slice decoder differs.
import { sharedBytes } from '../core/sharedMemory';
import { addSkip, noSkips, plural, problemNotes, type Skipped } from './skipped';
import { decodeStack, fitToBudget } from './decodeStack';
import { type HeaderScan, noVolumeFound, scanHeaders } from './headerScan';
import { type LoadControl, throwIfCancelled, type LoadProgress, type LoadResult, type SliceDecoder, type SourceFile } from './loadTypes';
import { stackVoxels } from './series';
import { buildChoices, orderedSlices, type ChoiceEntry, type NiftiCandidate } from './choices';
import { formatBytes } from './limits';
import { dimsText } from './downsample';
import { isNifti, NIFTI_HEADER_BYTES, niftiExtent, readNifti } from './nifti';
import { imageThumb, middleSlice, type Thumb } from './thumbnail';
import { planZip, readZipDirectory, zipEntryFile, ZipRefused } from './zip';

export interface InputSource extends SourceFile {
  /** the file itself when it is one (not an entry of an archive): read in slices, streamed */
  blob?: Blob;
}

/** A File as a source, named by its relative path when a folder was opened. */
export const fileSource = (file: File): InputSource => ({
  name: file.webkitRelativePath || file.name,
  read: () => file.arrayBuffer(),
  head: async (n) => ({ bytes: await file.slice(0, n).arrayBuffer(), size: file.size }),
  blob: file,
});

const NIFTI_NAME = /\.nii(\.gz)?$/i;
const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function mergeSkips(into: Skipped, from: Skipped) {
  into.count += from.count;
  for (const [r, n] of Object.entries(from.reasons)) into.reasons[r] = (into.reasons[r] ?? 0) + n;
  into.problems.push(...from.problems);
}

/** Replaces each .zip by its entries. Refused or unreadable archives are reported in `refused`. */
async function expandArchives(inputs: InputSource[]): Promise<{ files: InputSource[]; skipped: Skipped; refused: string[] }> {
  const files: InputSource[] = [];
  const skipped = noSkips();
  const refused: string[] = [];
  for (const s of inputs) {
    if (!s.blob || !/\.zip$/i.test(s.name)) {
      files.push(s);
      continue;
    }
    try {
      const plan = planZip(await readZipDirectory(s.blob, s.name), s.name);
      mergeSkips(skipped, plan.skipped);
      for (const e of plan.entries) files.push(zipEntryFile(s.blob, e, s.name));
    } catch (e) {
      if (!(e instanceof ZipRefused)) throw e;
      refused.push(e.message);
    }
  }
  return { files, skipped, refused };
}

/**
 * The files the header scan found not to be DICOM that hold NIfTI content under another name (by the
 * header's size field and magic; real files only). They are taken out of the scan's skipped files.
 * Only these few are sniffed: reading 352 bytes of every file first would cost one more read per
 * DICOM file (about a second for 300 files).
 */
async function niftiByContent(scan: HeaderScan<InputSource>): Promise<InputSource[]> {
  const found: InputSource[] = [];
  for (const s of scan.notDicom) {
    if (!s.blob || !isNifti(s.name, new Uint8Array(await s.blob.slice(0, 352).arrayBuffer()))) continue;
    found.push(s);
    const { skipped } = scan;
    skipped.count--;
    if (!--skipped.reasons['not DICOM']) delete skipped.reasons['not DICOM'];
    skipped.problems = skipped.problems.filter((p) => !p.startsWith(`${s.name}: `));
  }
  return found;
}

/**
 * The inflated bytes of a NIfTI file up to `limit(head)` bytes, where `head` is the first
 * NIFTI_HEADER_BYTES (or fewer in a short file). Gzip is inflated by the platform's
 * DecompressionStream, off the main thread, and stops once enough bytes have come.
 */
async function niftiPrefix(s: InputSource, limit: (head: Uint8Array) => number, signal?: AbortSignal): Promise<Uint8Array> {
  const raw = s.blob ?? new Blob([await s.read()]);
  const gz = isGzip(new Uint8Array(await raw.slice(0, 2).arrayBuffer()));
  const reader = (gz ? raw.stream().pipeThrough(new DecompressionStream('gzip')) : raw.stream()).getReader();
  const read = () =>
    reader.read().catch((e: Error) => {
      throw new Error(`${s.name}: ${gz ? 'corrupt gzip data' : 'could not be read'} (${e.message})`);
    });
  const chunks: Uint8Array[] = [];
  let got = 0;
  let out: Uint8Array | null = null;
  try {
    while (!out || got < out.length) {
      throwIfCancelled(signal);
      const r = await read();
      if (r.done) break;
      if (out) out.set(r.value.subarray(0, out.length - got), got);
      else chunks.push(r.value);
      got += r.value.length;
      if (!out && got >= NIFTI_HEADER_BYTES) {
        const head = concat(chunks, got);
        out = allocateBytes(limit(head), s.name);
        out.set(head.subarray(0, out.length));
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return out ? out.subarray(0, Math.min(got, out.length)) : concat(chunks, got);
}

function allocateBytes(n: number, name: string): Uint8Array {
  try {
    return new Uint8Array(n);
  } catch {
    throw new Error(`${name}: needs ${formatBytes(n)} of memory to read, more than this browser tab can have`);
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.length) - c.length);
  return all;
}

/** Options of loadSources: the memory budget and its offer apply to `reload` too, unless it is given others. */
export interface LoadOptions extends LoadControl {
  /** turns thumbnail pixels into an image URL (the browser's canvas); without it choices get no thumbnail */
  thumbnailUrl?: (t: Thumb) => Promise<string>;
}

type Nifti = NiftiCandidate & { src: InputSource };

/** Everything found by one load: enough to load any of its choices later without reading headers again. */
interface Found {
  fileCount: number;
  refused: string[];
  scan: HeaderScan<InputSource>;
  entries: ChoiceEntry<Nifti>[];
  /** the budget and offer given to loadSources, used by reloads too (the signal is per load) */
  control: Pick<LoadControl, 'budget' | 'offer'>;
}

/**
 * Loads the largest volume among the sources: DICOM series and NIfTI files, zips opened. Throws an
 * Error saying what was found and what to do when there is none. The result lists every stack and
 * NIfTI file (`series`) and can load another one of them (`reload`) from the same files.
 */
export async function loadSources(
  inputs: InputSource[],
  decoder: SliceDecoder<InputSource>,
  onProgress: (p: LoadProgress) => void = () => {},
  options: LoadOptions = {},
): Promise<LoadResult> {
  if (!inputs.length) throw new Error('No files were given. Open or drop the folder that holds the DICOM series.');
  const { thumbnailUrl, ...control } = options;
  const { signal } = control;
  const { files, skipped, refused } = await expandArchives(inputs);
  if (!files.length && refused.length) throw new Error(refused.join(' '));
  const fileCount = files.length + skipped.count;

  // DICOM headers first; NIfTI candidates are the .nii/.nii.gz files and any file with NIfTI content
  // that the scan found not to be DICOM. Only their header is read now (inflating a few KiB), to compare sizes.
  const scan = await scanHeaders(files.filter((s) => !NIFTI_NAME.test(s.name)), onProgress, signal);
  const niftis: Nifti[] = [];
  for (const s of [...files.filter((f) => NIFTI_NAME.test(f.name)), ...(await niftiByContent(scan))]) {
    throwIfCancelled(signal);
    try {
      const { dims, spacing, description } = niftiExtent(await niftiPrefix(s, () => NIFTI_HEADER_BYTES), s.name);
      niftis.push({ src: s, dims, spacing, description, voxels: dims[0] * dims[1] * dims[2] });
    } catch (e) {
      const msg = (e as Error).message;
      addSkip(skipped, 'unreadable NIfTI', msg.startsWith(`${s.name}:`) ? msg : `${s.name}: ${msg}`);
    }
  }
  niftis.sort((a, b) => b.voxels - a.voxels);
  mergeSkips(scan.skipped, skipped);
  const entries = buildChoices(scan.stacks, scan.stack, niftis);
  const first = entries[0];
  if (!first?.choice.isDefault) {
    const found = noVolumeFound(scan);
    const damaged = problemNotes(scan.skipped.problems);
    throw new Error(
      [
        ...refused,
        `No image volume found in ${plural(fileCount, 'file')}${found.length ? ` (${found.join('; ')})` : ''}.`,
        ...(damaged.length ? [`${damaged.join('. ')}.`] : []),
        'Open the folder that holds the CT or MR series (a stack of slices), or a NIfTI file.',
      ].join(' '),
    );
  }
  if (thumbnailUrl) addThumbnails(entries, scan, decoder, thumbnailUrl);
  const found = { fileCount, refused, scan, entries, control: { budget: control.budget, offer: control.offer } };
  return loadEntry(found, first, decoder, onProgress, control);
}

/** Gives each DICOM choice a lazy, remembered thumbnail of its middle slice. */
function addThumbnails(entries: ChoiceEntry<Nifti>[], scan: HeaderScan<InputSource>, decoder: SliceDecoder<InputSource>, toUrl: (t: Thumb) => Promise<string>) {
  for (const e of entries) {
    if (e.kind !== 'dicom') continue;
    let made: Promise<string | null> | null = null;
    const { stack } = e;
    e.choice.thumbnail = () =>
      (made ??= (async () => {
        const h = middleSlice(orderedSlices(stack));
        const t = await imageThumb(h, scan.fileOf.get(h)!, decoder, stack.modality);
        return t && toUrl(t).catch(() => null);
      })());
  }
}

const voxelsOf = (e: ChoiceEntry<Nifti>) => (e.kind === 'nifti' ? e.nifti.voxels : e.choice.volume ? stackVoxels(e.stack) : 0);

/**
 * Loads one entry of a load's choices, fitted to the memory budget (see LoadControl); the result
 * carries the choices (this one `chosen`) and `reload`.
 */
async function loadEntry(
  found: Found,
  entry: ChoiceEntry<Nifti>,
  decoder: SliceDecoder<InputSource>,
  onProgress: (p: LoadProgress) => void,
  control: LoadControl,
): Promise<LoadResult> {
  const { fileCount, refused, scan, entries } = found;
  const loadedVoxels = voxelsOf(entry);
  const series = entries.map((e) => ({ ...e.choice, chosen: e === entry }));
  const reload = (id: string, progress: (p: LoadProgress) => void = () => {}, options: LoadControl = {}) => {
    const next = entries.find((e) => e.choice.id === id);
    if (!next) return Promise.reject(new Error(`No series "${id}" in this load`));
    if (!next.choice.volume) return Promise.reject(new Error(`${next.choice.description || 'This series'} cannot be loaded as a volume: ${next.choice.why}`));
    return loadEntry(found, next, decoder, progress, { ...found.control, ...options });
  };
  const niftiNotChosen = entries
    .filter((e): e is ChoiceEntry<Nifti> & { kind: 'nifti' } => e.kind === 'nifti' && e !== entry)
    .map((e) => `Not chosen: ${e.nifti.src.name} (NIfTI, ${dimsText(e.nifti.dims)} voxels, ${e.nifti.voxels <= loadedVoxels ? 'smaller' : 'not picked'})`);

  if (entry.kind === 'dicom') {
    const r = await decodeStack({ ...scan, stack: entry.stack }, decoder, onProgress, control);
    return { ...r, fileCount, warnings: [...refused, ...r.warnings, ...niftiNotChosen], series, reload };
  }

  // The NIfTI volume: inflated up to the end of its first volume, voxels converted straight into shared memory.
  // (NIfTI is converted in one piece: over the budget it can only load in full or not at all)
  const { src, dims } = entry.nifti;
  await fitToBudget(entry.nifti.description || src.name, dims, control, false);
  onProgress({ phase: 'reading NIfTI', done: 0, total: 1, file: src.name });
  const bytes = await niftiPrefix(src, (head) => niftiExtent(head, src.name).bytes, control.signal);
  throwIfCancelled(control.signal);
  const r = readNifti(bytes, src.name, (n) => new Int16Array(sharedBytes(2 * n)));
  onProgress({ phase: 'reading NIfTI', done: 1, total: 1, file: src.name });
  const modality = r.modalityGuess === 'unknown' ? '' : r.modalityGuess;
  return {
    volume: r.volume,
    seriesDescription: r.description,
    modality,
    fileCount,
    skipped: { count: scan.skipped.count, reasons: scan.skipped.reasons },
    warnings: [
      ...refused,
      ...problemNotes(scan.skipped.problems),
      ...r.notes.map((n) => `${src.name}: ${n}`),
      ...(modality
        ? [`NIfTI files store no modality: treated as ${modality} (${modality === 'CT' ? 'the values span air to bone in HU' : 'the values are not HU'})`]
        : []),
      ...niftiNotChosen,
    ],
    otherSeries: scan.stacks.map((s) => ({
      description: s.description,
      slices: s.headers.length,
      why: s.notVolume ?? (stackVoxels(s) <= loadedVoxels ? 'smaller than the NIfTI volume' : 'not picked'),
    })),
    series,
    reload,
  };
}
