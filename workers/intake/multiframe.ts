// Multi-frame files (Enhanced CT/MR): each frame's geometry and rescale from the functional groups,
// each frame's place in the pixel data, one header per frame for grouping and decoding, and the byte
// range a frame's decoding needs (so a 150 MB file is never read whole for each of its frames).
import type { DataSet } from 'dicom-parser';
import { datasetChunks, DEFLATED_LE, nums } from './dicomDataset';
import type { Encapsulated } from './fragments';
import { checkedOrientation, checkedPixelSpacing, checkedRescale } from './geometryChecks';
import type { DicomHeader, FrameValues, PixelDataLocation } from './headerTypes';
import { collect } from './inflate';
import { MAX_FRAMES } from './limits';

/** The top-level values a frame falls back to (the file's header as read). */
type TopLevel = Pick<
  DicomHeader,
  | 'imageOrientationPatient'
  | 'orientationProblem'
  | 'repairs'
  | 'pixelSpacing'
  | 'pixelSpacingKnown'
  | 'rescaleSlope'
  | 'rescaleIntercept'
  | 'rows'
  | 'columns'
  | 'samplesPerPixel'
  | 'bitsAllocated'
  | 'pixelData'
>;

const SHARED_GROUPS = 'x52009229';
const PER_FRAME_GROUPS = 'x52009230';
const PLANE_POSITION = 'x00209113';
const PLANE_ORIENTATION = 'x00209116';
const PIXEL_MEASURES = 'x00289110';
const PIXEL_VALUE_TRANSFORMATION = 'x00289145';
const FRAME_CONTENT = 'x00209111';

/** The first item of functional group macro `macro` inside one functional groups item. */
const macroItem = (group: DataSet | undefined, macro: string): DataSet | undefined => group?.elements[macro]?.items?.[0]?.dataSet;

/** A value read from the frame's per-frame group, else the shared group; undefined when neither has it. */
function groupValue<T>(frame: DataSet | undefined, shared: DataSet | undefined, macro: string, read: (item: DataSet) => T | undefined): T | undefined {
  for (const group of [frame, shared]) {
    const item = macroItem(group, macro);
    const v = item && read(item);
    if (v !== undefined) return v;
  }
  return undefined;
}

const vec = (ds: DataSet, tag: string, n: number) => {
  const v = nums(ds, tag);
  return v && v.length === n ? v : undefined;
};
const num = (ds: DataSet, tag: string) => (ds.string(tag) ? ds.floatString(tag) : undefined);

/**
 * Which fragments ([position, length], in file order) make up each of `frames` frames: by the Basic
 * Offset Table when it is valid (offsets from the first fragment, one per frame), else one fragment
 * per frame when the counts match (always so for RLE), else a new frame at each fragment that starts
 * a codestream (`starts`). Null when none of these gives `frames` frames.
 */
export function splitFragments(
  fragments: [number, number][],
  basicOffsetTable: number[],
  frames: number,
  starts: (position: number) => boolean,
): [number, number][][] | null {
  if (!fragments.length) return null;
  if (frames === 1) return [fragments];
  const first = fragments[0][0];
  const bot = basicOffsetTable;
  if (bot.length === frames && bot[0] === 0 && bot.every((o, k) => k === 0 || o > bot[k - 1])) {
    const out: [number, number][][] = bot.map(() => []);
    let k = -1;
    for (const f of fragments) {
      if (f[0] - first === bot[k + 1]) k++;
      if (k >= 0) out[k].push(f);
    }
    if (out.every((fs) => fs.length)) return out;
  }
  if (fragments.length === frames) return fragments.map((f) => [f]);
  const out: [number, number][][] = [];
  for (const f of fragments) {
    if (!out.length || starts(f[0])) out.push([f]);
    else out[out.length - 1].push(f);
  }
  return out.length === frames ? out : null;
}

/**
 * Where each frame's pixel data lies, or what is wrong with it (a message for a damaged file). The
 * frame count is checked against the pixel data actually present (`size`: the dataset's bytes)
 * before anything per frame is made.
 */
function framePixelData(frames: number, top: TopLevel, encapsulated: Encapsulated | null, size: number): PixelDataLocation[] | string {
  const { pixelData } = top;
  if (pixelData.fragments) {
    if (!encapsulated) return 'the compressed pixel data could not be listed';
    if (frames > pixelData.fragments.length)
      return `the header says ${frames} frames but the compressed pixel data holds only ${pixelData.fragments.length} fragments: the header is damaged`;
    const split = splitFragments(pixelData.fragments, encapsulated.basicOffsetTable, frames, encapsulated.starts);
    if (!split) return `the compressed pixel data (${pixelData.fragments.length} fragments, no usable offset table) cannot be split into its ${frames} frames`;
    return split.map((fragments) => {
      const [start] = fragments[0];
      const [lastPos, lastLen] = fragments[fragments.length - 1];
      return { offset: start, length: lastPos + lastLen - start, fragments };
    });
  }
  const frameBytes = Math.ceil((top.rows * top.columns * top.samplesPerPixel * top.bitsAllocated) / 8);
  const need = frameBytes * frames;
  if (pixelData.offset + need > size)
    return `the file ends too early (truncated): it holds ${Math.max(0, Math.floor((size - pixelData.offset) / frameBytes))} of ${frames} frames of pixel data`;
  if (pixelData.length < need)
    return `the header says ${frames} frames of ${top.columns} × ${top.rows} pixels (${need} bytes) but the pixel data holds only ${pixelData.length} bytes: the header is damaged`;
  return Array.from({ length: frames }, (_, k) => ({ offset: pixelData.offset + k * frameBytes, length: frameBytes, fragments: null }));
}

/**
 * The values of each frame of a file with functional groups (Enhanced CT/MR and the like): position,
 * orientation, pixel spacing and rescale per frame (per-frame group, else shared group, else `top`),
 * checked as a classic header's are (see geometryChecks), StackID and the frame's pixel data. Null
 * when not every frame has a position of its own (no functional groups: legacy multi-frame or cine,
 * which are not volumes); a string saying what is wrong when the frame count is absurd or the pixel
 * data does not hold the frames (damaged or truncated file). `size` is the dataset's byte count.
 */
export function readFrameValues(ds: DataSet, frames: number, top: TopLevel, encapsulated: Encapsulated | null, size: number): FrameValues[] | string | null {
  const shared = ds.elements[SHARED_GROUPS]?.items?.[0]?.dataSet;
  const perFrame = ds.elements[PER_FRAME_GROUPS]?.items ?? [];
  if (!shared && !perFrame.length) return null;
  if (!Number.isInteger(frames) || frames < 1) return `the header says ${frames} frames: the header is damaged`;
  if (frames > MAX_FRAMES) return `the header says ${frames} frames, more than the ${MAX_FRAMES} this app reads from one file: the header is damaged`;
  if (perFrame.length && perFrame.length !== frames)
    return `the header says ${frames} frames but describes ${perFrame.length} (per-frame functional groups): the header is damaged`;
  // the pixel data first: it bounds the frame count by what the file really holds
  const pixels = framePixelData(frames, top, encapsulated, size);
  if (typeof pixels === 'string') return pixels;
  const positions = pixels.map((_, k) => groupValue(perFrame[k]?.dataSet, shared, PLANE_POSITION, (it) => vec(it, 'x00200032', 3)));
  if (positions.some((p) => !p)) return null;
  return positions.map((p, k) => {
    const frame = perFrame[k]?.dataSet;
    const rawSpacing = groupValue(frame, shared, PIXEL_MEASURES, (it) => vec(it, 'x00280030', 2));
    const rawOrientation = groupValue(frame, shared, PLANE_ORIENTATION, (it) => vec(it, 'x00200037', 6));
    const spacing = rawSpacing ? checkedPixelSpacing(rawSpacing, 'PixelSpacing') : null;
    const orientation = rawOrientation ? checkedOrientation(rawOrientation) : null;
    const rescale = checkedRescale(
      groupValue(frame, shared, PIXEL_VALUE_TRANSFORMATION, (it) => num(it, 'x00281053')) ?? top.rescaleSlope,
      groupValue(frame, shared, PIXEL_VALUE_TRANSFORMATION, (it) => num(it, 'x00281052')) ?? top.rescaleIntercept,
    );
    const repairs = [...(spacing?.repairs ?? []), ...(orientation?.repairs ?? []), ...rescale.repairs];
    const problem = orientation ? orientation.problem : top.orientationProblem;
    const values: FrameValues = {
      imagePositionPatient: [p![0], p![1], p![2]],
      imageOrientationPatient: orientation ? orientation.value : top.imageOrientationPatient,
      pixelSpacing: spacing ? spacing.value : top.pixelSpacing,
      pixelSpacingKnown: !!spacing || top.pixelSpacingKnown,
      rescaleSlope: rescale.slope,
      rescaleIntercept: rescale.intercept,
      stackId: groupValue(frame, shared, FRAME_CONTENT, (it) => it.string('x00209056')?.trim()) ?? '',
      pixelData: pixels[k],
    };
    if (problem) values.orientationProblem = problem;
    if (repairs.length || top.repairs) values.repairs = [...new Set([...(top.repairs ?? []), ...repairs])];
    return values;
  });
}

/**
 * One header per frame of a file read with per-frame values (see readFrameValues), each describing
 * a single-frame image (`frame` says which); any other header as it is. Grouping and decoding then
 * treat the frames of an Enhanced file like the files of a classic series.
 */
export function framesOf(h: DicomHeader): DicomHeader[] {
  if (!h.perFrame) return [h];
  // each frame's orientation and repairs are its own (they include the top level's where it fell back)
  const { perFrame, orientationProblem: _problem, repairs: _repairs, ...file } = h;
  return perFrame.map((values, frame) => ({ ...file, ...values, frame, numberOfFrames: 1 }));
}

type Located = Pick<DicomHeader, 'transferSyntax' | 'pixelData'>;

/**
 * The file bytes [start, end) that hold the pixel data of `h`'s (single) frame, with a copy of `h`
 * whose pixel data offsets refer to those bytes. Null for deflated files, whose offsets refer to the
 * inflated dataset (they are read whole).
 */
export function frameRange<H extends Located>(h: H): { start: number; end: number; header: H } | null {
  if (h.transferSyntax === DEFLATED_LE) return null;
  const { offset, length, fragments } = h.pixelData;
  if (!fragments) return { start: offset, end: offset + length, header: { ...h, pixelData: { offset: 0, length, fragments: null } } };
  let start = Infinity, end = 0;
  for (const [pos, len] of fragments) (start = Math.min(start, pos)), (end = Math.max(end, pos + len));
  const rebased = fragments.map(([pos, len]): [number, number] => [pos - start, len]);
  return { start, end, header: { ...h, pixelData: { offset: 0, length: end - start, fragments: rebased } } };
}

/** A file a frame is read from: whole, in part (a Blob or a byte range), or as a stream (a zip entry). */
export interface FrameFile {
  read(): Promise<ArrayBuffer>;
  blob?: Blob;
  /** bytes [start, end) of the file */
  readRange?(start: number, end: number): Promise<ArrayBuffer>;
  /** the file's bytes in order, read (inflated) only as far as they are pulled */
  chunks?(): AsyncIterable<Uint8Array>;
}

/** The file's bytes as chunks: its own stream, a Blob in pieces, or one whole read. */
async function* fileChunks(file: FrameFile): AsyncGenerator<Uint8Array> {
  if (file.chunks) yield* file.chunks();
  else if (file.blob) for (let at = 0; at < file.blob.size; at += 1 << 20) yield new Uint8Array(await file.blob.slice(at, at + (1 << 20)).arrayBuffer());
  else yield new Uint8Array(await file.read());
}

/**
 * The bytes `h`'s frame decodes from, with the header whose offsets refer to them: only the frame's
 * bytes when the file can be read in part; a stream (a zip entry) inflated only up to the frame's
 * end; a deflated dataset inflated only up to the end of the frame's pixel data (never further,
 * whatever the stream holds).
 */
export async function readFrame<H extends Located>(file: FrameFile, h: H): Promise<{ bytes: Uint8Array; header: H }> {
  const r = frameRange(h);
  if (!r) return { bytes: await collect(datasetChunks(fileChunks(file)), h.pixelData.offset + h.pixelData.length), header: h };
  if (file.readRange) return { bytes: new Uint8Array(await file.readRange(r.start, r.end)), header: r.header };
  if (file.blob) return { bytes: new Uint8Array(await file.blob.slice(r.start, r.end).arrayBuffer()), header: r.header };
  if (file.chunks) return { bytes: (await collect(file.chunks(), r.end)).subarray(r.start, r.end), header: r.header };
  return { bytes: new Uint8Array(await file.read(), r.start, r.end - r.start), header: r.header };
}
