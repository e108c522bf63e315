// Recognises DICOM by content and reads the few header fields the app needs. Never keeps patient identity.
import dicomParser, { type DataSet } from 'dicom-parser';

export interface ImageHeader {
  kind: 'image';
  fileName: string;
  sopClassUid: string;
  modality: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid: string;
  seriesDescription: string;
  seriesNumber: string;
  imageType: string[];
  rows: number;
  columns: number;
  /** [row spacing (between rows), column spacing (between columns)] in mm */
  pixelSpacing: [number, number];
  position: [number, number, number] | null;
  orientation: number[] | null;
  rescaleSlope: number;
  rescaleIntercept: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometric: string;
  planarConfiguration: number;
  frames: number;
  transferSyntax: string;
  dataSet: DataSet;
  bytes: Uint8Array;
}

export interface NotImage {
  kind: 'skip';
  fileName: string;
  /** e.g. "not DICOM", "DICOMDIR", "structured report" */
  reason: string;
}

const SOP_KINDS: [string, string][] = [
  ['1.2.840.10008.1.3.10', 'DICOMDIR'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'structured report'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'RT object'],
  ['1.2.840.10008.5.1.4.1.1.66', 'segmentation/registration'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'presentation state'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'encapsulated document'],
];

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** Parses a DICOM dataset from raw bytes: Part 10 with preamble, or a bare dataset (no preamble, no meta). */
function parse(bytes: Uint8Array): DataSet | null {
  const part10 = bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  if (part10) return dicomParser.parseDicom(bytes);
  // A bare dataset starts with a group 0x0008 (or 0x0002) tag, little endian; explicit VR has two
  // upper-case letters after the tag.
  if (bytes.length < 16 || !((bytes[0] === 0x08 || bytes[0] === 0x02) && bytes[1] === 0x00)) return null;
  const upper = (b: number) => b >= 0x41 && b <= 0x5a;
  const ts = upper(bytes[4]) && upper(bytes[5]) ? EXPLICIT_LE : IMPLICIT_LE;
  return dicomParser.parseDicom(bytes, { TransferSyntaxUID: ts } as dicomParser.ParseDicomOptions);
}

const nums = (ds: DataSet, tag: string): number[] | null => {
  const s = ds.string(tag);
  if (!s) return null;
  const v = s.split('\\').map(Number);
  return v.every(Number.isFinite) ? v : null;
};

export function readHeader(fileName: string, buffer: ArrayBuffer): ImageHeader | NotImage {
  const bytes = new Uint8Array(buffer);
  let ds: DataSet | null;
  try {
    ds = parse(bytes);
  } catch (e) {
    const looksDicom = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
        // dicom-parser throws objects of the form { exception, dataSet } as well as Errors
    const why = e instanceof Error ? e.message : String((e as { exception?: string }).exception ?? e);
    return { kind: 'skip', fileName, reason: looksDicom ? `unreadable DICOM (${why})` : 'not DICOM' };
  }
  if (!ds) return { kind: 'skip', fileName, reason: 'not DICOM' };
  const sopClassUid = ds.string('x00080016') || ds.string('x00020002') || '';
  if (ds.elements.x00041220) return { kind: 'skip', fileName, reason: 'DICOMDIR' };
  for (const [prefix, reason] of SOP_KINDS) if (sopClassUid.startsWith(prefix)) return { kind: 'skip', fileName, reason };
  if (!ds.elements.x7fe00010) return { kind: 'skip', fileName, reason: 'no pixel data' };
  const spacing = nums(ds, 'x00280030') ?? nums(ds, 'x00181164') ?? [1, 1];
  const pos = nums(ds, 'x00200032');
  const ori = nums(ds, 'x00200037');
  return {
    kind: 'image',
    fileName,
    sopClassUid,
    modality: ds.string('x00080060') ?? '',
    seriesUid: ds.string('x0020000e') ?? '',
    studyUid: ds.string('x0020000d') ?? '',
    frameOfReferenceUid: ds.string('x00200052') ?? '',
    seriesDescription: (ds.string('x0008103e') ?? '').trim(),
    seriesNumber: ds.string('x00200011') ?? '',
    imageType: (ds.string('x00080008') ?? '').toUpperCase().split('\\'),
    rows: ds.uint16('x00280010') ?? 0,
    columns: ds.uint16('x00280011') ?? 0,
    pixelSpacing: [spacing[0], spacing[1] ?? spacing[0]],
    position: pos && pos.length === 3 ? (pos as [number, number, number]) : null,
    orientation: ori && ori.length === 6 ? ori : null,
    rescaleSlope: ds.floatString('x00281053') ?? 1,
    rescaleIntercept: ds.floatString('x00281052') ?? 0,
    bitsAllocated: ds.uint16('x00280100') ?? 16,
    bitsStored: ds.uint16('x00280101') ?? ds.uint16('x00280100') ?? 16,
    pixelRepresentation: ds.uint16('x00280103') ?? 0,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    photometric: (ds.string('x00280004') ?? 'MONOCHROME2').trim(),
    planarConfiguration: ds.uint16('x00280006') ?? 0,
    frames: ds.intString('x00280008') ?? 1,
    transferSyntax: ds.string('x00020010') ?? IMPLICIT_LE,
    dataSet: ds,
    bytes,
  };
}
