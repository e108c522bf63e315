// Recognises DICOM by content and reads the few header fields the app needs into a small plain object
// (cloneable to a worker). Never keeps patient identity: no name, id or birth date is read at all.
import dicomParser, { type DataSet } from 'dicom-parser';
import { DEFLATED_LE, hasPreamble, IMPLICIT_LE, nums, parseDataset } from './dicomDataset';
import type { DicomHeader, NotImage, PixelDataLocation } from './headerTypes';
import { readFrameValues } from './multiframe';

const SOP_KINDS: [string, string][] = [
  ['1.2.840.10008.1.3.10', 'DICOMDIR'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'structured report'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'RT object'],
  ['1.2.840.10008.5.1.4.1.1.66', 'segmentation/registration'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'presentation state'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'encapsulated document'],
];

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
