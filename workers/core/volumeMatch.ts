// Restoring a surface's enclosed volume to a target by moving every vertex the same distance along
// its normal (a uniform offset of the surface, found by the secant method).
//
// Why: a label map says "these voxels are the structure", and its volume is their count. The surface
// marching cubes puts half way between voxel centres encloses less: it cuts every edge and corner of
// the voxels, which costs little on a liver but 15–40 % on a rib two voxels thick and 5/6 of a single
// voxel; smoothing then shrinks thin parts further. Offsetting the smoothed surface outward by the
// small distance that gives back the voxel volume prints the structure at the volume the
// segmentation holds. The offset is uniform, so the shape is kept; it is bounded (`maxOffsetMm`) and
// never flips a triangle, and the topology is untouched (same triangles), so a closed 2-manifold
// stays one.
import type { Mesh } from './types';

export interface VolumeMatch {
  mesh: Mesh;
  /** the offset applied along the vertex normals (mm; negative: inward) */
  offsetMm: number;
  volumeMm3: number;
}

/** Signed volume of a closed mesh (positive when wound outward). */
export function meshVolume(positions: ArrayLike<number>, indices: ArrayLike<number>): number {
  let v = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
    v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return v / 6;
}

/** Unit vertex normals: the area-weighted sum of the normals of the triangles around each vertex. */
function vertexNormals(P: Float64Array, I: Uint32Array): Float64Array {
  const N = new Float64Array(P.length);
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
    const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
    for (const v of [a, b, c]) (N[v] += nx), (N[v + 1] += ny), (N[v + 2] += nz);
  }
  for (let v = 0; v < N.length; v += 3) {
    const l = Math.hypot(N[v], N[v + 1], N[v + 2]);
    if (l > 0) (N[v] /= l), (N[v + 1] /= l), (N[v + 2] /= l);
  }
  return N;
}

/** Does any triangle of `Q` face against its counterpart in `P` (or lose all its area)? */
function anyFlipped(P: Float64Array, Q: Float64Array, I: Uint32Array): boolean {
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    const n0 = cross(P, a, b, c), n1 = cross(Q, a, b, c);
    if (n0[0] * n1[0] + n0[1] * n1[1] + n0[2] * n1[2] <= 0 && n0[0] * n0[0] + n0[1] * n0[1] + n0[2] * n0[2] > 0) return true;
  }
  return false;
}

function cross(P: Float64Array, a: number, b: number, c: number): [number, number, number] {
  const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
  const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
  return [uy * wz - uz * wy, uz * wx - ux * wz, ux * wy - uy * wx];
}

/**
 * `mesh` offset along its vertex normals so that it encloses `targetMm3` (to 0.01 %), with the offset
 * limited to ±`maxOffsetMm` and reduced until no triangle flips. A mesh already at the target, or
 * empty, comes back unchanged.
 */
export function matchVolume(mesh: Mesh, targetMm3: number, maxOffsetMm: number): VolumeMatch {
  const I = mesh.indices;
  const P = Float64Array.from(mesh.positions);
  const v0 = meshVolume(P, I);
  if (I.length === 0 || !(targetMm3 > 0) || Math.abs(v0 - targetMm3) <= 1e-4 * targetMm3) return { mesh, offsetMm: 0, volumeMm3: v0 };
  const N = vertexNormals(P, I);
  const Q = new Float64Array(P.length);
  const at = (d: number) => {
    for (let i = 0; i < P.length; i++) Q[i] = P[i] + d * N[i];
    return meshVolume(Q, I);
  };
  // secant iterations on V(d) − target, from d = 0 and a first step of ΔV / area
  let area = 0;
  for (let t = 0; t < I.length; t += 3) {
    const n = cross(P, 3 * I[t], 3 * I[t + 1], 3 * I[t + 2]);
    area += Math.hypot(n[0], n[1], n[2]) / 2;
  }
  const clamp = (d: number) => Math.max(-maxOffsetMm, Math.min(maxOffsetMm, d));
  let dA = 0, fA = v0 - targetMm3;
  let dB = clamp(area > 0 ? (targetMm3 - v0) / area : 0), fB = at(dB) - targetMm3;
  for (let it = 0; it < 30 && Math.abs(fB) > 1e-4 * targetMm3 && fB !== fA; it++) {
    const dC = clamp(dB - (fB * (dB - dA)) / (fB - fA));
    if (dC === dB) break; // at the limit
    (dA = dB), (fA = fB);
    (dB = dC), (fB = at(dB) - targetMm3);
  }
  // never flip a triangle: halve the offset until none does
  let d = dB;
  at(d);
  for (let tries = 0; tries < 20 && anyFlipped(P, Q, I); tries++) at((d /= 2));
  return { mesh: { positions: Float32Array.from(Q), indices: I }, offsetMm: d, volumeMm3: meshVolume(Float32Array.from(Q), I) };
}
