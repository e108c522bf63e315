// Exact Euclidean distance transform on an anisotropic grid, separable: a 1D pass per axis, each the
// lower envelope of parabolas (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled
// Functions", 2012). Three passes give, for every voxel, the squared distance in mm² from its centre to
// the nearest feature voxel's centre: exact, in O(voxels).
//
// (A general distance module is being written elsewhere (distance.ts); this one serves margin.ts until
// the two are unified.)
import type { Vec3 } from './types';

/**
 * Squared distance (mm²) from each voxel to the nearest voxel where `feature` is non-zero (x fastest;
 * `spacing` mm per axis; axes taken as orthogonal). Infinity when there is no feature voxel.
 */
export function squaredDistance(feature: Uint8Array, dims: Vec3, spacing: Vec3): Float32Array {
  const [nx, ny, nz] = dims;
  const d = new Float32Array(feature.length);
  for (let p = 0; p < d.length; p++) d[p] = feature[p] ? 0 : Infinity;
  const longest = Math.max(nx, ny, nz);
  const f = new Float64Array(longest), out = new Float64Array(longest);
  const v = new Int32Array(longest), z = new Float64Array(longest + 1);
  const line = (start: number, stride: number, n: number, w: number) => {
    for (let q = 0; q < n; q++) f[q] = d[start + q * stride];
    envelope(f, n, w, out, v, z);
    for (let q = 0; q < n; q++) d[start + q * stride] = out[q];
  };
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) line(nx * (j + ny * k), 1, nx, spacing[0]);
  for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) line(i + nx * ny * k, nx, ny, spacing[1]);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) line(i + nx * j, nx * ny, nz, spacing[2]);
  return d;
}

/**
 * out[p] = min over q of (w·(p − q))² + f[q] for p, q in [0, n): the lower envelope of the parabolas
 * rooted at each q with f[q] finite. `v` (parabola roots) and `z` (envelope breakpoints) are scratch.
 */
function envelope(f: Float64Array, n: number, w: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  const w2 = w * w;
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    // where the parabola at q overtakes the one at v[k], in index units
    let s = -Infinity;
    while (k >= 0) {
      const r = v[k];
      s = (f[q] - f[r] + w2 * (q * q - r * r)) / (2 * w2 * (q - r));
      if (s > z[k]) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let c = 0;
  for (let q = 0; q < n; q++) {
    while (z[c + 1] < q) c++;
    const dq = w * (q - v[c]);
    out[q] = dq * dq + f[v[c]];
  }
}
