// Everything the user opened or dropped → one LoadResult. Zip archives are opened into their entries;
// NIfTI files (.nii, .nii.gz, or NIfTI content under another name) are told apart from DICOM; the
// largest volume (by voxel count) among the DICOM series and the NIfTI files is loaded, and the rest
// is named in the notes. Runs in the browser and in Node alike: only the slice decoder differs.
import { sharedBytes } from '../core/sharedMemory';
import { blobChunks } from './inflate';
import { addSkip, noSkips, plural, problemNotes, type Skipped } from './skipped';
import { decodeStack, fitToBudget } from './decodeStack';
import { type HeaderScan, noVolumeFound, scanHeaders } from './headerScan';
import { type LoadControl, throwIfCancelled, type LoadProgress, type LoadResult, type SliceDecoder, type SourceFile } from './loadTypes';
import { stackVoxels } from './series';
import { buildChoices, orderedSlices, type ChoiceEntry, type NiftiCandidate } from './choices';
import { dimsText } from './downsample';
import { isNifti, niftiExtent, readNiftiHead, readNiftiStream } from './nifti';
import { cleanText } from './text';
import { imageThumb, middleSlice, type Thumb } from './thumbnail';
import { planZip, readZipDirectory, zipEntryFile, ZipRefused, type ByteRef } from './zip';

export interface InputSource extends SourceFile {
  /** the file itself when it is one (not an entry of an archive): read in slices, streamed */
  blob?: Blob;
  /** where its bytes are, for a worker to read them (a File, or a zip entry to inflate) */
  ref?: ByteRef;
}

/** A File as a source, named by its relative path when a folder was opened (made safe to show). */
export const fileSource = (file: File): InputSource => ({
  name: cleanText(file.webkitRelativePath || file.name),
  read: () => file.arrayBuffer(),
  head: async (n) => ({ bytes: await file.slice(0, n).arrayBuffer(), size: file.size }),
  chunks: () => blobChunks(file),
  blob: file,
  ref: { blob: file },
});

const NIFTI_NAME = /\.nii(\.gz)?$/i;

function mergeSkips(into: Skipped, from: Skipped) {
  into.count += from.count;
  for (const [r, n] of Object.entries(from.reasons)) into.reasons[r] = (into.reasons[r] ?? 0) + n;
  into.problems.push(...from.problems);
}

/**
 * Replaces each .zip by its entries. Refused or unreadable archives are named in `refused` (one
 * message each) and skipped: the other files still load.
 */
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
      refused.push(e instanceof ZipRefused ? e.message : `${s.name}: not a readable zip archive (${(e as Error).message ?? e}). Unzip it yourself and open or drop the folder.`);
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

/** A source's bytes as chunks: its own stream, else one whole read. */
async function* sourceChunks(s: SourceFile): AsyncGenerator<Uint8Array> {
  if (s.chunks) yield* s.chunks();
  else yield new Uint8Array(await s.read());
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
      const { dims, spacing, description } = niftiExtent(await readNiftiHead(sourceChunks(s), s.name), s.name);
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

  // The NIfTI volume: inflated as far as the end of its first volume, voxels converted into shared memory
  // as they come (in the decoder's worker when it has one). Over the budget it loads in full or not at all.
  const { src, dims } = entry.nifti;
  await fitToBudget(entry.nifti.description || src.name, dims, control, false);
  onProgress({ phase: 'reading NIfTI', done: 0, total: 1, file: src.name });
  const data = new Int16Array(sharedBytes(2 * dims[0] * dims[1] * dims[2]));
  const r = decoder.readNifti
    ? await decoder.readNifti(src, data, control.signal)
    : await readNiftiStream(sourceChunks(src), src.name, (n) => (n === data.length ? data : new Int16Array(sharedBytes(2 * n))), () => throwIfCancelled(control.signal));
  throwIfCancelled(control.signal);
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
