// Recognises DICOM by content and reads the few header fields the app needs into a small plain object
// (cloneable to a worker). Never keeps patient identity: no name, id or birth date is read at all.
// A large file's header is read from its first bytes in growing windows, jumping over large values
// (readHeaderFrom); a small file's from all of it (readHeader).
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { streamReader, type ByteReader } from './byteReader';
import { datasetChunks, DEFLATED_LE, EXPLICIT_LE, hasPreamble, IMPLICIT_LE, metaInfo, mayBeDicom, nums, parseDataset } from './dicomDataset';
import { startsCodestream, walkFragments, type Encapsulated } from './fragments';
import { checkedOrientation, checkedPixelSpacing, checkedRescale } from './geometryChecks';
import type { DicomHeader, NotImage, PixelDataLocation } from './headerTypes';
import { formatBytes, HEADER_WINDOW_CAP } from './limits';
import { readFrameValues } from './multiframe';
import { cleanText, decodeText, textEncoding } from './text';
import { transferSyntaxName } from './transferSyntax';

const BIG_ENDIAN = '1.2.840.10008.1.2.2';

const SOP_KINDS: [string, string][] = [
  ['1.2.840.10008.1.3.10', 'DICOMDIR'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'structured report'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'RT object'],
  ['1.2.840.10008.5.1.4.1.1.66', 'segmentation/registration'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'presentation state'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'encapsulated document'],
];

/** SOP classes of images (CT, MR, PET, NM, secondary capture, CR/DX): their files always hold pixel data. */
const IMAGE_CLASSES = ['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.4', '1.2.840.10008.5.1.4.1.1.128', '1.2.840.10008.5.1.4.1.1.130', '1.2.840.10008.5.1.4.1.1.20', '1.2.840.10008.5.1.4.1.1.7', '1.2.840.10008.5.1.4.1.1.1'];

/**
 * Where the pixel data lies in the dataset (file) bytes: offsets in `ds` plus `shift` (the bytes of
 * skipped values before it, see readHeaderFrom). Encapsulated fragments as listed by dicom-parser
 * (a whole file) or by walkFragments.
 */
function locatePixelData(ds: DataSet, shift: number, encapsulated: Encapsulated | null): PixelDataLocation {
  const el = ds.elements.x7fe00010;
  if (!el.hadUndefinedLength && !el.encapsulatedPixelData) return { offset: el.dataOffset + shift, length: el.length, fragments: null };
  return { offset: el.dataOffset + shift, length: encapsulated?.length ?? el.length, fragments: encapsulated?.fragments ?? [] };
}

/** The fragments of a whole file's encapsulated pixel data, as dicom-parser listed them. */
function parsedFragments(ds: DataSet, bytes: Uint8Array): Encapsulated | null {
  const el = ds.elements.x7fe00010;
  if (!el?.encapsulatedPixelData) return null;
  return {
    length: el.length,
    fragments: (el.fragments ?? []).map((f): [number, number] => [f.position, f.length]),
    basicOffsetTable: el.basicOffsetTable ?? [],
    starts: (at) => startsCodestream(bytes, at),
  };
}

/** PixelPaddingValue and PixelPaddingRangeLimit (US or SS, as the pixels are unsigned or signed) as [low, high]. */
function paddingRange(ds: DataSet, pixelRepresentation: number): [number, number] | null {
  const read = (tag: string) => (ds.elements[tag]?.length === 2 ? (pixelRepresentation === 1 ? ds.int16(tag) : ds.uint16(tag)) : undefined);
  const pad = read('x00280120');
  if (pad === undefined) return null;
  const limit = read('x00280121') ?? pad;
  return [Math.min(pad, limit), Math.max(pad, limit)];
}

/** Siemens NumberOfImagesInMosaic (0019,100A, US) under a SIEMENS private creator (0019,0010), or undefined. */
function mosaicImages(ds: DataSet): number | undefined {
  if (!(ds.string('x00190010') ?? '').toUpperCase().startsWith('SIEMENS') || ds.elements.x0019100a?.length !== 2) return undefined;
  return ds.uint16('x0019100a') || undefined;
}

/** The kind of non-image object a SOP class is ("DICOMDIR", "structured report", …), or null. */
const nonImageKind = (sopClassUid: string) => SOP_KINDS.find(([prefix]) => sopClassUid.startsWith(prefix))?.[1] ?? null;

/** MediaStorageSOPClassUID from the meta header alone ('' when it cannot be read). */
function metaSopClass(bytes: Uint8Array): string {
  try {
    return (dicomParser.readPart10Header(bytes).string('x00020002') ?? '').trim();
  } catch {
    return '';
  }
}

/** Names that promise DICOM content, so a file with such a name that is not DICOM is reported as damaged. */
const DICOM_NAME = /\.(dcm|dicom|dic|ima)$/i;

function notDicom(fileName: string): NotImage {
  return DICOM_NAME.test(fileName)
    ? { kind: 'skip', fileName, reason: 'not DICOM', problem: 'named like a DICOM file, but its content is not DICOM (damaged, or another kind of file)' }
    : { kind: 'skip', fileName, reason: 'not DICOM' };
}

const damaged = (fileName: string, problem: string): NotImage => ({ kind: 'skip', fileName, reason: 'damaged DICOM', problem });

/**
 * Why the pixel data cannot hold the image the header describes (absurd Rows/Columns, a cut file), or
 * null. Native data must hold at least one frame; compressed fragments must lie inside the file.
 */
function pixelDataProblem(p: PixelDataLocation, rows: number, columns: number, samples: number, bitsAllocated: number, fileLength: number): string | null {
  if (p.fragments) {
    if (!p.fragments.length) return 'the compressed pixel data has no fragments';
    let end = 0;
    for (const [pos, len] of p.fragments) end = Math.max(end, pos + len);
    return end > fileLength ? `the file ends too early (truncated): the pixel data runs to byte ${end}, the file has ${fileLength}` : null;
  }
  const need = Math.ceil((rows * columns * samples * bitsAllocated) / 8);
  if (p.offset + p.length > fileLength) return `the file ends too early (truncated): ${fileLength - p.offset} of ${p.length} bytes of pixel data`;
  if (p.length < need)
    return `the header says ${columns} × ${rows} pixels (${need} bytes) but the pixel data holds only ${p.length} bytes: the header is damaged`;
  return null;
}

/** dicom-parser throws strings and { exception, dataSet } objects as well as Errors: the message, and the dataset parsed so far. */
function parseError(e: unknown): { why: string; partial: DataSet | null } {
  if (e instanceof Error) return { why: e.message, partial: null };
  if (typeof e === 'string') return { why: e, partial: null };
  const o = e as { exception?: string; dataSet?: DataSet };
  return { why: String(o.exception ?? e), partial: o.dataSet ?? null };
}

/**
 * The transfer syntax a Part 10 file's dataset really parses with, when it is not the one its meta
 * header names: parsed to the pixel data as another syntax, it must hold Rows and Columns. Null when
 * no other syntax fits (the file is then truncated or damaged).
 */
function actualSyntax(bytes: Uint8Array): string | null {
  const meta = metaInfo(bytes);
  if (!meta) return null;
  for (const ts of [EXPLICIT_LE, IMPLICIT_LE, BIG_ENDIAN]) {
    if (ts === meta.transferSyntax) continue;
    const parser = ts === BIG_ENDIAN ? dicomParser.bigEndianByteArrayParser : dicomParser.littleEndianByteArrayParser;
    const ds = new (dicomParser as unknown as { DataSet: new (p: typeof parser, b: Uint8Array, e: object) => DataSet }).DataSet(parser, bytes, {});
    try {
      const stream = new dicomParser.ByteStream(parser, bytes, meta.end);
      if (ts === IMPLICIT_LE) dicomParser.parseDicomDataSetImplicit(ds, stream, bytes.length, { untilTag: 'x7fe00010' });
      else dicomParser.parseDicomDataSetExplicit(ds, stream, bytes.length, { untilTag: 'x7fe00010' });
    } catch {
      continue;
    }
    if (ds.elements.x00280010?.length === 2 && ds.elements.x00280011?.length === 2 && ds.elements.x7fe00010) return ts;
  }
  return null;
}

/** What is wrong with a Part 10 file dicom-parser cannot parse (`why` is its message). */
function damagedWhy(bytes: Uint8Array, why: string): string {
  const actual = actualSyntax(bytes);
  if (actual)
    return (
      `the meta header says the dataset is ${transferSyntaxName(metaInfo(bytes)!.transferSyntax)}, but it is written as ${transferSyntaxName(actual)}: ` +
      'the file is inconsistent (damaged, or badly converted); export or convert it again'
    );
  if (/call stack/i.test(why)) return `damaged DICOM: its sequences are nested too deeply to read (${why})`;
  if (/meta header|position' cannot be greater/i.test(why)) return `damaged DICOM: its meta header (the start of the file) is cut short or damaged (${why})`;
  if (/overrun|end of (buffer|file)|past the end/i.test(why)) return `an element runs past the end of the file: the file ends too early (truncated) or is damaged (${why})`;
  return `damaged DICOM: ${why}`;
}

/** Reads the header of one file held whole. `bytes` from `datasetBytes`. */
export function readHeader(fileName: string, bytes: Uint8Array): DicomHeader | NotImage {
  if (bytes.length === 0) return { kind: 'skip', fileName, reason: 'empty file', problem: 'the file is empty (0 bytes)' };
  let ds: DataSet | null;
  try {
    ds = parseDataset(bytes);
  } catch (e) {
    if (!hasPreamble(bytes)) return notDicom(fileName);
    // a directory or other non-image object whose body dicom-parser rejects is still skipped by kind
    const kind = nonImageKind(metaSopClass(bytes));
    if (kind) return { kind: 'skip', fileName, reason: kind };
    return damaged(fileName, damagedWhy(bytes, parseError(e).why));
  }
  if (!ds) return notDicom(fileName);
  const cut = truncatedElement(ds, bytes.length);
  if (cut) return damaged(fileName, `the file ends too early (truncated) inside element (${cut.slice(1, 5)},${cut.slice(5)})`);
  return safeHeader(fileName, () => datasetHeader(fileName, ds, bytes.length, 0, parsedFragments(ds, bytes)));
}

/** The tag of a top-level element whose value runs past the end of the bytes parsed (a cut file), or null. */
function truncatedElement(ds: DataSet, length: number): string | null {
  for (const el of Object.values(ds.elements)) if (!el.hadUndefinedLength && el.dataOffset + el.length > length) return el.tag;
  return null;
}

/** The header, or a damaged-file message when a value cannot be read as its VR says (a damaged header). */
function safeHeader(fileName: string, read: () => DicomHeader | NotImage): DicomHeader | NotImage {
  try {
    return read();
  } catch (e) {
    return damaged(fileName, `damaged DICOM: a header value cannot be read (${parseError(e).why})`);
  }
}

/** A dataset whose body holds elements of group 0000 (zeros, or no dataset at all) is not one. */
const isJunk = (ds: DataSet) => !!ds.elements.x00000000;
const junk = (fileName: string) => damaged(fileName, 'damaged DICOM: no valid elements after the meta header (zeros or other bytes)');

/**
 * Bytes a header is read from before the windows grow one file at a time: everything before the
 * pixel data in nearly every file (CT headers take 2–70 KiB, Siemens MR with its private CSA blocks
 * about 100 KiB), so a slice's pixels are read only once, when it is decoded. The first read takes
 * FIRST_READ of them, which holds most CT headers whole: reading 128 KiB of every file cost a 300-slice
 * CT 0.4–0.5 s more in Chromium (1.3 against 0.8 s for its headers).
 */
export const HEADER_PREFIX = 128 * 1024;
const FIRST_READ = 16 * 1024;

/** Values at least this long that run past a header window are jumped over instead of read. */
const SKIP_MIN_BYTES = 1 << 20;

/**
 * The header of a file read through `reader`: from its first HEADER_PREFIX bytes when they hold
 * everything up to the pixel data (nearly always), else from growing windows (8× each time, up to
 * HEADER_WINDOW_CAP), which `oneAtATime` runs (so few large reads are in memory at once). A large
 * value (a private block, a thumbnail) that runs past a window is jumped over, not read: it is cut out
 * of the bytes parsed, and the offsets after it shifted back by its length. Compressed pixel data is
 * listed item by item (walkFragments). A deflated dataset is read through its inflated stream. A file
 * whose first bytes are not DICOM, or whose meta header cannot be read from them, is classified from
 * those bytes alone.
 */
export async function readHeaderFrom(
  fileName: string,
  reader: ByteReader,
  oneAtATime: <T>(run: () => Promise<T>) => Promise<T> = (run) => run(),
): Promise<DicomHeader | NotImage> {
  let bytes = await reader.read(0, FIRST_READ);
  if (bytes.length === 0) return readHeader(fileName, bytes);
  if (!mayBeDicom(bytes)) return notDicom(fileName);
  if (hasPreamble(bytes)) {
    let meta = metaInfo(bytes);
    if (!meta && bytes.length < reader.size) {
      // (a meta header longer than the first read: read on to HEADER_PREFIX)
      bytes = (await readOn(reader, bytes, bytes.length, HEADER_PREFIX)) ?? bytes;
      meta = metaInfo(bytes);
    }
    if (meta?.junk) return junk(fileName);
    if (!meta && bytes.length < reader.size) {
      // a meta header that does not parse from the first 128 KiB never will: nothing more is read
      const kind = nonImageKind(metaSopClass(bytes));
      return kind ? { kind: 'skip', fileName, reason: kind } : damaged(fileName, 'damaged DICOM: its meta header (the start of the file) cannot be read');
    }
    if (meta?.transferSyntax === DEFLATED_LE) {
      reader = streamReader(datasetChunks(readerChunks(reader)));
      bytes = await reader.read(0, HEADER_PREFIX);
    }
  }
  const state: Window = { bytes, end: bytes.length, skipped: 0, linearFrom: 0 };
  let first = await attempt(fileName, reader, state);
  if (first === 'more' && state.bytes.length < HEADER_PREFIX) {
    // (up to HEADER_PREFIX side by side with other files, as the first read)
    if (!(await grow(reader, state, HEADER_PREFIX))) return unreadable(fileName);
    first = await attempt(fileName, reader, state);
  }
  if (first !== 'more') return first;
  return oneAtATime(async () => {
    for (;;) {
      const r = await attempt(fileName, reader, state);
      if (r !== 'more') return r;
      if (state.bytes.length >= HEADER_WINDOW_CAP) return tooLong(fileName);
      if (!(await grow(reader, state, Math.min(HEADER_WINDOW_CAP, 8 * state.bytes.length)))) return unreadable(fileName);
    }
  });
}

const unreadable = (fileName: string) => damaged(fileName, 'the file could not be read to its end');

/** Reads on from the window's end until it holds `bytes` (or the file ends); false when the reader gave nothing before the end. */
async function grow(reader: ByteReader, state: Window, bytes: number): Promise<boolean> {
  const grown = await readOn(reader, state.bytes, state.end, bytes);
  if (!grown) return false;
  state.end += grown.length - state.bytes.length;
  state.bytes = grown;
  return true;
}

/** `held` (bytes ending at file offset `end`) followed by the file's next bytes, `size` in all (fewer at the file's end); null when the reader gave nothing before its end. */
async function readOn(reader: ByteReader, held: Uint8Array, end: number, size: number): Promise<Uint8Array | null> {
  const more = await reader.read(end, end + size - held.length);
  if (!more.length && end < reader.size) return null;
  const out = new Uint8Array(held.length + more.length);
  out.set(held);
  out.set(more, held.length);
  return out;
}

const tooLong = (fileName: string) =>
  damaged(
    fileName,
    `damaged DICOM: no image header in its first ${formatBytes(HEADER_WINDOW_CAP)} (the pixel data is not found there: a damaged file, or far longer headers than any scan has)`,
  );

/**
 * The bytes parsed so far: file bytes up to `end`, with `skipped` bytes of large values cut out;
 * from index `linearFrom` on (after the last cut), bytes[i] is file byte i + skipped.
 */
interface Window {
  bytes: Uint8Array;
  end: number;
  skipped: number;
  linearFrom: number;
}

/** `reader`, serving what the window already holds from it (a forward reader cannot read it again). */
const withWindow = (reader: ByteReader, w: Window): ByteReader => ({
  get size() {
    return reader.size;
  },
  seekable: reader.seekable,
  async read(start, end) {
    const from = start - w.skipped;
    if (from < w.linearFrom || start >= w.end) return reader.read(start, end);
    const held = w.bytes.subarray(from, Math.min(end, w.end) - w.skipped);
    if (end <= w.end) return held;
    const rest = await reader.read(w.end, end);
    const out = new Uint8Array(held.length + rest.length);
    out.set(held);
    out.set(rest, held.length);
    return out;
  },
});

/**
 * One try at the header from the bytes in hand: the header (or why there is none), else 'more' when
 * the bytes stop before the pixel data. A large value running past them is jumped over here.
 */
async function attempt(fileName: string, reader: ByteReader, w: Window): Promise<DicomHeader | NotImage | 'more'> {
  for (;;) {
    const whole = w.end >= reader.size;
    if (whole && !w.skipped) return readHeader(fileName, w.bytes);
    let ds: DataSet | null = null;
    let overrun: Element | null = null;
    try {
      ds = parseDataset(w.bytes, true);
    } catch (e) {
      const { why, partial } = parseError(e);
      if (partial && isJunk(partial)) return junk(fileName);
      if (whole) return damaged(fileName, `damaged DICOM: ${why}`);
      overrun = partial && lastElement(partial, w.bytes.length);
    }
    if (ds && isJunk(ds)) return junk(fileName);
    const pixels = ds?.elements.x7fe00010;
    if (ds && (pixels || whole)) {
      let encapsulated: Encapsulated | null = null;
      if (pixels?.hadUndefinedLength) {
        const walk = await walkFragments(withWindow(reader, w), pixels.dataOffset + w.skipped);
        if (typeof walk === 'string') return damaged(fileName, walk);
        encapsulated = walk;
      }
      return safeHeader(fileName, () => datasetHeader(fileName, ds!, reader.size, w.skipped, encapsulated));
    }
    if (!overrun || overrun.length < SKIP_MIN_BYTES || overrun.items || overrun.vr === 'SQ' || overrun.hadUndefinedLength) return 'more';
    // jump over the value: keep the element with length 0, then read on from after its value (a
    // stream, e.g. a deflated dataset, must inflate what it jumps over: only within the window cap)
    const at = overrun.dataOffset;
    const after = at + w.skipped + overrun.length;
    if (!reader.seekable && after > HEADER_WINDOW_CAP) return tooLong(fileName);
    const next = await reader.read(after, after + HEADER_PREFIX);
    const spliced = new Uint8Array(at + next.length);
    spliced.set(w.bytes.subarray(0, at));
    spliced.set(next, at);
    new DataView(spliced.buffer).setUint32(at - 4, 0, true);
    w.skipped += overrun.length;
    w.bytes = spliced;
    w.end = after + next.length;
    w.linearFrom = at;
  }
}

/** A reader's bytes from the start, 1 MiB at a time, to its end. */
async function* readerChunks(reader: ByteReader): AsyncGenerator<Uint8Array> {
  for (let at = 0; ; at += 1 << 20) {
    const b = await reader.read(at, at + (1 << 20));
    if (b.length) yield b;
    if (b.length < 1 << 20) return;
  }
}

/** The top-level element parsed last whose value runs past `length` bytes (where parsing stopped), or null. */
function lastElement(partial: DataSet, length: number): Element | null {
  let last: Element | null = null;
  for (const el of Object.values(partial.elements)) if (el.dataOffset + el.length > length && (!last || el.dataOffset > last.dataOffset)) last = el;
  return last;
}

/**
 * The header of a parsed dataset; `size` is the whole dataset's byte count (the file's), `shift`
 * the bytes cut out before the pixel data (see readHeaderFrom), `encapsulated` its fragments.
 */
function datasetHeader(fileName: string, ds: DataSet, size: number, shift: number, encapsulated: Encapsulated | null): DicomHeader | NotImage {
  const sopClassUid = (ds.string('x00080016') || ds.string('x00020002') || '').trim();
  if (ds.elements.x00041220 || ds.elements.x00041200) return { kind: 'skip', fileName, reason: 'DICOMDIR' };
  const kind = nonImageKind(sopClassUid);
  if (kind) return { kind: 'skip', fileName, reason: kind };
  // a bare dataset must look like a real object, not a binary file that happens to start with 08 00
  if (!hasPreamble(ds.byteArray) && !sopClassUid && !ds.string('x00080060')) return notDicom(fileName);
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  if (!ds.elements.x7fe00010) {
    // an image (Rows and Columns, or an image SOP class) without its pixels: the file stops short of them
    if (((rows && columns) || IMAGE_CLASSES.some((c) => sopClassUid.startsWith(c))) && !ds.elements.x7fe00008 && !ds.elements.x7fe00009)
      return damaged(fileName, `the file ends before its pixel data (truncated after ${formatBytes(size)})`);
    return { kind: 'skip', fileName, reason: 'no pixel data' };
  }
  if (!rows || !columns) return { kind: 'skip', fileName, reason: 'no image size' };
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const pixelRepresentation = ds.uint16('x00280103') ?? 0;
  const pixelData = locatePixelData(ds, shift, encapsulated);
  const sizeProblem = pixelDataProblem(pixelData, rows, columns, samplesPerPixel, bitsAllocated, size);
  if (sizeProblem) return damaged(fileName, sizeProblem);
  const spacing = checkedPixelSpacing(nums(ds, 'x00280030') ?? nums(ds, 'x00181164'), 'PixelSpacing');
  const orientation = checkedOrientation(nums(ds, 'x00200037'));
  const rescale = checkedRescale(ds.floatString('x00281053'), ds.floatString('x00281052'));
  const pos = nums(ds, 'x00200032');
  const repairs = [...spacing.repairs, ...orientation.repairs, ...rescale.repairs];
  const header: DicomHeader = {
    kind: 'image',
    fileName,
    sopClassUid,
    sopInstanceUid: (ds.string('x00080018') || ds.string('x00020003') || '').trim(),
    modality: cleanText(ds.string('x00080060') ?? '').trim(),
    seriesUid: (ds.string('x0020000e') ?? '').trim(),
    studyUid: (ds.string('x0020000d') ?? '').trim(),
    frameOfReferenceUid: (ds.string('x00200052') ?? '').trim(),
    seriesDescription: textOf(ds, 'x0008103e'),
    seriesNumber: (ds.string('x00200011') ?? '').trim(),
    acquisitionNumber: cleanText(ds.string('x00200012') ?? '').trim(),
    imageType: (ds.string('x00080008') ?? '').toUpperCase().split('\\').map((s) => s.trim()),
    rows,
    columns,
    pixelSpacing: spacing.value,
    pixelSpacingKnown: spacing.known,
    imagePositionPatient: pos && pos.length === 3 ? [pos[0], pos[1], pos[2]] : null,
    imageOrientationPatient: orientation.value,
    ...(orientation.problem ? { orientationProblem: orientation.problem } : {}),
    ...(repairs.length ? { repairs } : {}),
    rescaleSlope: rescale.slope,
    rescaleIntercept: rescale.intercept,
    bitsAllocated,
    bitsStored: ds.uint16('x00280101') ?? bitsAllocated,
    pixelRepresentation,
    pixelPadding: paddingRange(ds, pixelRepresentation),
    samplesPerPixel,
    photometric: (ds.string('x00280004') ?? 'MONOCHROME2').trim(),
    planarConfiguration: ds.uint16('x00280006') ?? 0,
    numberOfFrames: ds.intString('x00280008') ?? 1,
    transferSyntax: (ds.string('x00020010') ?? IMPLICIT_LE).trim(),
    pixelData,
  };
  const mosaic = mosaicImages(ds);
  if (mosaic) header.mosaicImages = mosaic;
  const perFrame = readFrameValues(ds, header.numberOfFrames, header, encapsulated, size);
  if (typeof perFrame === 'string') return damaged(fileName, perFrame);
  if (perFrame) header.perFrame = perFrame;
  return header;
}

/** A text element (LO, SH…) decoded by the dataset's SpecificCharacterSet, safe to show; '' when absent. */
function textOf(ds: DataSet, tag: string): string {
  const el = ds.elements[tag];
  if (!el || !el.length) return '';
  return decodeText(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length), textEncoding(ds.string('x00080005')));
}
