// A label's smooth level: for a segment without an HU band (painted or imported), values whose level
// ½ is a sub-voxel surface of the label, for measuring walls from (hollow.ts, via its `values`).
//
// Why: a label's own surface is a staircase of voxel faces; marching cubes puts it half way between
// voxel centres, and the distance from a voxel to it (surfaceDistance.ts: to the nearest crossing) is
// the distance to the staircase's nearest corner, about 0.2 voxel short of the distance to the smooth
// surface the label samples (measured on a ball of 12 mm at 0.5 mm voxels: −0.10 mm on average), so
// a hollowed label kept walls 0.1 mm thick too many and printed 3 % more shell than asked. The mean of
// the label over each voxel's 3 × 3 × 3 block is a partial-volume estimate of that surface: its level ½,
// interpolated along grid edges, lies on a plane's boundary exactly, and walls measured from it read
// −0.02 mm on that ball (labelLevels.test.ts).
//
// API:
//   labelLevels(mask, dims, out, zRange) → out (int16): for slices [z0, z1), 2000 × (the block's share
//     of set voxels) − 1000, so −1000 … 1000 with the level ½ at 0; LABEL_LEVEL_RANGE is the band
//     whose bound is that level. Beyond the grid counts as unset (as marching cubes pads it). Slices can
//     be split over workers (each reads its slices ± 1).
import type { ThresholdRange, Vec3 } from './types';

/** Inside where the block's share of set voxels is at least ½ (values ≥ 0, the bound at −0.5). */
export const LABEL_LEVEL_RANGE: ThresholdRange = { lower: 0, upper: 32767 };

export function labelLevels(mask: Uint8Array, dims: Vec3, out: Int16Array, zRange: [number, number] = [0, dims[2]]): Int16Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  if (mask.length !== plane * nz || out.length !== mask.length) throw new RangeError(`labelLevels: ${mask.length} and ${out.length} voxels, dims ${dims.join('×')}`);
  // per slice: the 3 × 3 sums in x and y (rows then columns), then three slices summed
  const rows = new Uint8Array(plane), sums = [new Uint8Array(plane), new Uint8Array(plane), new Uint8Array(plane)];
  const slice = (k: number, into: Uint8Array) => {
    if (k < 0 || k >= nz) return into.fill(0);
    const m = mask.subarray(k * plane, (k + 1) * plane);
    for (let j = 0; j < ny; j++)
      for (let i = 0, r = j * nx; i < nx; i++) rows[r + i] = (i > 0 && m[r + i - 1] ? 1 : 0) + (m[r + i] ? 1 : 0) + (i + 1 < nx && m[r + i + 1] ? 1 : 0);
    for (let j = 0; j < ny; j++)
      for (let i = 0, r = j * nx; i < nx; i++) into[r + i] = (j > 0 ? rows[r + i - nx] : 0) + rows[r + i] + (j + 1 < ny ? rows[r + i + nx] : 0);
    return into;
  };
  let [below, here, above] = sums;
  slice(zRange[0] - 1, below);
  slice(zRange[0], here);
  for (let k = zRange[0]; k < zRange[1]; k++) {
    slice(k + 1, above);
    const o = k * plane;
    for (let v = 0; v < plane; v++) out[o + v] = Math.round((2000 * (below[v] + here[v] + above[v])) / 27) - 1000;
    [below, here, above] = [here, above, below];
  }
  return out;
}
