// --labels FILE: a segmentation of the scan (NIfTI label map, DICOM SEG, NRRD) → one closed mesh per
// label, through the app's segment import (intake/labels/importLabels.ts: read, registered to the
// scan's grid in mm) and per-segment meshing (core/segmentPipeline.ts buildSegmentMeshes).
import { readFileSync } from 'node:fs';
import type { MeshWorker } from '../core/pipeline';
import type { RefineOptions } from '../core/refine';
import { buildSegmentMeshes, type SegmentMeshResult } from '../core/segmentPipeline';
import { addImportedSegments, createSegmentation } from '../core/segments';
import type { Volume } from '../core/types';
import { importLabelFile } from '../intake/labels/importLabels';
import { CliError, EXIT } from './exitCodes';

export interface LabelMeshes {
  results: SegmentMeshResult[];
  /** what the import says (registration, labels outside the scan, empty labels) */
  notes: string[];
}

export async function meshLabels(workers: MeshWorker[], vol: Volume, file: string, refine: RefineOptions, onStage: (stage: string) => void): Promise<LabelMeshes> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch {
    throw new CliError(EXIT.noScan, `--labels ${file}: no such file`);
  }
  onStage('importing labels');
  let imported;
  try {
    imported = await importLabelFile(file, bytes, vol);
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) throw e;
    const msg = e.message.startsWith(file) ? e.message : `${file}: ${e.message}`;
    throw new CliError(/not a segmentation|do not overlap/.test(msg) ? EXIT.noScan : EXIT.damaged, `--labels ${msg}`);
  }
  const s = createSegmentation(vol.dims);
  const { segments } = addImportedSegments(s, imported.layers, imported.segments);
  const r = await buildSegmentMeshes(workers, vol, s.layers, segments, refine, onStage);
  const notes = [...imported.notes];
  if (r.empty.length) notes.push(`${r.empty.length} label(s) hold no voxel of the scan and were left out`);
  if (!r.results.length) throw new CliError(EXIT.emptyModel, `--labels ${file}: no label holds a voxel of the scan: nothing to print`);
  return { results: r.results, notes };
}
