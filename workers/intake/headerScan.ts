// Files → their DICOM headers (read from each file's first bytes where possible), grouped into stacks,
// with the volumetric stack chosen.
import { datasetBytes, mayBeDicom } from './dicomDataset';
import { headerFromPrefix, readHeader } from './dicomHeader';
import type { DicomHeader, NotImage } from './headerTypes';
import { framesOf } from './multiframe';
import { runQueue } from './queue';
import { chooseStack, groupStacks, type Stack } from './series';
import { addSkip, noSkips, type Skipped } from './skipped';
import { throwIfCancelled, type LoadProgress, type SourceFile } from './loadTypes';

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
