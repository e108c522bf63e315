// A first layer that holds: does the model, placed with `down` pointing at the bed, touch the bed with
// a real area? (The fixes, a flat base or a flat cut, are in base.ts: they need manifold-3d, which only
// its own worker loads; this measure runs anywhere.)
//
// API (down: unit vector in the mesh's own coordinates that will point at the bed):
//   firstLayer(mesh, down, opts) → { contactAreaMm2, holds, lowestMm }
//     contact: the triangles facing down (normal within 90° of `down`) clipped to the band within
//     opts.bandMm (default 0.2, a first layer) of the lowest point, projected on the bed: the footprint
//     the first layer can print. holds ⇔ contact ≥ opts.minAreaMm2 (default 20 mm²: a few lines of a
//     0.4 mm nozzle each way; a tip touching in a point gives ~0).
import type { Mesh, Vec3 } from './types';

export interface FirstLayerOptions {
  /** height of the band above the lowest point that counts as touching, mm (default 0.2) */
  bandMm?: number;
  /** contact area needed to hold, mm² (default 20) */
  minAreaMm2?: number;
}

export interface FirstLayer {
  contactAreaMm2: number;
  holds: boolean;
  /** the lowest point's height along `down`, mm (max of p·down) */
  lowestMm: number;
}
export const DEFAULT_BAND = 0.2;
export const DEFAULT_MIN_AREA = 20;

export function firstLayer(mesh: Mesh, downDir: Vec3, opts: FirstLayerOptions = {}): FirstLayer {
  const down = unit(downDir);
  const band = opts.bandMm ?? DEFAULT_BAND;
  const P = mesh.positions, I = mesh.indices;
  const h = new Float64Array(P.length / 3); // height below: larger is lower
  let lowest = -Infinity;
  for (let v = 0; v < h.length; v++) {
    h[v] = P[3 * v] * down[0] + P[3 * v + 1] * down[1] + P[3 * v + 2] * down[2];
    if (h[v] > lowest) lowest = h[v];
  }
  const floor = lowest - band;
  let area = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = I[t], b = I[t + 1], c = I[t + 2];
    if (h[a] < floor && h[b] < floor && h[c] < floor) continue;
    // normal·down × area, i.e. the projected area, of the part of the triangle in the band
    const u = [P[3 * b] - P[3 * a], P[3 * b + 1] - P[3 * a + 1], P[3 * b + 2] - P[3 * a + 2]];
    const w = [P[3 * c] - P[3 * a], P[3 * c + 1] - P[3 * a + 1], P[3 * c + 2] - P[3 * a + 2]];
    const facing = ((u[1] * w[2] - u[2] * w[1]) * down[0] + (u[2] * w[0] - u[0] * w[2]) * down[1] + (u[0] * w[1] - u[1] * w[0]) * down[2]) / 2;
    if (facing <= 0) continue;
    area += facing * fractionAbove([h[a], h[b], h[c]], floor);
  }
  const minArea = opts.minAreaMm2 ?? DEFAULT_MIN_AREA;
  return { contactAreaMm2: area, holds: area >= minArea, lowestMm: lowest };
}

/**
 * Fraction of a triangle's area where the linear height field (values at its corners) is ≥ floor:
 * 1 or 0 when all corners agree, else the area of the clipped corner triangle or its complement.
 */
function fractionAbove(hs: number[], floor: number): number {
  const above = hs.map((x) => x >= floor);
  const n = above.filter(Boolean).length;
  if (n === 3) return 1;
  if (n === 0) return 0;
  // the lone corner (above when n = 1, below when n = 2) and the fraction of each edge from it
  const lone = above.findIndex((x) => x === (n === 1));
  const o = [(lone + 1) % 3, (lone + 2) % 3];
  const f = o.map((k) => (hs[lone] - floor) / (hs[lone] - hs[k]));
  const corner = f[0] * f[1];
  return n === 1 ? corner : 1 - corner;
}


/** `v` made unit length (the down direction). */
export function unit(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new RangeError('first layer: the down direction must not be zero');
  return [v[0] / l, v[1] / l, v[2] / l];
}
