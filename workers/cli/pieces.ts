// dicom2stl's -x/--clean-small R: drop the pieces smaller than R × the largest. dicom2stl compares
// vertex counts of mesh regions (vtkPolyDataConnectivityFilter, keeping regions of more than R × the
// largest); here the pieces are the face-connected pieces of what prints, measured in voxels, before
// the surface is made: that is how the app's "remove small pieces" works (an absolute size), so this
// finds the size once: the print mask without piece edits, its largest piece, R times it.
import { componentSizes } from '../core/components';
import { printMask } from '../core/maskEdits';
import type { ThresholdRange, Volume } from '../core/types';

export interface RelativeSize {
  /** pieces of the mask, and the largest one's voxels */
  pieces: number;
  largestVoxels: number;
  /** the app's minPieceMm3 that keeps exactly the pieces of more than ratio × largest voxels (0: keep all) */
  minPieceMm3: number;
}

export function relativeMinPiece(vol: Volume, range: ThresholdRange, seedBand: ThresholdRange | undefined, ratio: number): RelativeSize {
  const mask = new Uint8Array(vol.data.length);
  printMask(vol, range, { keepLargest: false, seedBand }, mask);
  const sizes = componentSizes(mask, vol.dims);
  const largest = sizes[0] ?? 0;
  if (!largest || ratio <= 0) return { pieces: sizes.length, largestVoxels: largest, minPieceMm3: 0 };
  // keep size > ratio × largest ⇔ size ≥ floor(ratio × largest) + 1 voxels; half a voxel below that in
  // mm³ rounds up (mm3ToVoxels) to exactly that count
  const minVoxels = Math.floor(ratio * largest) + 1;
  const voxelMm3 = vol.spacing[0] * vol.spacing[1] * vol.spacing[2];
  return { pieces: sizes.length, largestVoxels: largest, minPieceMm3: (minVoxels - 0.5) * voxelMm3 };
}
