// The matrix a placement applies (placement.ts placeMesh, as a 4×4), its inverse, and points and
// directions through them: so a point picked in the 3D view (the file's coordinates) can be kept in
// the model's own coordinates, and points of the model (thin-wall marks) shown where the file has them.
//
// API: placementMatrix(mesh, placement) and bedPlacementMatrix(mesh, opts): what placeMesh and
//   placeOnBed apply (to float rounding); invertAffine(m); applyPoint(m, p); applyDirection(m, d)
//   (the linear part only, normalised: for a similarity, a normal or an axis stays one).
import { bedMatrix, type BedOptions, type Mat4, type Placement } from './placement';
import type { Mesh, Vec3 } from './types';

/** The matrix placeMesh(mesh, placement) applies. */
export function placementMatrix(mesh: Mesh, placement: Placement): Mat4 {
  if (placement.where === 'bed') return bedPlacementMatrix(mesh, { scalePercent: placement.scalePercent, flatSideDown: true, down: placement.down });
  const s = placement.scalePercent / 100;
  return [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1];
}

/** The matrix placeOnBed(mesh, opts) applies: bedMatrix, and the lowest point snapped to z = 0. */
export function bedPlacementMatrix(mesh: Mesh, opts: BedOptions): Mat4 {
  const m = bedMatrix(mesh, opts);
  const P = mesh.positions;
  let minZ = Infinity;
  for (let i = 0; i < P.length; i += 3) minZ = Math.min(minZ, m[8] * P[i] + m[9] * P[i + 1] + m[10] * P[i + 2] + m[11]);
  if (Number.isFinite(minZ)) m[11] -= minZ;
  return m;
}

/** The inverse of an affine 4×4 (row-major, last row 0 0 0 1). Throws on a singular one. */
export function invertAffine(m: Mat4): Mat4 {
  const [a, b, c, , d, e, f, , g, h, k] = m;
  const det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  if (!(Math.abs(det) > 1e-300)) throw new RangeError('invertAffine: the matrix is singular');
  const r = [
    (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det,
    (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det,
    (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
  ];
  const t = [m[3], m[7], m[11]];
  const out: Mat4 = [];
  for (let row = 0; row < 3; row++) {
    const [x, y, z] = r.slice(3 * row, 3 * row + 3);
    out.push(x, y, z, -(x * t[0] + y * t[1] + z * t[2]));
  }
  out.push(0, 0, 0, 1);
  return out;
}

export function applyPoint(m: Mat4, p: Vec3): Vec3 {
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

/** A direction through the linear part of `m`, unit length again. */
export function applyDirection(m: Mat4, d: Vec3): Vec3 {
  const v: Vec3 = [m[0] * d[0] + m[1] * d[1] + m[2] * d[2], m[4] * d[0] + m[5] * d[1] + m[6] * d[2], m[8] * d[0] + m[9] * d[1] + m[10] * d[2]];
  const l = Math.hypot(...v);
  return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : v;
}
