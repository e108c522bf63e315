// Recognises DICOM by content and reads the few header fields the app needs into a small plain object
// (cloneable to a worker). Never keeps patient identity: no name, id or birth date is read at all.
import dicomParser, { type DataSet } from 'dicom-parser';
import type { Vec3 } from '../../workers/core/types';
import { inflateSync } from 'fflate';
import { readFrameValues, type FrameValues } from './multiframe';

/** Where the pixel data sits in the dataset bytes (see `datasetBytes`): byte offsets and lengths. */
export interface PixelDataLocation {
  offset: number;
  length: number;
  /** encapsulated (compressed) data: [position, length] of each fragment, in file order; null when native */
  fragments: [number, number][] | null;
}

export interface DicomHeader {
  kind: 'image';
  fileName: string;
  sopClassUid: string;
  modality: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid: string;
  seriesDescription: string;
  seriesNumber: string;
  /** AcquisitionNumber (0020,0012), '' when absent: splits a series that holds several acquisitions of the same slices */
  acquisitionNumber: string;
  /** ImageType values, upper case (e.g. ORIGINAL, PRIMARY, AXIAL / LOCALIZER) */
  imageType: string[];
  rows: number;
  columns: number;
  /** DICOM order: [spacing between rows, spacing between columns] in mm */
  pixelSpacing: [number, number];
  /** false when neither PixelSpacing nor ImagerPixelSpacing is present (1 mm is assumed) */
  pixelSpacingKnown: boolean;
  imagePositionPatient: Vec3 | null;
  /** row direction cosines then column direction cosines */
  imageOrientationPatient: number[] | null;
  rescaleSlope: number;
  rescaleIntercept: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  /**
   * PixelPaddingValue (0028,0120) and, when given, PixelPaddingRangeLimit (0028,0121): the stored
   * values, inclusive [low, high], that mark pixels outside the scanned field. null when absent.
   */
  pixelPadding: [number, number] | null;
  samplesPerPixel: number;
  photometric: string;
  planarConfiguration: number;
  /** frames in the pixel data this header describes: NumberOfFrames as read; 1 on each header framesOf makes */
  numberOfFrames: number;
  transferSyntax: string;
  pixelData: PixelDataLocation;
  /** Siemens NumberOfImagesInMosaic (0019,100A): the slices tiled into this one image; absent when not a mosaic */
  mosaicImages?: number;
  /**
   * A file with functional groups (Enhanced CT/MR) as read: the values of each frame (see
   * readFrameValues); framesOf turns it into one header per frame. Absent otherwise.
   */
  perFrame?: FrameValues[];
  /** which frame of its file this header describes (headers made by framesOf); absent for a single-frame file */
  frame?: number;
  /** StackID (0020,9056) of the frame (headers made by framesOf); absent when the file gives none */
  stackId?: string;
}

export interface NotImage {
  kind: 'skip';
  fileName: string;
  /** the category, counted in the summary: e.g. "not DICOM", "DICOMDIR", "structured report", "no pixel data" */
  reason: string;
  /** set when the file looks damaged rather than merely not an image: what is wrong, for a message naming the file */
  problem?: string;
}

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';

const SOP_KINDS: [string, string][] = [
  ['1.2.840.10008.1.3.10', 'DICOMDIR'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'structured report'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'RT object'],
  ['1.2.840.10008.5.1.4.1.1.66', 'segmentation/registration'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'presentation state'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'encapsulated document'],
];

const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));
const LONG_VRS = new Set('OB OD OF OL OV OW SQ UC UN UR UT UV'.split(' '));

const hasPreamble = (b: Uint8Array) => b.length > 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

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

/** Locates the pixel data of frame 0 (native) or all fragments (encapsulated). */
function locatePixelData(ds: DataSet): PixelDataLocation {
  const el = ds.elements.x7fe00010;
  if (!el.encapsulatedPixelData) return { offset: el.dataOffset, length: el.length, fragments: null };
  const fragments = (el.fragments ?? []).map((f): [number, number] => [f.position, f.length]);
  return { offset: el.dataOffset, length: el.length, fragments };
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

/**
 * Why the pixel data cannot hold the image the header describes (absurd Rows/Columns, a cut file), or
 * null. Native data must hold at least one frame; compressed fragments must lie inside the file.
 */
function pixelDataProblem(p: PixelDataLocation, rows: number, columns: number, samples: number, bitsAllocated: number, fileLength: number): string | null {
  if (p.fragments) {
    if (!p.fragments.length) return 'the compressed pixel data has no fragments';
    const end = Math.max(...p.fragments.map(([pos, len]) => pos + len));
    return end > fileLength ? `the file ends too early (truncated): the pixel data runs to byte ${end}, the file has ${fileLength}` : null;
  }
  const need = Math.ceil((rows * columns * samples * bitsAllocated) / 8);
  if (p.offset + p.length > fileLength) return `the file ends too early (truncated): ${fileLength - p.offset} of ${p.length} bytes of pixel data`;
  if (p.length < need)
    return `the header says ${columns} × ${rows} pixels (${need} bytes) but the pixel data holds only ${p.length} bytes: the header is damaged`;
  return null;
}

/** Reads the header of one file. `bytes` from `datasetBytes`. */
export function readHeader(fileName: string, bytes: Uint8Array): DicomHeader | NotImage {
  if (bytes.length === 0) return { kind: 'skip', fileName, reason: 'empty file', problem: 'the file is empty (0 bytes)' };
  let ds: DataSet | null;
  try {
    ds = parseDataset(bytes);
  } catch (e) {
    // dicom-parser throws strings and { exception, dataSet } objects as well as Errors
    const why = e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { exception?: string }).exception ?? e);
    if (!hasPreamble(bytes)) return notDicom(fileName);
    // a directory or other non-image object whose body dicom-parser rejects is still skipped by kind
    const kind = nonImageKind(metaSopClass(bytes));
    if (kind) return { kind: 'skip', fileName, reason: kind };
    const cut = /overrun|end of (buffer|file)|past the end/i.test(why);
    return { kind: 'skip', fileName, reason: 'damaged DICOM', problem: `${cut ? 'the file ends too early (truncated)' : 'damaged DICOM'}: ${why}` };
  }
  if (!ds) return notDicom(fileName);
  return datasetHeader(fileName, ds, bytes, bytes.length);
}

/**
 * A header from a file's first bytes alone (`fileSize` is the whole file's), when they hold every
 * element before native (uncompressed) single-frame pixel data: a slice's header is then read without
 * its pixels. Null when the whole file must be read: not plainly DICOM, deflated, compressed or
 * multi-frame pixel data, an element running past the prefix, or anything readHeader reports.
 */
export function headerFromPrefix(fileName: string, prefix: Uint8Array, fileSize: number): DicomHeader | null {
  let ds: DataSet | null;
  try {
    ds = parseDataset(prefix, true);
  } catch {
    return null;
  }
  const pixels = ds?.elements.x7fe00010;
  if (!ds || !pixels || pixels.hadUndefinedLength || (ds.string('x00020010') ?? '').trim() === DEFLATED_LE) return null;
  // multi-frame (functional groups: shared 5200,9229, per-frame 5200,9230) is read whole
  if ((ds.intString('x00280008') ?? 1) !== 1 || ds.elements.x52009229 || ds.elements.x52009230) return null;
  const h = datasetHeader(fileName, ds, prefix, fileSize);
  return h.kind === 'image' ? h : null;
}

/** The header of a parsed dataset; `bytes` are the ones parsed, `fileSize` the whole dataset's. */
function datasetHeader(fileName: string, ds: DataSet, bytes: Uint8Array, fileSize: number): DicomHeader | NotImage {
  const sopClassUid = (ds.string('x00080016') || ds.string('x00020002') || '').trim();
  if (ds.elements.x00041220 || ds.elements.x00041200) return { kind: 'skip', fileName, reason: 'DICOMDIR' };
  const kind = nonImageKind(sopClassUid);
  if (kind) return { kind: 'skip', fileName, reason: kind };
  // a bare dataset must look like a real object, not a binary file that happens to start with 08 00
  if (!hasPreamble(bytes) && !sopClassUid && !ds.string('x00080060')) return notDicom(fileName);
  if (!ds.elements.x7fe00010) return { kind: 'skip', fileName, reason: 'no pixel data' };
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  if (!rows || !columns) return { kind: 'skip', fileName, reason: 'no image size' };
  const spacing = nums(ds, 'x00280030') ?? nums(ds, 'x00181164');
  const pos = nums(ds, 'x00200032');
  const ori = nums(ds, 'x00200037');
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const pixelRepresentation = ds.uint16('x00280103') ?? 0;
  const pixelData = locatePixelData(ds);
  const sizeProblem = pixelDataProblem(pixelData, rows, columns, samplesPerPixel, bitsAllocated, fileSize);
  if (sizeProblem) return { kind: 'skip', fileName, reason: 'damaged DICOM', problem: sizeProblem };
  const header: DicomHeader = {
    kind: 'image',
    fileName,
    sopClassUid,
    modality: (ds.string('x00080060') ?? '').trim(),
    seriesUid: (ds.string('x0020000e') ?? '').trim(),
    studyUid: (ds.string('x0020000d') ?? '').trim(),
    frameOfReferenceUid: (ds.string('x00200052') ?? '').trim(),
    seriesDescription: (ds.string('x0008103e') ?? '').trim(),
    seriesNumber: (ds.string('x00200011') ?? '').trim(),
    acquisitionNumber: (ds.string('x00200012') ?? '').trim(),
    imageType: (ds.string('x00080008') ?? '').toUpperCase().split('\\').map((s) => s.trim()),
    rows,
    columns,
    pixelSpacing: spacing ? [spacing[0], spacing[1] ?? spacing[0]] : [1, 1],
    pixelSpacingKnown: !!spacing,
    imagePositionPatient: pos && pos.length === 3 ? [pos[0], pos[1], pos[2]] : null,
    imageOrientationPatient: ori && ori.length === 6 ? ori : null,
    rescaleSlope: ds.floatString('x00281053') ?? 1,
    rescaleIntercept: ds.floatString('x00281052') ?? 0,
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
  const perFrame = readFrameValues(ds, bytes, header.numberOfFrames, header);
  if (typeof perFrame === 'string') return { kind: 'skip', fileName, reason: 'damaged DICOM', problem: perFrame };
  if (perFrame) header.perFrame = perFrame;
  return header;
}
