// How far apart two surfaces are: the distance from every vertex of one mesh to the nearest triangle
// of the other, found through a uniform grid of that mesh's triangles. Measured both ways this is the
// vertex-sampled Hausdorff distance, which is what the app reports as "deviation" after decimation.
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

/** Distances from the vertices of `points` (every `stride`-th one) to the surface of `surface`. */
export function distanceToSurface(points: Float32Array, surface: Mesh, stride = 1): DeviationStats {
  const P = surface.positions, I = surface.indices;
  const nt = I.length / 3;
  const np = points.length / 3;
  if (nt === 0 || np === 0) return { maxMm: np ? Infinity : 0, meanMm: np ? Infinity : 0 };
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (const arr of [P, points])
    for (let i = 0; i < arr.length; i += 3)
      for (let c = 0; c < 3; c++) {
        if (arr[i + c] < min[c]) min[c] = arr[i + c];
        if (arr[i + c] > max[c]) max[c] = arr[i + c];
      }
  // Cell size: the mean edge length, so a cell holds a handful of triangles.
  let edgeSum = 0;
  for (let t = 0; t < nt; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1];
    edgeSum += Math.hypot(P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]);
  }
  const ext = [0, 1, 2].map((c) => max[c] - min[c]);
  let cell = Math.max(edgeSum / nt, 1e-6);
  while ((ext[0] / cell + 1) * (ext[1] / cell + 1) * (ext[2] / cell + 1) > 8 * nt + 64) cell *= 1.25;
  const gx = Math.floor(ext[0] / cell) + 1, gy = Math.floor(ext[1] / cell) + 1, gz = Math.floor(ext[2] / cell) + 1;
  const cellOf = (v: number, c: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor((v - min[c]) / cell)));

  // Bin each triangle into every cell its bounding box touches (count, offsets, fill).
  const ncell = gx * gy * gz;
  const start = new Int32Array(ncell + 1);
  const box = new Int32Array(6 * nt);
  for (let pass = 0; pass < 2; pass++) {
    const fill = pass ? start.slice(0, ncell) : null;
    const list = pass ? new Int32Array(start[ncell]) : null;
    for (let t = 0; t < nt; t++) {
      if (!pass) {
        const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
        for (let k = 0; k < 3; k++)
          for (let c = 0; c < 3; c++) {
            const x = P[3 * I[3 * t + k] + c];
            if (x < lo[c]) lo[c] = x;
            if (x > hi[c]) hi[c] = x;
          }
        box.set([cellOf(lo[0], 0, gx), cellOf(lo[1], 1, gy), cellOf(lo[2], 2, gz), cellOf(hi[0], 0, gx), cellOf(hi[1], 1, gy), cellOf(hi[2], 2, gz)], 6 * t);
      }
      for (let z = box[6 * t + 2]; z <= box[6 * t + 5]; z++)
        for (let y = box[6 * t + 1]; y <= box[6 * t + 4]; y++)
          for (let x = box[6 * t]; x <= box[6 * t + 3]; x++) {
            const id = x + gx * (y + gy * z);
            if (pass) list![fill![id]++] = t;
            else start[id + 1]++;
          }
    }
    if (!pass) for (let i = 0; i < ncell; i++) start[i + 1] += start[i];
    else return query(list!);
  }
  throw new Error('unreachable');

  function query(list: Int32Array): DeviationStats {
    const seen = new Int32Array(nt).fill(-1);
    let maxD = 0, sum = 0, count = 0;
    for (let p = 0; p < np; p += stride) {
      const px = points[3 * p], py = points[3 * p + 1], pz = points[3 * p + 2];
      const cx = cellOf(px, 0, gx), cy = cellOf(py, 1, gy), cz = cellOf(pz, 2, gz);
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
          px - (min[0] + cx * cell), min[0] + (cx + 1) * cell - px,
          py - (min[1] + cy * cell), min[1] + (cy + 1) * cell - py,
          pz - (min[2] + cz * cell), min[2] + (cz + 1) * cell - pz,
        );
        if (best <= reach * reach || r > gx + gy + gz) break;
      }
      const d = Math.sqrt(best);
      if (d > maxD) maxD = d;
      sum += d;
      count++;
    }
    return { maxMm: maxD, meanMm: sum / count };
  }
}

/**
 * Symmetric, vertex-sampled deviation between two meshes of the same surface. `maxSamples` bounds
 * the vertices measured on each side (spread evenly) so the app can afford it on big meshes.
 */
export function meshDeviation(a: Mesh, b: Mesh, maxSamples = Infinity): DeviationStats {
  const na = a.positions.length / 3, nb = b.positions.length / 3;
  const sa = Math.max(1, Math.ceil(na / maxSamples)), sb = Math.max(1, Math.ceil(nb / maxSamples));
  const ab = distanceToSurface(a.positions, b, sa);
  const ba = distanceToSurface(b.positions, a, sb);
  const ca = Math.ceil(na / sa), cb = Math.ceil(nb / sb);
  return { maxMm: Math.max(ab.maxMm, ba.maxMm), meanMm: (ab.meanMm * ca + ba.meanMm * cb) / (ca + cb) };
}
