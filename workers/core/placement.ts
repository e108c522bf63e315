// Placement for export: scanner coordinates (LPS mm, optionally scaled) or "on the bed" (flattest side
// down, centred on x = y = 0, lowest point at z = 0, scaled). Pure functions: every result is a new
// Mesh with its own arrays; the input is never touched. Units stay millimetres.
import type { Mesh, Vec3 } from './types';

/** 4×4 affine matrix, row-major: m[4*r + c]; applied to column vectors (x' = m·[x y z 1]ᵀ). */
export type Mat4 = number[];

/** Where the exported model sits: as scanned (patient LPS mm) or on a printer bed; and its scale. */
export interface Placement {
  where: 'scanner' | 'bed';
  scalePercent: number;
  /** on the bed: this direction (the mesh's own) points down, instead of its flattest side's (e.g. the side drain holes were drilled for) */
  down?: Vec3;
}

export interface BedOptions {
  /** uniform scale in percent (100 = true size); must be > 0 */
  scalePercent: number;
  /** turn the model so its largest flat face rests on the bed (z = 0, facing −z) */
  flatSideDown: boolean;
  /** instead: the direction (in the mesh's coordinates) that points down, e.g. findBase's choice made once for a model */
  down?: Vec3;
}

export interface BaseChoice {
  /** unit direction, in the mesh's own coordinates, that ends up pointing down (−z) */
  down: Vec3;
  /** area (mm², unscaled) of the triangles lying flat on the bed in that orientation */
  contactAreaMm2: number;
}

/** Triangles within this angle of the bed's normal count as lying on it. */
const FLAT_DEGREES = 10;
const COS_FLAT = Math.cos((FLAT_DEGREES * Math.PI) / 180);
/** Keep the scan's own "down" unless another side gives this much more contact. */
const KEEP_CURRENT = 0.9;

export const IDENTITY4: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** a·b (both row-major 4×4): apply b first, then a. */
export function multiply4(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[4 * r + k] * b[4 * k + c];
      out[4 * r + c] = s;
    }
  return out;
}

const det3 = (m: Mat4) =>
  m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);

/**
 * Applies an affine matrix to every vertex (computed in double precision). A mirroring matrix
 * (negative determinant) also reverses each triangle, so the winding stays outward.
 */
export function transformMesh(mesh: Mesh, m: Mat4): Mesh {
  const P = mesh.positions;
  const out = new Float32Array(P.length);
  for (let i = 0; i < P.length; i += 3) {
    const x = P[i], y = P[i + 1], z = P[i + 2];
    out[i] = m[0] * x + m[1] * y + m[2] * z + m[3];
    out[i + 1] = m[4] * x + m[5] * y + m[6] * z + m[7];
    out[i + 2] = m[8] * x + m[9] * y + m[10] * z + m[11];
  }
  const indices = new Uint32Array(mesh.indices);
  if (det3(m) < 0)
    for (let t = 0; t < indices.length; t += 3) {
      const b = indices[t + 1];
      indices[t + 1] = indices[t + 2];
      indices[t + 2] = b;
    }
  return { positions: out, indices };
}

/** Uniform scale about the scanner origin: for export in scanner (LPS) coordinates. */
export function scaleMesh(mesh: Mesh, scalePercent: number): Mesh {
  const s = scaleFactor(scalePercent);
  return transformMesh(mesh, [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1]);
}

function scaleFactor(scalePercent: number): number {
  if (!Number.isFinite(scalePercent) || scalePercent <= 0) throw new RangeError(`scale must be > 0 %, got ${scalePercent}`);
  return scalePercent / 100;
}

/** Proper rotation (det +1) taking the unit vector `from` onto the unit vector `to`, as a 4×4. */
export function rotationBetween(from: Vec3, to: Vec3): Mat4 {
  const [ax, ay, az] = normalize(from);
  const [bx, by, bz] = normalize(to);
  const c = ax * bx + ay * by + az * bz;
  let kx = ay * bz - az * by, ky = az * bx - ax * bz, kz = ax * by - ay * bx;
  const s = Math.hypot(kx, ky, kz);
  if (s < 1e-12) {
    if (c > 0) return IDENTITY4.slice();
    // Opposite: half turn about any axis perpendicular to `from`.
    const p: Vec3 = Math.abs(ax) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const d = p[0] * ax + p[1] * ay + p[2] * az;
    const [ux, uy, uz] = normalize([p[0] - d * ax, p[1] - d * ay, p[2] - d * az]);
    // R = 2uuᵀ − I
    return [
      2 * ux * ux - 1, 2 * ux * uy, 2 * ux * uz, 0,
      2 * uy * ux, 2 * uy * uy - 1, 2 * uy * uz, 0,
      2 * uz * ux, 2 * uz * uy, 2 * uz * uz - 1, 0,
      0, 0, 0, 1,
    ];
  }
  kx /= s;
  ky /= s;
  kz /= s;
  // Rodrigues: R = I + sinθ K + (1 − cosθ) K², with sinθ = s, cosθ = c.
  const v = 1 - c;
  return [
    c + kx * kx * v, kx * ky * v - kz * s, kx * kz * v + ky * s, 0,
    ky * kx * v + kz * s, c + ky * ky * v, ky * kz * v - kx * s, 0,
    kz * kx * v - ky * s, kz * ky * v + kx * s, c + kz * kz * v, 0,
    0, 0, 0, 1,
  ];
}

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new RangeError('zero-length direction');
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Per-triangle unit normals and areas (double precision). */
function triangleNormals(mesh: Mesh): { normals: Float64Array; areas: Float64Array } {
  const P = mesh.positions, I = mesh.indices;
  const nt = I.length / 3;
  const normals = new Float64Array(3 * nt);
  const areas = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const n = Math.hypot(nx, ny, nz);
    areas[t] = n / 2;
    if (n > 0) {
      normals[3 * t] = nx / n;
      normals[3 * t + 1] = ny / n;
      normals[3 * t + 2] = nz / n;
    }
  }
  return { normals, areas };
}

/**
 * Candidate "down" directions: the six axis directions (the scan's own −z first), ± the principal
 * axes of the vertex cloud, and the area-weighted mean normals of the most populated normal-direction
 * bins (these find flat faces at any angle, e.g. a cut made obliquely).
 */
function candidateDirections(mesh: Mesh, normals: Float64Array, areas: Float64Array): Vec3[] {
  const out: Vec3[] = [[0, 0, -1], [0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]];
  for (const axis of principalAxes(mesh.positions)) out.push(axis, [-axis[0], -axis[1], -axis[2]]);
  // Normal histogram on a latitude/longitude grid (~6° cells), area-weighted.
  const LAT = 30, LON = 60;
  const sum = new Float64Array(LAT * LON * 4); // nx, ny, nz, area per cell
  const nt = areas.length;
  for (let t = 0; t < nt; t++) {
    const a = areas[t];
    if (!(a > 0)) continue;
    const nx = normals[3 * t], ny = normals[3 * t + 1], nz = normals[3 * t + 2];
    const lat = Math.min(LAT - 1, Math.floor((Math.acos(Math.max(-1, Math.min(1, nz))) / Math.PI) * LAT));
    const lon = Math.min(LON - 1, Math.floor(((Math.atan2(ny, nx) + Math.PI) / (2 * Math.PI)) * LON));
    const cell = 4 * (lat * LON + lon);
    sum[cell] += nx * a;
    sum[cell + 1] += ny * a;
    sum[cell + 2] += nz * a;
    sum[cell + 3] += a;
  }
  const cells = Array.from({ length: LAT * LON }, (_, i) => i)
    .filter((i) => sum[4 * i + 3] > 0)
    .sort((x, y) => sum[4 * y + 3] - sum[4 * x + 3])
    .slice(0, 12);
  for (const i of cells) {
    const v: Vec3 = [sum[4 * i], sum[4 * i + 1], sum[4 * i + 2]];
    if (Math.hypot(v[0], v[1], v[2]) > 1e-9) out.push(normalize(v));
  }
  return out;
}

/** Eigenvectors of the vertex covariance (Jacobi iteration on the 3×3 symmetric matrix). */
function principalAxes(P: Float32Array): Vec3[] {
  const n = P.length / 3;
  if (n < 3) return [];
  let mx = 0, my = 0, mz = 0;
  for (let i = 0; i < P.length; i += 3) {
    mx += P[i];
    my += P[i + 1];
    mz += P[i + 2];
  }
  mx /= n;
  my /= n;
  mz /= n;
  const a = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < P.length; i += 3) {
    const d = [P[i] - mx, P[i + 1] - my, P[i + 2] - mz];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) a[3 * r + c] += d[r] * d[c];
  }
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]);
    if (off < 1e-12 * (Math.abs(a[0]) + Math.abs(a[4]) + Math.abs(a[8]) + 1e-300)) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      const apq = a[3 * p + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p], akq = a[3 * k + q];
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k], aqk = a[3 * q + k];
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p], vkq = v[3 * k + q];
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  const axes: Vec3[] = [];
  for (let c = 0; c < 3; c++) {
    const axis: Vec3 = [v[c], v[3 + c], v[6 + c]];
    if (axis.every(Number.isFinite) && Math.hypot(...axis) > 0.5) axes.push(normalize(axis));
  }
  return axes;
}

/**
 * Area of the triangles that would rest on the bed if `down` pointed down: facing `down` within
 * FLAT_DEGREES and with every vertex within `tolerance` mm of the lowest point along `down`.
 */
function contactArea(mesh: Mesh, normals: Float64Array, areas: Float64Array, down: Vec3, tolerance: number, meanNormal?: number[]): number {
  const P = mesh.positions, I = mesh.indices;
  const [dx, dy, dz] = down;
  let extreme = -Infinity;
  for (let i = 0; i < P.length; i += 3) extreme = Math.max(extreme, P[i] * dx + P[i + 1] * dy + P[i + 2] * dz);
  const floor = extreme - tolerance;
  let total = 0;
  for (let t = 0; t < areas.length; t++) {
    if (normals[3 * t] * dx + normals[3 * t + 1] * dy + normals[3 * t + 2] * dz < COS_FLAT) continue;
    let onBed = true;
    for (let k = 0; k < 3 && onBed; k++) {
      const v = 3 * I[3 * t + k];
      if (P[v] * dx + P[v + 1] * dy + P[v + 2] * dz < floor) onBed = false;
    }
    if (!onBed) continue;
    total += areas[t];
    if (meanNormal)
      for (let k = 0; k < 3; k++) meanNormal[k] += areas[t] * normals[3 * t + k];
  }
  return total;
}

/**
 * Picks the flattest stable base: among the candidate directions, the one whose extreme-lying,
 * facing triangles cover the most area. Keeps the scan's own −z when it is nearly as good, so a model
 * that already stands on a flat side is not turned for nothing.
 */
export function findBase(mesh: Mesh): BaseChoice {
  const current: BaseChoice = { down: [0, 0, -1], contactAreaMm2: 0 };
  if (mesh.indices.length === 0) return current;
  const { normals, areas } = triangleNormals(mesh);
  const P = mesh.positions;
  let lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < P.length; i += 3)
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], P[i + a]);
      hi[a] = Math.max(hi[a], P[i + a]);
    }
  const diagonal = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  // A face tilted by FLAT_DEGREES rises sin(10°)·width over its width; allow a small, size-relative band.
  const tolerance = Math.max(0.05, 0.005 * diagonal);
  let best = current;
  const candidates = candidateDirections(mesh, normals, areas);
  for (let c = 0; c < candidates.length; c++) {
    const area = contactArea(mesh, normals, areas, candidates[c], tolerance);
    if (c === 0) current.contactAreaMm2 = area;
    if (area > best.contactAreaMm2) best = { down: candidates[c], contactAreaMm2: area };
  }
  if (best.contactAreaMm2 * KEEP_CURRENT <= current.contactAreaMm2) return current;
  // Candidates from bins or principal axes are only near the face's normal: settle on the contact
  // triangles' own area-weighted mean normal (exact for a planar face) while that does not lose area.
  for (let i = 0; i < 4; i++) {
    const mean = [0, 0, 0];
    contactArea(mesh, normals, areas, best.down, tolerance, mean);
    if (!(Math.hypot(mean[0], mean[1], mean[2]) > 0)) break;
    const down = normalize(mean as Vec3);
    const area = contactArea(mesh, normals, areas, down, tolerance);
    if (area < best.contactAreaMm2) break;
    const moved = Math.hypot(down[0] - best.down[0], down[1] - best.down[1], down[2] - best.down[2]);
    best = { down, contactAreaMm2: area };
    if (moved < 1e-9) break;
  }
  return best;
}

/** The matrix placeOnBed applies: rotate (`down`, or the flattest side's, or none), scale, then centre x,y and drop to z = 0. */
export function bedMatrix(mesh: Mesh, opts: BedOptions): Mat4 {
  const s = scaleFactor(opts.scalePercent);
  const down = opts.down ?? (opts.flatSideDown ? findBase(mesh).down : null);
  const rotate = down ? rotationBetween(down, [0, 0, -1]) : IDENTITY4.slice();
  const scaled = multiply4([s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1], rotate);
  const P = mesh.positions;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < P.length; i += 3) {
    const x = P[i], y = P[i + 1], z = P[i + 2];
    for (let r = 0; r < 3; r++) {
      const v = scaled[4 * r] * x + scaled[4 * r + 1] * y + scaled[4 * r + 2] * z;
      lo[r] = Math.min(lo[r], v);
      hi[r] = Math.max(hi[r], v);
    }
  }
  if (!(lo[0] <= hi[0])) return scaled; // empty mesh
  const shift = [-(lo[0] + hi[0]) / 2, -(lo[1] + hi[1]) / 2, -lo[2]];
  const out = scaled.slice();
  for (let r = 0; r < 3; r++) out[4 * r + 3] = shift[r];
  return out;
}

/** The mesh as a Placement writes it (the export and the preview both use this). A new Mesh. */
export function placeMesh(mesh: Mesh, placement: Placement): Mesh {
  if (placement.where === 'bed') return placeOnBed(mesh, { scalePercent: placement.scalePercent, flatSideDown: true, down: placement.down });
  return placement.scalePercent === 100 ? mesh : scaleMesh(mesh, placement.scalePercent);
}

/**
 * "On the bed": optionally turns the model so its flattest side faces down (a proper rotation, never
 * a mirror, so the winding stays outward), scales it uniformly by scalePercent / 100, centres its
 * bounding box on x = y = 0 and puts its lowest point at z = 0. Returns a new Mesh.
 */
export function placeOnBed(mesh: Mesh, opts: BedOptions): Mesh {
  const placed = transformMesh(mesh, bedMatrix(mesh, opts));
  // Float rounding can leave the lowest vertex a hair off 0: snap exactly.
  const P = placed.positions;
  let minZ = Infinity;
  for (let i = 2; i < P.length; i += 3) minZ = Math.min(minZ, P[i]);
  if (Number.isFinite(minZ) && minZ !== 0) for (let i = 2; i < P.length; i += 3) P[i] = Math.max(0, P[i] - minZ);
  return placed;
}
