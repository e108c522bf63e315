// DICOM bytes at the lowest level: recognising DICOM by its first bytes, inflating deflated datasets
// (streamed, as far as a reader needs), parsing with dicom-parser, reading numeric strings.
import dicomParser, { type DataSet } from 'dicom-parser';
import { collect, inflateChunks, oneChunk } from './inflate';

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';

const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));
const LONG_VRS = new Set('OB OD OF OL OV OW SQ UC UN UR UT UV'.split(' '));

/** A Part 10 file: 128 bytes of preamble, then "DICM". */
export const hasPreamble = (b: Uint8Array) => b.length > 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

/** Whether a file starting with these bytes can be DICOM: a Part 10 preamble, or a bare dataset (see bareDatasetSyntax). */
export const mayBeDicom = (b: Uint8Array) => hasPreamble(b) || bareDatasetSyntax(b) !== null;

/**
 * A dataset written without preamble and meta header ("raw" DICOM, e.g. old RT exports). Conservative:
 * the first element must be a group 0x0008 tag with a small element number and a length that fits
 * the file, encoded either as explicit VR little endian (a known VR) or implicit VR little endian.
 * Returns the transfer syntax to parse it with, or null.
 */
function bareDatasetSyntax(b: Uint8Array): string | null {
  if (b.length < 64 || b[0] !== 0x08 || b[1] !== 0x00 || b[3] !== 0x00) return null; // (0008,00xx)
  const vr = String.fromCharCode(b[4], b[5]);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (VRS.has(vr)) {
    const len = LONG_VRS.has(vr) ? (b[6] === 0 && b[7] === 0 ? dv.getUint32(8, true) : -1) : dv.getUint16(6, true);
    return len >= 0 && (len <= b.length - 12 || len === 0xffffffff) ? EXPLICIT_LE : null;
  }
  const len = dv.getUint32(4, true);
  return len <= b.length - 8 && len < 1024 ? IMPLICIT_LE : null;
}

/**
 * The meta header's transfer syntax and where the dataset after it starts; null when it cannot be
 * read. `junk`: what follows the meta group reads as elements of group 0000 (zeros, not a dataset).
 */
export function metaInfo(bytes: Uint8Array): { transferSyntax: string; end: number; junk: boolean } | null {
  let meta: DataSet;
  let transferSyntax: string;
  try {
    meta = dicomParser.readPart10Header(bytes);
    transferSyntax = (meta.string('x00020010') ?? '').trim();
  } catch {
    return null; // cut short or damaged (a value running past the bytes)
  }
  if (!transferSyntax) return null;
  // the body starts after the last meta element (0002,xxxx), wherever the transfer syntax sits among them
  let end = 0;
  let junk = false;
  for (const el of Object.values(meta.elements)) {
    if (el.tag.startsWith('x0002')) end = Math.max(end, el.dataOffset + el.length);
    else junk = true; // dicom-parser reads group 0000 (below 0002) on as meta elements
  }
  return { transferSyntax, end, junk };
}

/** Bytes a meta header may take (its group is read from at most this many first bytes). */
const META_BYTES = 64 * 1024;

/**
 * The bytes that the dataset's offsets refer to, as chunks: a Part 10 file's own bytes, except for
 * deflated datasets (transfer syntax .1.2.1.99), whose body after the meta header is inflated as it
 * is pulled (so a reader that stops early inflates no further).
 */
export async function* datasetChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  try {
    const first: Uint8Array[] = [];
    let got = 0;
    while (got < META_BYTES) {
      const r = await it.next();
      if (r.done) break;
      first.push(r.value);
      got += r.value.length;
    }
    const head = first.length === 1 ? first[0] : await collect(oneChunks(first), got);
    const rest = async function* () {
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    };
    const meta = hasPreamble(head) ? metaInfo(head) : null;
    if (meta?.transferSyntax !== DEFLATED_LE) {
      yield head;
      yield* rest();
      return;
    }
    yield head.subarray(0, meta.end);
    const body = async function* () {
      yield head.subarray(meta.end);
      yield* rest();
    };
    // fflate, not DecompressionStream: Chrome's rejects the padding byte many deflated files carry
    // after the end of the deflate stream ("Failed to fetch"); fflate stops at the stream's end.
    const inflated = inflateChunks(body(), 'deflate');
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await inflated.next();
      } catch (e) {
        throw new Error(`the deflated dataset cannot be inflated (${(e as Error).message ?? e}): the file is damaged`);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // a reader that stops early closes the source (a file stream) too
    await it.return?.();
  }
}

async function* oneChunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

/**
 * The first `limit` bytes of the dataset of a file held in memory (see datasetChunks: inflated when
 * deflated, never past `limit`).
 */
export const datasetBytes = (bytes: Uint8Array, limit = Infinity) => collect(datasetChunks(oneChunk(bytes)), limit);

/**
 * Parses the dataset. `bytes` must come from `datasetChunks` (deflated bodies already inflated).
 * With `untilPixelData`, parsing stops at the (top-level) pixel data element, before its value.
 */
export function parseDataset(bytes: Uint8Array, untilPixelData = false): DataSet | null {
  const until = untilPixelData ? { untilTag: 'x7fe00010' } : {};
  if (hasPreamble(bytes)) {
    const meta = metaInfo(bytes);
    if (meta?.transferSyntax === DEFLATED_LE) return parseInflated(bytes, meta.end, untilPixelData);
    return dicomParser.parseDicom(bytes, until as dicomParser.ParseDicomOptions);
  }
  const ts = bareDatasetSyntax(bytes);
  if (!ts) return null;
  return dicomParser.parseDicom(bytes, { TransferSyntaxUID: ts, ...until } as dicomParser.ParseDicomOptions);
}

type DataSetClass = new (parser: dicomParser.ByteArrayParser, bytes: Uint8Array, elements: DataSet['elements']) => DataSet;

/**
 * A deflated dataset whose body is already inflated (see datasetChunks): the meta elements plus the
 * body parsed as explicit VR little endian from `end` (dicom-parser's own deflate path would parse
 * from byte 0, preamble included). Throws like parseDicom, with the elements read so far.
 */
function parseInflated(bytes: Uint8Array, end: number, untilPixelData: boolean): DataSet {
  const parser = dicomParser.littleEndianByteArrayParser;
  const elements = { ...dicomParser.readPart10Header(bytes).elements };
  const ds = new (dicomParser as unknown as { DataSet: DataSetClass }).DataSet(parser, bytes, elements);
  try {
    dicomParser.parseDicomDataSetExplicit(ds, new dicomParser.ByteStream(parser, bytes, end), bytes.length, untilPixelData ? { untilTag: 'x7fe00010' } : undefined);
  } catch (e) {
    throw { exception: e instanceof Error ? e.message : String(e), dataSet: ds };
  }
  return ds;
}

/** A numeric string value (DS/IS, backslash-separated) as numbers; null when absent or not numeric. */
export const nums = (ds: DataSet, tag: string): number[] | null => {
  const s = ds.string(tag);
  if (!s) return null;
  const v = s.split('\\').map((x) => Number(x.trim()));
  return v.length && v.every(Number.isFinite) ? v : null;
};
