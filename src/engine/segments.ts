// Segments: importing segmentation files onto the scan, editing segments, their live preview, meshing
// them, and writing them (models and the segmentation itself). Imports and edits run in the segments
// worker, which writes the shared label layers in place; meshing runs over the mesh pool (Cancel stops
// it like any build); the live preview runs in the preview worker on its coarse copy of the scan.
import { transfer } from 'comlink';
import type { Placement } from '../../workers/core/placement';
import type { SegmentEdit, SegmentEditResult } from '../../workers/core/segmentEdits';
import { buildSegmentMeshes, type SegmentMeshes, type SegmentMeshOptions } from '../../workers/core/segmentPipeline';
import type { Segment } from '../../workers/core/segments';
import type { Mesh, Volume, VolumeGeometry } from '../../workers/core/types';
import type { MeshFormat, ModelObject } from '../../workers/core/writers';
import { LABEL_SNIFF_BYTES, sniffLabelFile, type LabelImport } from '../../workers/intake/labels/importLabels';
import type { LoadedVolume } from './scan';
import { asBuild, releaseBuildMemory, renewBuildPool } from './model';
import { meshPool, previewWorker, segmentWorker } from './workers';

const geometryOf = (v: VolumeGeometry): VolumeGeometry => ({ dims: v.dims, spacing: v.spacing, origin: v.origin, direction: v.direction });

/**
 * Reads a segmentation file (NIfTI label map, DICOM SEG, NRRD/.seg.nrrd) and registers it to the scan's
 * grid, in the segments worker; its layers come back in shared memory. Rejects with a message naming
 * the file when it is not a segmentation or does not overlap the scan.
 */
export async function importSegmentation(file: File, scan: VolumeGeometry): Promise<LabelImport> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const t0 = performance.now();
  const r = await segmentWorker.run((w) => w.importLabels(file.name, transfer(bytes, [bytes.buffer]), geometryOf(scan)));
  performance.measure('segments-import-worker', { start: t0 });
  return r;
}

/**
 * Applies one edit (scissors, islands, margin, fill holes, logical…) to the shared layers in place, in
 * the segments worker; resolves to the patch that undoes it. `grid` is the geometry the edit's
 * coordinates refer to (the slice views' for scissors); `data` is needed by a brush with an HU band.
 */
export function editSegment(layers: Uint8Array[], grid: VolumeGeometry & { data?: Int16Array }, edit: SegmentEdit): Promise<SegmentEditResult> {
  return segmentWorker.run((w) => w.editSegment(layers, grid, edit));
}

/** The live preview of segments: each one's coarse surface (after startPreview), empty ones left out. */
export function previewSegments(layers: Uint8Array[], segments: Segment[]): Promise<{ id: number; mesh: Mesh }[]> {
  return previewWorker.run((w) => w.previewSegments(layers, segments));
}

/**
 * Meshes every segment given through the closed-mesh pipeline over the mesh pool (see
 * segmentPipeline.ts); `onStage` hears "bounds", then "name (i/n)" as each segment starts. Rejects
 * with BuildCancelled when cancelBuild() is called meanwhile.
 */
export async function makeSegmentMeshes(volume: Volume, layers: Uint8Array[], segments: Segment[], options: SegmentMeshOptions, onStage?: (stage: string) => void): Promise<SegmentMeshes> {
  performance.mark('segments-mesh-start');
  releaseBuildMemory(); // (their memory is their own)
  const r = await asBuild(() => meshPool.run((workers) => buildSegmentMeshes(workers, volume, layers, segments, options, onStage)));
  performance.measure('segments-mesh', 'segments-mesh-start');
  renewBuildPool();
  return r;
}

/**
 * Several segments' meshes as one file: 3MF with one named, coloured object each; STL/OBJ/PLY as a zip
 * of one file per segment or merged into one. `name` only if the user typed it.
 */
export async function exportSegments(
  objects: ModelObject[],
  format: MeshFormat,
  packaging: 'zip' | 'merged',
  name: string | undefined,
  placement: Placement,
): Promise<{ parts: Uint8Array<ArrayBuffer>[]; bytes: number }> {
  const writer = meshPool.bridges[meshPool.size - 1];
  const parts = (await writer.run((w) => w.writeSegments(objects, format, packaging, name, placement))) as Uint8Array<ArrayBuffer>[];
  return { parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0) };
}

/**
 * The segmentation itself: 3D Slicer's .seg.nrrd (every layer, names and colours) or a NIfTI label map
 * (.nii.gz, names and colours in its label-table extension; overlapping voxels keep the later segment,
 * counted in `overlapVoxels`).
 */
export async function exportSegmentation(kind: 'seg.nrrd' | 'nii.gz', scan: VolumeGeometry, layers: Uint8Array[], segments: Segment[]) {
  const r = await segmentWorker.run((w) => w.writeSegmentation(kind, geometryOf(scan), layers, segments));
  return { bytes: r.bytes as Uint8Array<ArrayBuffer>, overlapVoxels: r.overlapVoxels };
}

/** Stops segment work of the scan being closed or replaced (its layers are dropped with it). */
export function stopSegments(): void {
  segmentWorker.abort('the scan was closed');
}

// ---- segmentation files opened with the scan ----

/** Names that say a file may be a label map, sniffed before the scan loads so one never competes with the scan. */
const LABEL_CANDIDATE = /\.(nii|nii\.gz|nrrd|nhdr)$/i;
/** Skip reasons of the scan loader that a segmentation file gets (DICOM SEG, or not DICOM at all). */
const SEGMENTATION_SKIPS = ['segmentation/registration', 'not DICOM'];

async function isSegmentation(f: File): Promise<boolean> {
  const head = new Uint8Array(await f.slice(0, LABEL_SNIFF_BYTES).arrayBuffer());
  return sniffLabelFile(f.name, head) !== null;
}

async function sniffAll(files: File[]): Promise<boolean[]> {
  const out: boolean[] = [];
  // a few at a time: each is one small read
  for (let i = 0; i < files.length; i += 16) out.push(...(await Promise.all(files.slice(i, i + 16).map((f) => isSegmentation(f).catch(() => false)))));
  return out;
}

/**
 * Opened files → the scan's files and the segmentation files among those named like label maps
 * (NIfTI, NRRD; recognised by content: a NIfTI scan stays a scan).
 */
export async function splitSegmentationFiles(files: File[]): Promise<{ scan: File[]; segmentations: File[] }> {
  const candidates = files.filter((f) => LABEL_CANDIDATE.test(f.name));
  const found = new Set<File>();
  (await sniffAll(candidates)).forEach((yes, i) => yes && found.add(candidates[i]));
  return { scan: files.filter((f) => !found.has(f)), segmentations: [...found] };
}

/**
 * The segmentation files among the ones the scan loader skipped (a DICOM SEG beside its slices, an
 * NRRD under another name), recognised by content. Only read when the load skipped such files.
 */
export async function skippedSegmentations(scanFiles: File[], loaded: LoadedVolume): Promise<File[]> {
  if (!SEGMENTATION_SKIPS.some((k) => loaded.skipped[k])) return [];
  const rest = scanFiles.filter((f) => !LABEL_CANDIDATE.test(f.name) && !/\.zip$/i.test(f.name));
  const yes = await sniffAll(rest);
  return rest.filter((_, i) => yes[i]);
}
