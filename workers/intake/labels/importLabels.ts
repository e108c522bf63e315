// Importing a segmentation onto the loaded scan: recognise the file by content (sniffLabelFile), read
// its labels on its own grid (NIfTI, DICOM SEG, NRRD), register them to the scan's grid
// (registration.ts), and hand back label layers on the scan's grid for addImportedSegments.
//
//   const kind = sniffLabelFile(file.name, firstBytes)        // from a drop: labels, or not
//   const imp = await importLabelFile(file.name, bytes, scan)  // scan: the loaded volume's geometry
//   const { segments, patch } = addImportedSegments(segmentation, imp.layers, imp.segments)
import dicomParser from 'dicom-parser';
import { Gunzip } from 'fflate';
import type { ImportedSegment } from '../../core/segments';
import { sharedBytes } from '../../core/sharedMemory';
import type { Vec3, VolumeGeometry } from '../../core/types';
import { hasPreamble } from '../dicomDataset';
import { readDicomSeg, SEG_SOP_CLASS } from './dicomSeg';
import { readNiftiLabels } from './niftiLabels';
import { readNrrdLabels } from './nrrd';
import { gridMapping, labelledInside, resampleLabels } from './registration';
import type { LabelFormat, SourceLabels } from './types';

export type LabelFileKind = 'nifti' | 'dicom-seg' | 'nrrd';

/** How many first bytes sniffLabelFile wants (it copes with fewer). */
export const LABEL_SNIFF_BYTES = 65536;

const ascii = (b: Uint8Array, from: number, n: number) => String.fromCharCode(...b.subarray(from, from + n));

/** The first bytes of a gzip stream, inflated as far as they go. */
function gunzipHead(head: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  try {
    new Gunzip((chunk) => parts.push(chunk)).push(head, false);
  } catch {
    // a cut stream inflates as far as it can; anything else is not ours to judge here
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

/** Words in a file name that say an integer NIfTI is a label map. */
const LABEL_WORDS = new Set(['label', 'labels', 'labelmap', 'seg', 'segs', 'segmentation', 'segmentations', 'mask', 'masks']);

/** NIfTI-1 header of a label map: intent "label" (1002), a label table in an extension, or an integer type and a name that says so. */
function niftiLooksLikeLabels(name: string, h: Uint8Array): boolean {
  if (h.length < 348) return false;
  const le = new DataView(h.buffer, h.byteOffset, 4).getInt32(0, true) === 348;
  if (!le && new DataView(h.buffer, h.byteOffset, 4).getInt32(0, false) !== 348) return false;
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (v.getInt16(68, le) === 1002) return true;
  if (new TextDecoder('latin1').decode(h.subarray(348, Math.min(h.length, 1 << 16))).includes('<LabelTable>')) return true;
  const integer = [2, 4, 256, 512].includes(v.getInt16(70, le)); // uint8, int16, int8, uint16
  // a word of the name, not a part of one: "ct_seg.nii", "labels.nii.gz", but not "mr_head_seg3d_MR.nii" (a scan)
  const words = name.replace(/^.*[\\/]/, '').replace(/\.(nii|nii\.gz)$/i, '').toLowerCase().split(/[^a-z0-9]+/);
  return integer && words.some((w) => LABEL_WORDS.has(w));
}

/**
 * Whether a file is a segmentation this module imports, from its name and first bytes (at least the
 * first few hundred; LABEL_SNIFF_BYTES is plenty): an NRRD ("NRRD000" magic), a DICOM SEG (SOP class
 * 1.2.840.10008.5.1.4.1.1.66.4 in its meta header), or a NIfTI that is a label map (intent "label", a
 * label table, or an integer NIfTI whose name says label/seg/mask). A NIfTI scan gives null, so a drop
 * of a scan and its labels tells them apart.
 */
export function sniffLabelFile(name: string, firstBytes: Uint8Array): LabelFileKind | null {
  const b = firstBytes;
  if (b.length >= 8 && /^NRRD000\d$/.test(ascii(b, 0, 8))) return 'nrrd';
  if (hasPreamble(b)) {
    try {
      const uid = (dicomParser.readPart10Header(b).string('x00020002') ?? '').trim();
      return uid === SEG_SOP_CLASS || uid.startsWith('1.2.840.10008.5.1.4.1.1.66.7') ? 'dicom-seg' : null;
    } catch {
      return null;
    }
  }
  const gz = b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
  const head = gz ? gunzipHead(b) : b;
  const magic = head.length >= 348 ? ascii(head, 344, 3) : '';
  if (magic !== 'n+1') return null;
  return niftiLooksLikeLabels(name, head) ? 'nifti' : null;
}

export interface LabelImport {
  fileName: string;
  format: LabelFormat;
  /** label layers on the scan's grid (shared memory), one byte per voxel; pass to addImportedSegments */
  layers: Uint8Array[];
  /** the segments that landed on the scan, with their place in `layers` */
  segments: ImportedSegment[];
  /** what the user should know: registration (exact or resampled), parts outside the scan, file notes */
  notes: string[];
  /** the grids coincide (voxel-exact copy), else nearest-neighbour resampling in mm */
  exact: boolean;
  /** labelled voxels of the file, and how many of them lie inside the scan */
  labelledVoxels: number;
  insideVoxels: number;
}

const centre = (g: VolumeGeometry): Vec3 =>
  [0, 1, 2].map((r) => g.origin[r] + [0, 1, 2].reduce((s, a) => s + ((g.dims[a] - 1) / 2) * g.spacing[a] * g.direction[3 * a + r], 0)) as Vec3;

/** Reads a label file of any supported kind (by content) on its own grid. */
export async function readLabelFile(name: string, bytes: Uint8Array): Promise<SourceLabels> {
  const kind = sniffLabelFile(name, bytes.subarray(0, LABEL_SNIFF_BYTES)) ?? (/\.nii(\.gz)?$/i.test(name) ? 'nifti' : null);
  if (kind === 'nrrd') return readNrrdLabels(bytes, name);
  if (kind === 'dicom-seg') return readDicomSeg(bytes, name);
  if (kind === 'nifti') return readNiftiLabels(bytes, name);
  throw new Error(`${name}: not a segmentation this app reads (NIfTI label map, DICOM SEG or NRRD)`);
}

/**
 * Imports a segmentation file onto the scan whose grid is `scan`. Throws an Error naming the file when
 * it cannot be read or does not overlap the scan at all.
 */
export async function importLabelFile(name: string, bytes: Uint8Array, scan: VolumeGeometry): Promise<LabelImport> {
  const src = await readLabelFile(name, bytes);
  const map = gridMapping(scan, src.geometry);
  const { labelled, inside } = labelledInside(src.layers, src.geometry.dims, map, scan.dims);
  const n = scan.dims[0] * scan.dims[1] * scan.dims[2];
  const layers = src.layers.map(() => new Uint8Array(sharedBytes(n)));
  if (inside > 0) src.layers.forEach((l, q) => resampleLabels(l, src.geometry.dims, map, scan.dims, layers[q]));
  // which segments landed
  const present = layers.map((l) => {
    const seen = new Uint8Array(256);
    for (let p = 0; p < n; p++) seen[l[p]] = 1;
    return seen;
  });
  const segments = src.segments.filter((g) => present[g.layer][g.value]);
  if (!segments.length) {
    const d = centre(src.geometry).map((x, r) => x - centre(scan)[r]);
    throw new Error(
      `${name}: the labels do not overlap the scan: the label map's centre lies ${Math.hypot(...d).toFixed(0)} mm from the scan's ` +
        `(offset ${d.map((x) => x.toFixed(0)).join(', ')} mm, LPS). Is it the segmentation of another scan?`,
    );
  }
  const notes = [...src.notes];
  const [sx, sy, sz] = src.geometry.dims;
  notes.push(
    map.exact
      ? 'the label map lies on the scan\'s grid: copied voxel for voxel'
      : `the label map's grid (${sx} × ${sy} × ${sz}, ${src.geometry.spacing.map((s) => s.toFixed(2)).join(' × ')} mm) differs from the scan's: resampled to the nearest label in mm`,
  );
  if (inside < labelled) notes.push(`${(100 * (1 - inside / labelled)).toFixed(1)} % of the labelled voxels lie outside the scan and were left out`);
  const lost = src.segments.filter((g) => !segments.includes(g));
  if (lost.length) notes.push(`${lost.length} segment(s) lie entirely outside the scan: ${lost.map((g) => g.name).join(', ')}`);
  return { fileName: name, format: src.format, layers, segments, notes, exact: map.exact, labelledVoxels: labelled, insideVoxels: inside };
}
