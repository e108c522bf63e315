// DICOM bytes at the lowest level: recognising DICOM by its first bytes, inflating deflated datasets,
// parsing with dicom-parser, reading numeric strings.
import dicomParser, { type DataSet } from 'dicom-parser';
import { inflateSync } from 'fflate';

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
 * The bytes that the dataset's offsets refer to. For deflated datasets (transfer syntax .1.2.1.99)
 * the body after the meta header is inflated (raw deflate) and appended to the meta header bytes;
 * everything else is returned as is.
 */
export async function datasetBytes(bytes: Uint8Array): Promise<Uint8Array> {
  if (!hasPreamble(bytes)) return bytes;
  let meta: DataSet;
  try {
    meta = dicomParser.readPart10Header(bytes);
  } catch {
    return bytes; // readHeader reports it
  }
  if (meta.string('x00020010') !== DEFLATED_LE) return bytes;
  // the body starts after the last meta element (0002,xxxx), wherever the transfer syntax sits among them
  let end = 0;
  for (const el of Object.values(meta.elements)) end = Math.max(end, el.dataOffset + el.length);
  // fflate, not DecompressionStream: Chrome's rejects the padding byte many deflated files carry
  // after the end of the deflate stream ("Failed to fetch"); fflate stops at the stream's end.
  const inflated = inflateSync(bytes.subarray(end));
  const out = new Uint8Array(end + inflated.length);
  out.set(bytes.subarray(0, end));
  out.set(inflated, end);
  return out;
}

/**
 * Parses the dataset. `bytes` must come from `datasetBytes` (deflated bodies already inflated).
 * With `untilPixelData`, parsing stops at the (top-level) pixel data element, before its value.
 */
export function parseDataset(bytes: Uint8Array, untilPixelData = false): DataSet | null {
  const until = untilPixelData ? { untilTag: 'x7fe00010' } : {};
  // the inflater hands dicom-parser the bytes unchanged: datasetBytes already inflated the body
  if (hasPreamble(bytes)) return dicomParser.parseDicom(bytes, { inflater: (b: Uint8Array) => b, ...until } as dicomParser.ParseDicomOptions);
  const ts = bareDatasetSyntax(bytes);
  if (!ts) return null;
  return dicomParser.parseDicom(bytes, { TransferSyntaxUID: ts, ...until } as dicomParser.ParseDicomOptions);
}

/** A numeric string value (DS/IS, backslash-separated) as numbers; null when absent or not numeric. */
export const nums = (ds: DataSet, tag: string): number[] | null => {
  const s = ds.string(tag);
  if (!s) return null;
  const v = s.split('\\').map((x) => Number(x.trim()));
  return v.length && v.every(Number.isFinite) ? v : null;
};
