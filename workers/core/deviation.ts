// How far apart two surfaces are: the distance from every vertex of one mesh to the nearest triangle
// of the other, found through a uniform grid of that mesh's triangles. Measured both ways this is the
// vertex-sampled Hausdorff distance, which is what the app reports as "deviation" after decimation.
import { emptyBox, growBox } from './bounds';
import { plainMemory, typed, type Alloc } from './memory';
import { prefixSums } from './prefixSums';
import type { Mesh } from './types';

export interface DeviationStats {
  maxMm: number;
  meanMm: number;
}

/** Squared distance from p to triangle abc (Ericson, Real-Time Collision Detection, 5.1.5). */
function pointTriangleDist2(
  px: number, py: number, pz: number,
  ax: number, ay: number, az: number,
  bx: number, by: number, bz: number,
  cx: number, cy: number, cz: number,
): number {
  const abx = bx - ax, aby = by - ay, abz = bz - az;
  const acx = cx - ax, acy = cy - ay, acz = cz - az;
  const apx = px - ax, apy = py - ay, apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz, d2 = acx * apx + acy * apy + acz * apz;
  let qx = ax, qy = ay, qz = az;
  if (d1 > 0 || d2 > 0) {
    // not in a's Voronoi region
    const bpx = px - bx, bpy = py - by, bpz = pz - bz;
    const d3 = abx * bpx + aby * bpy + abz * bpz, d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - cx, cpy = py - cy, cpz = pz - cz;
    const d5 = abx * cpx + aby * cpy + abz * cpz, d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2, vb = d5 * d2 - d1 * d6, va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      qx = bx;
      qy = by;
      qz = bz;
    }
    else if (d6 >= 0 && d5 <= d6) {
      qx = cx;
      qy = cy;
      qz = cz;
    }
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      const v = d1 / (d1 - d3);
      qx = ax + v * abx;
      qy = ay + v * aby;
      qz = az + v * abz;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      const w = d2 / (d2 - d6);
      qx = ax + w * acx;
      qy = ay + w * acy;
      qz = az + w * acz;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      qx = bx + w * (cx - bx);
      qy = by + w * (cy - by);
      qz = bz + w * (cz - bz);
    } else {
      const denom = 1 / (va + vb + vc);
      const v = vb * denom, w = vc * denom;
      qx = ax + abx * v + acx * w;
      qy = ay + aby * v + acy * w;
      qz = az + abz * v + acz * w;
    }
  }
  const dx = px - qx, dy = py - qy, dz = pz - qz;
  return dx * dx + dy * dy + dz * dz;
}

/**
 * A uniform grid over a surface's triangles (and the points to be measured against it): each triangle
 * is filed in every cell its bounding box touches. Typed arrays only, so threads can share one.
 */
export interface TriangleGrid {
  /** min corner (3), cell size, cells per axis (3) */
  frame: Float64Array;
  /** triangles of cell i: list[start[i] .. start[i + 1]) */
  start: Int32Array;
  list: Int32Array;
}

/**
 * Bytes a TriangleGrid of `triangles` usually takes: its cells, and each triangle in up to four of
 * them on average (cells twice as wide as the mean edge hold most triangles in one to four).
 */
export const gridBytes = (triangles: number): number => 4 * (2 * triangles + 66) + 4 * 4 * triangles + 64;

/** Builds the grid of `surface`'s triangles over the bounding box of the surface and of `points`. */
export function buildTriangleGrid(surface: Mesh, points: Float32Array, alloc: Alloc = plainMemory): TriangleGrid {
  const P = surface.positions, I = surface.indices;
  const nt = I.length / 3;
  const box = emptyBox();
  growBox(P, 0, P.length / 3, box);
  growBox(points, 0, points.length / 3, box);
  const [x0, y0, z0, x1, y1, z1] = box;
  // Cell size: twice the mean edge length, so a triangle is filed in one to eight cells and a cell
  // holds a handful of triangles.
  const edgeSum = firstEdgesLength(P, I);
  const ex = x1 - x0, ey = y1 - y0, ez = z1 - z0;
  let cell = Math.max(nt ? (2 * edgeSum) / nt : 1, 1e-6);
  while ((ex / cell + 1) * (ey / cell + 1) * (ez / cell + 1) > 2 * nt + 64) cell *= 1.25;
  const gx = Math.floor(ex / cell) + 1, gy = Math.floor(ey / cell) + 1, gz = Math.floor(ez / cell) + 1;
  const frame = typed(Float64Array, alloc, 7);
  frame.set([x0, y0, z0, cell, gx, gy, gz]);
  // Count, offsets, fill: each triangle into every cell its bounding box touches.
  const ncell = gx * gy * gz;
  const start = typed(Int32Array, alloc, ncell + 1);
  countTriangleCells(P, I, frame, start);
  prefixSums(start);
  const list = typed(Int32Array, alloc, start[ncell]);
  fillTriangleCells(P, I, frame, start.slice(0, ncell), list);
  return { frame, start, list };
}

// buildTriangleGrid's loops, each a function of its own: V8 compiles a hot loop of a longer function
// by compiling that whole function again (on-stack replacement), once per loop, in every fresh worker.

/** The summed length of each triangle's first edge (a → b). */
function firstEdgesLength(P: Float32Array, I: Uint32Array): number {
  let sum = 0;
  for (let t = 0; t < I.length / 3; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1];
    sum += Math.hypot(P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]);
  }
  return sum;
}

/**
 * The cells triangle t's bounding box touches, as box = [x0, x1, y0, y1, z0, z1] (inclusive), in the
 * grid of `frame` (x0, y0, z0, cell, gx, gy, gz). The two passes of buildTriangleGrid find a
 * triangle's box each, rather than keeping 6 numbers per triangle.
 */
function triangleCells(P: Float32Array, I: Uint32Array, t: number, frame: Float64Array, box: Int32Array): void {
  const inv = 1 / frame[3];
  const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
  for (let k = 0; k < 3; k++) {
    const lo = frame[k], n = frame[4 + k];
    box[2 * k] = Math.min(n - 1, Math.max(0, Math.floor((Math.min(P[a + k], P[b + k], P[c + k]) - lo) * inv)));
    box[2 * k + 1] = Math.min(n - 1, Math.max(0, Math.floor((Math.max(P[a + k], P[b + k], P[c + k]) - lo) * inv)));
  }
}

/** start[cell + 1] += the triangles filed in each cell. */
function countTriangleCells(P: Float32Array, I: Uint32Array, frame: Float64Array, start: Int32Array): void {
  const gx = frame[4], gy = frame[5];
  const box = new Int32Array(6);
  for (let t = 0; t < I.length / 3; t++) {
    triangleCells(P, I, t, frame, box);
    for (let z = box[4]; z <= box[5]; z++) for (let y = box[2]; y <= box[3]; y++) for (let x = box[0]; x <= box[1]; x++) start[x + gx * (y + gy * z) + 1]++;
  }
}

/** Each triangle into the lists of its cells, at fill[cell] (moved on). */
function fillTriangleCells(P: Float32Array, I: Uint32Array, frame: Float64Array, fill: Int32Array, list: Int32Array): void {
  const gx = frame[4], gy = frame[5];
  const box = new Int32Array(6);
  for (let t = 0; t < I.length / 3; t++) {
    triangleCells(P, I, t, frame, box);
    for (let z = box[4]; z <= box[5]; z++) for (let y = box[2]; y <= box[3]; y++) for (let x = box[0]; x <= box[1]; x++) list[fill[x + gx * (y + gy * z)]++] = t;
  }
}

/** Running figures of distances measured: largest, sum, how many. */
export interface DistanceSum {
  maxMm: number;
  sumMm: number;
  count: number;
}

/**
 * Distances from points `from`, `from + stride`, … below `to` of `points` to `surface` (whose grid is
 * `grid`, built over those points too); `seen` is scratch of one number per triangle of `surface`.
 */
export function distancesToSurface(
  points: Float32Array,
  surface: Mesh,
  grid: TriangleGrid,
  stride: number,
  from: number,
  to: number,
  seen: Int32Array = new Int32Array(surface.indices.length / 3),
): DistanceSum {
  seen.fill(-1); // (the last point that looked at each triangle)
  const search: Search = { P: surface.positions, I: surface.indices, start: grid.start, list: grid.list, frame: grid.frame, seen };
  let maxD = 0, sum = 0, count = 0;
  for (let p = from; p < to; p += stride) {
    const d = Math.sqrt(nearest2(search, points[3 * p], points[3 * p + 1], points[3 * p + 2], p));
    if (d > maxD) maxD = d;
    sum += d;
    count++;
  }
  return { maxMm: maxD, sumMm: sum, count };
}

/** What nearest2 searches: a surface, its grid, and the last point that looked at each triangle. */
interface Search {
  P: Float32Array;
  I: Uint32Array;
  start: Int32Array;
  list: Int32Array;
  frame: Float64Array;
  seen: Int32Array;
}

/**
 * The squared distance from (px, py, pz), point number p, to the nearest triangle of the search's
 * surface. A function of its own, called per point: as the body of the loop over points it was
 * compiled twice a thread (for that loop while it ran, then whole).
 */
function nearest2(g: Search, px: number, py: number, pz: number, p: number): number {
  const { P, I, start, list, seen, frame } = g;
  const x0 = frame[0], y0 = frame[1], z0 = frame[2], cell = frame[3], gx = frame[4], gy = frame[5], gz = frame[6];
  const inv = 1 / cell;
  const cx = Math.min(gx - 1, Math.max(0, Math.floor((px - x0) * inv)));
  const cy = Math.min(gy - 1, Math.max(0, Math.floor((py - y0) * inv)));
  const cz = Math.min(gz - 1, Math.max(0, Math.floor((pz - z0) * inv)));
  let best = Infinity;
  // Grow a shell of cells until the nearest triangle found is closer than anything unvisited.
  for (let r = 0; ; r++) {
    for (let z = cz - r; z <= cz + r; z++) {
      if (z < 0 || z >= gz) continue;
      for (let y = cy - r; y <= cy + r; y++) {
        if (y < 0 || y >= gy) continue;
        const onShellYZ = z === cz - r || z === cz + r || y === cy - r || y === cy + r;
        for (let x = cx - r; x <= cx + r; x += onShellYZ ? 1 : 2 * r || 1) {
          if (x < 0 || x >= gx) continue;
          const id = x + gx * (y + gy * z);
          for (let q = start[id]; q < start[id + 1]; q++) {
            const t = list[q];
            if (seen[t] === p) continue;
            seen[t] = p;
            const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
            const d = pointTriangleDist2(px, py, pz, P[a], P[a + 1], P[a + 2], P[b], P[b + 1], P[b + 2], P[c], P[c + 1], P[c + 2]);
            if (d < best) best = d;
          }
        }
      }
    }
    // every point within `reach` of p lies in the visited cells
    const reach = r * cell + Math.min(
      px - (x0 + cx * cell), x0 + (cx + 1) * cell - px,
      py - (y0 + cy * cell), y0 + (cy + 1) * cell - py,
      pz - (z0 + cz * cell), z0 + (cz + 1) * cell - pz,
    );
    if (best <= reach * reach || r > gx + gy + gz) return best;
  }
}

/** Distances from the vertices of `points` (every `stride`-th one) to the surface of `surface`. */
export function distanceToSurface(points: Float32Array, surface: Mesh, stride = 1): DeviationStats {
  const np = points.length / 3;
  if (surface.indices.length === 0 || np === 0) return { maxMm: np ? Infinity : 0, meanMm: np ? Infinity : 0 };
  const d = distancesToSurface(points, surface, buildTriangleGrid(surface, points), stride, 0, np);
  return { maxMm: d.maxMm, meanMm: d.sumMm / d.count };
}

/** How many vertices of each mesh meshDeviation measures: every stride-th, at most maxSamples. */
export const sampleStride = (vertices: number, maxSamples: number): number => Math.max(1, Math.ceil(vertices / maxSamples));

/**
 * Symmetric, vertex-sampled deviation between two meshes of the same surface. `maxSamples` bounds
 * the vertices measured on each side (spread evenly) so the app can afford it on big meshes.
 */
export function meshDeviation(a: Mesh, b: Mesh, maxSamples = Infinity): DeviationStats {
  const na = a.positions.length / 3, nb = b.positions.length / 3;
  const sa = sampleStride(na, maxSamples), sb = sampleStride(nb, maxSamples);
  const ab = distanceToSurface(a.positions, b, sa);
  const ba = distanceToSurface(b.positions, a, sb);
  const ca = Math.ceil(na / sa), cb = Math.ceil(nb / sb);
  return { maxMm: Math.max(ab.maxMm, ba.maxMm), meanMm: (ab.meanMm * ca + ba.meanMm * cb) / (ca + cb) };
}
