// Registration of a label map to the scan: both grids are placed in patient space (LPS mm) by their own
// geometry, and every scan voxel takes the label of the label-map voxel nearest to its centre (nearest
// neighbour, in mm). When the grids coincide (every scan voxel centre is a label-map voxel centre, to
// 1e-3 mm: same spacing, axes equal or flipped, integer offset) the copy is voxel-exact and runs on
// integer indices; a flipped or shifted or cropped map lands exactly where it belongs.
import type { CropBox } from '../../core/maskOps';
import type { Vec3, VolumeGeometry } from '../../core/types';

/** How a target (scan) voxel index maps to a source (label map) index: s = M·x + t. */
export interface GridMapping {
  /** 3 × 3, row-major */
  m: number[];
  t: Vec3;
  /** the grids coincide to 1e-3 mm (M and t are then integers) */
  exact: boolean;
  /** target voxels whose nearest source voxel may lie inside the source grid (null: none) */
  box: CropBox | null;
}

/** Index → patient: the 3 × 3 matrix [dirI·si | dirJ·sj | dirK·sk] (row-major) and the origin. */
function affine(g: VolumeGeometry): number[] {
  const d = g.direction, s = g.spacing;
  return [d[0] * s[0], d[3] * s[1], d[6] * s[2], d[1] * s[0], d[4] * s[1], d[7] * s[2], d[2] * s[0], d[5] * s[1], d[8] * s[2]];
}

function inverse3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 0)) throw new Error('degenerate grid (its axes do not span 3D)');
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

const mul = (a: number[], b: number[]) => [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c]));
const apply = (m: number[], v: ArrayLike<number>): Vec3 => [0, 1, 2].map((r) => m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2]) as Vec3;

/** The mapping from `target` voxel indices to `source` voxel indices. */
export function gridMapping(target: VolumeGeometry, source: VolumeGeometry): GridMapping {
  const Si = inverse3(affine(source));
  let m = mul(Si, affine(target));
  let t = apply(Si, [target.origin[0] - source.origin[0], target.origin[1] - source.origin[1], target.origin[2] - source.origin[2]]);
  // coincident grids: the drift from integers, accumulated over the whole target grid, stays under 1e-3 mm
  const tol = 1e-3;
  let exact = true;
  for (let r = 0; r < 3 && exact; r++) {
    const s = source.spacing[r];
    let drift = Math.abs(t[r] - Math.round(t[r])) * s;
    for (let c = 0; c < 3; c++) drift += Math.abs(m[3 * r + c] - Math.round(m[3 * r + c])) * s * Math.max(1, target.dims[c] - 1);
    if (drift > tol) exact = false;
  }
  if (exact) {
    m = m.map((x) => Math.round(x) + 0);
    t = t.map((x) => Math.round(x) + 0) as Vec3;
  }
  // the source grid's extent (voxel centres ± half a voxel) in target index space: its bounding box
  const Ti = inverse3(m);
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const s = [0, 1, 2].map((a) => ((corner >> a) & 1 ? source.dims[a] - 0.5 : -0.5) - t[a]);
    const x = apply(Ti, s);
    for (let a = 0; a < 3; a++) (lo[a] = Math.min(lo[a], x[a])), (hi[a] = Math.max(hi[a], x[a]));
  }
  const min = lo.map((x) => Math.max(0, Math.floor(x))) as Vec3;
  const max = hi.map((x, a) => Math.min(target.dims[a] - 1, Math.ceil(x))) as Vec3;
  const box = min.every((x, a) => x <= max[a]) ? { min, max } : null;
  return { m, t, exact, box };
}

/**
 * Resamples one source label layer onto the target grid (nearest neighbour): out[x] = src[round(M·x + t)]
 * for target voxels whose nearest source voxel exists, 0 elsewhere (`out` is written only in the
 * mapping's box, so pass it zeroed). `lut` maps source values to the values written (default: as is).
 * Returns the number of target voxels given a non-zero label.
 */
export function resampleLabels(src: ArrayLike<number>, srcDims: Vec3, map: GridMapping, targetDims: Vec3, out: Uint8Array, lut?: Uint8Array): number {
  if (!map.box) return 0;
  const [sx, sy, sz] = srcDims;
  const [nx, ny] = targetDims;
  const { m, t } = map;
  const { min, max } = map.box;
  let labelled = 0;
  for (let k = min[2]; k <= max[2]; k++)
    for (let j = min[1]; j <= max[1]; j++) {
      // source position of voxel (min[0], j, k) and its step along i
      let a = m[0] * min[0] + m[1] * j + m[2] * k + t[0];
      let b = m[3] * min[0] + m[4] * j + m[5] * k + t[1];
      let c = m[6] * min[0] + m[7] * j + m[8] * k + t[2];
      const row = nx * (j + ny * k);
      if (map.exact) {
        // integer steps: the i range inside the source, then one index increment per voxel
        let lo = min[0], hi = max[0];
        for (const [s0, ds, ns] of [[a, m[0], sx], [b, m[3], sy], [c, m[6], sz]]) {
          if (ds === 0) {
            if (s0 < 0 || s0 >= ns) hi = lo - 1;
          } else {
            const t1 = (0 - s0) / ds, t2 = (ns - 1 - s0) / ds;
            lo = Math.max(lo, min[0] + Math.ceil(Math.min(t1, t2)));
            hi = Math.min(hi, min[0] + Math.floor(Math.max(t1, t2)));
          }
        }
        const step = m[0] + sx * (m[3] + sy * m[6]);
        let q = a + m[0] * (lo - min[0]) + sx * (b + m[3] * (lo - min[0]) + sy * (c + m[6] * (lo - min[0])));
        for (let i = lo; i <= hi; i++, q += step) {
          const v = src[q];
          if (v === 0) continue;
          const w = lut ? lut[v] : v;
          out[row + i] = w;
          if (w) labelled++;
        }
        continue;
      }
      for (let i = min[0]; i <= max[0]; i++, a += m[0], b += m[3], c += m[6]) {
        // round half up: the same voxel wherever a centre falls exactly between two
        const si = Math.floor(a + 0.5), sj = Math.floor(b + 0.5), sk = Math.floor(c + 0.5);
        if (si < 0 || sj < 0 || sk < 0 || si >= sx || sj >= sy || sk >= sz) continue;
        const v = src[si + sx * (sj + sy * sk)];
        if (v === 0) continue;
        const w = lut ? lut[v] : v;
        out[row + i] = w;
        if (w) labelled++;
      }
    }
  return labelled;
}

/**
 * Of the source's labelled voxels (non-zero in any of `layers`), how many have their centre inside the
 * target grid's extent (the scan's voxel centres ± half a voxel).
 */
export function labelledInside(layers: ArrayLike<number>[], srcDims: Vec3, map: GridMapping, targetDims: Vec3): { labelled: number; inside: number } {
  const Ti = inverse3(map.m);
  const [sx, sy, sz] = srcDims;
  const [tx, ty, tz] = [0, 1, 2].map((a) => -Ti[3 * a] * map.t[0] - Ti[3 * a + 1] * map.t[1] - Ti[3 * a + 2] * map.t[2]);
  const [nx, ny, nz] = targetDims;
  let labelled = 0, inside = 0;
  for (let k = 0; k < sz; k++)
    for (let j = 0; j < sy; j++)
      for (let i = 0, p = sx * (j + sy * k); i < sx; i++, p++) {
        let any = 0;
        for (let l = 0; l < layers.length; l++) any |= layers[l][p];
        if (!any) continue;
        labelled++;
        const x = Ti[0] * i + Ti[1] * j + Ti[2] * k + tx, y = Ti[3] * i + Ti[4] * j + Ti[5] * k + ty, z = Ti[6] * i + Ti[7] * j + Ti[8] * k + tz;
        if (x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= nx - 0.5 && y <= ny - 0.5 && z <= nz - 0.5) inside++;
      }
  return { labelled, inside };
}
