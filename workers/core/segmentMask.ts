// What marching cubes meshes for one segment, on the segment's bounding box only.
//
// marchingCubes.ts counts a voxel inside when its HU is in the range AND its mask is set, or when its
// mask is MASK_FILLED whatever its HU. So a segment's mask is: a voxel of the segment → 1 if its HU is
// in the segment's `range`, else MASK_FILLED; 0 elsewhere. A segment made from a threshold keeps the
// sub-voxel surface of that HU band (vertices interpolated against the band's bounds), while voxels
// painted or imported outside the band still print, their surface half way between voxel centres. A
// segment without a range is meshed with the full int16 range: a binary surface, every vertex half way.
//
// The segment is meshed on a sub-volume: its box grown by one voxel (clamped to the scan), so every
// vertex, interpolated against the real neighbouring HU, is where the whole-volume mesh puts it; the
// HU of that box and the mask are copied once into shared memory by workers over z ranges.
import { MASK_FILLED } from './components';
import type { CropBox } from './maskOps';
import { boxDims } from './segmentStats';
import type { ThresholdRange, Volume } from './types';

/** The band of a segment without a range: every voxel of the segment is in it. */
export const FULL_RANGE: ThresholdRange = { lower: -32768, upper: 32767 };

/**
 * Writes the meshing mask of segment `value` of `labels` for slices [z0, z1) of `box` into `out`
 * (box-sized, x fastest; slice z of the volume is slice z − box.min[2] of `out`).
 */
export function segmentMask(
  labels: Uint8Array,
  value: number,
  vol: Pick<Volume, 'data' | 'dims'>,
  range: ThresholdRange | undefined,
  out: Uint8Array,
  box: CropBox,
  zRange: [number, number] = [box.min[2], box.max[2] + 1],
): Uint8Array {
  const [nx, ny] = vol.dims;
  const [bx, by] = boxDims(box);
  const d = vol.data;
  const lo = range ? Math.ceil(range.lower) : -32768, hi = range ? Math.floor(range.upper) : 32767;
  for (let k = zRange[0]; k < zRange[1]; k++)
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      let p = nx * (j + ny * k) + box.min[0];
      let m = bx * (j - box.min[1] + by * (k - box.min[2]));
      for (let e = p + bx; p < e; p++, m++) {
        if (labels[p] !== value) out[m] = 0;
        else {
          const v = d[p];
          out[m] = v >= lo && v <= hi ? 1 : MASK_FILLED;
        }
      }
    }
  return out;
}

/** Copies the HU of slices [z0, z1) of `box` from `vol` into `out` (box-sized, x fastest). */
export function cropVolume(vol: Pick<Volume, 'data' | 'dims'>, box: CropBox, out: Int16Array, zRange: [number, number] = [box.min[2], box.max[2] + 1]): Int16Array {
  const [nx, ny] = vol.dims;
  const [bx, by] = boxDims(box);
  for (let k = zRange[0]; k < zRange[1]; k++)
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      const p = nx * (j + ny * k) + box.min[0];
      out.set(vol.data.subarray(p, p + bx), bx * (j - box.min[1] + by * (k - box.min[2])));
    }
  return out;
}

/** The geometry of `box` as a volume of its own (holding `data`): same spacing and axes, origin at its first voxel. */
export function subVolume(vol: Volume, box: CropBox, data: Int16Array): Volume {
  const d = vol.direction, s = vol.spacing, m = box.min;
  const origin = [0, 1, 2].map((r) => vol.origin[r] + m[0] * s[0] * d[r] + m[1] * s[1] * d[3 + r] + m[2] * s[2] * d[6 + r]) as Volume['origin'];
  return { dims: boxDims(box), spacing: vol.spacing, origin, direction: vol.direction, data };
}
