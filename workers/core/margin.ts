// Grow or shrink a segment by a margin in millimetres, exactly, through a Euclidean distance transform
// (edt.ts) on the segment's box:
//   grow by m:   a voxel joins when its centre lies within m of a voxel centre of the segment;
//   shrink by m: a voxel stays when every voxel centre not in the segment lies farther than m.
// Spacing is honoured per axis (a 2 mm margin is 2 mm across thick slices too). Growing takes voxels
// from other segments of the same layer (Slicer's default). The scan's border is not a surface of the
// segment: shrinking does not eat in from it.
import { squaredDistance } from './edt';
import { commitMask, type LayerPatch } from './patch';
import { extractMask, type SegmentRef } from './segments';
import { boxDims, growBox, layerStats, valueBox } from './segmentStats';
import type { Vec3 } from './types';

/** Grows (`mm` > 0) or shrinks (`mm` < 0) segment `target` of `labels` by |mm| millimetres. */
export function margin(labels: Uint8Array, target: SegmentRef, dims: Vec3, spacing: Vec3, mm: number): LayerPatch | null {
  const box0 = valueBox(layerStats(labels, dims), target.value);
  if (!box0 || mm === 0) return null;
  const m = Math.abs(mm);
  // voxels that can change lie within m of the segment (grow), or the box plus one layer of background (shrink)
  const box = growBox(box0, mm > 0 ? (spacing.map((s) => Math.floor(m / s)) as Vec3) : 1, dims);
  const seg = extractMask(labels, dims, target.value, box);
  const r2 = m * m * (1 + 1e-6); // centres exactly at the margin count as within it
  const bd = boxDims(box);
  const out = new Uint8Array(seg.length);
  if (mm > 0) {
    const d = squaredDistance(seg, bd, spacing);
    for (let p = 0; p < out.length; p++) out[p] = d[p] <= r2 ? 1 : 0;
  } else {
    const background = new Uint8Array(seg.length);
    for (let p = 0; p < seg.length; p++) background[p] = seg[p] ? 0 : 1;
    const d = squaredDistance(background, bd, spacing);
    for (let p = 0; p < out.length; p++) out[p] = seg[p] && d[p] > r2 ? 1 : 0;
  }
  return commitMask(labels, target.layer, target.value, dims, box, out);
}
