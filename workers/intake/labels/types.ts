// What every label-map reader gives: the labels on the file's own grid, before registration.
import type { ImportedSegment } from '../../core/segments';
import type { VolumeGeometry } from '../../core/types';

export type LabelFormat = 'NIfTI' | 'DICOM SEG' | 'NRRD';

export interface SourceLabels {
  format: LabelFormat;
  /** the label map's grid in patient space (LPS mm) */
  geometry: VolumeGeometry;
  /** label layers on that grid, one byte per voxel (0 = background), x fastest */
  layers: Uint8Array[];
  /** the segments: their names and colours, and where their voxels are in `layers` */
  segments: ImportedSegment[];
  /** what the user should know about the file (values remapped, frames skipped, …) */
  notes: string[];
}
