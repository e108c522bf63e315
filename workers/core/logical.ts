// Logical operations between two segments, written into the first (`target`):
//   add:       target ∪ other (voxels of other segments in target's layer are taken, as when painting);
//   subtract:  target minus other;
//   intersect: target ∩ other.
// The other segment is read, never changed — unless it shares target's layer, where adding takes its
// voxels (one voxel holds one value per layer).
import type { CropBox } from './maskOps';
import { commitMask, type LayerPatch } from './patch';
import { extractMask, type SegmentRef } from './segments';
import { layerStats, valueBox } from './segmentStats';
import type { Vec3 } from './types';

export type LogicalOp = 'add' | 'subtract' | 'intersect';

/** `target` becomes `target op other`; `layers` are all the segmentation's layers. */
export function logical(layers: Uint8Array[], target: SegmentRef, other: SegmentRef, dims: Vec3, op: LogicalOp): LayerPatch | null {
  const labels = layers[target.layer];
  const a = valueBox(layerStats(labels, dims), target.value);
  const b = valueBox(layerStats(layers[other.layer], dims), other.value);
  // the box where target can change: its own, or the union with other's when adding
  let box: CropBox | null = a;
  if (op === 'add' && b) box = a ? { min: a.min.map((x, i) => Math.min(x, b.min[i])) as Vec3, max: a.max.map((x, i) => Math.max(x, b.max[i])) as Vec3 } : b;
  if (!box) return null;
  const mine = extractMask(labels, dims, target.value, box);
  const theirs = extractMask(layers[other.layer], dims, other.value, box);
  for (let p = 0; p < mine.length; p++) {
    const x = mine[p], y = theirs[p];
    mine[p] = op === 'add' ? x | y : op === 'subtract' ? x & (y ^ 1) : x & y;
  }
  return commitMask(labels, target.layer, target.value, dims, box, mine);
}
