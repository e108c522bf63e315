// Fill holes: the cavities a segment encloses in 3D (background no face-connected path of background
// leads out of, e.g. a vertebral body's marrow or an air bubble inside an organ) become the segment's.
// 3D, not slice by slice: a ring in one slice that opens above or below (the spinal canal of a
// vertebra, the lumen of a vessel) is not a hole and stays open. Voxels of other segments inside a
// cavity keep their segment (a cyst stays a cyst); only free voxels are filled.
import { fillCavities } from './components';
import { commitMask, type LayerPatch } from './patch';
import { extractMask, type SegmentRef } from './segments';
import { boxDims, growBox, layerStats, valueBox } from './segmentStats';
import type { Vec3 } from './types';

/** Fills the 3D cavities of segment `target` of `labels` (free voxels only). */
export function fillHoles(labels: Uint8Array, target: SegmentRef, dims: Vec3): LayerPatch | null {
  const box0 = valueBox(layerStats(labels, dims), target.value);
  if (!box0) return null;
  // one voxel of background around the segment, so cavities are told apart from the outside
  const box = growBox(box0, 1, dims);
  const mask = extractMask(labels, dims, target.value, box);
  if (!fillCavities(mask, boxDims(box)).filled) return null;
  return commitMask(labels, target.layer, target.value, dims, box, mask, 'none');
}
