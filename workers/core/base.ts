// A first layer that holds: does the model, placed with `down` pointing at the bed, touch the bed with
// a real area, and if not, two fixes: a flat base slab under it, or a flat cut off its bottom.
//
// API (down: unit vector in the mesh's own coordinates that will point at the bed):
//   firstLayer(mesh, down, opts) → { contactAreaMm2, holds, lowestMm }
//     contact: the triangles facing down (normal within 90° of `down`) clipped to the band within
//     opts.bandMm (default 0.2, a first layer) of the lowest point, projected on the bed: the footprint
//     the first layer can print. holds ⇔ contact ≥ opts.minAreaMm2 (default 20 mm²: a few lines of a
//     0.4 mm nozzle each way; a tip touching in a point gives ~0).
//   addBase(wasm, mesh, down, opts) → Mesh: a slab opts.thicknessMm thick under the model, its outline
//     the model's outline seen from below (convex hull, or opts.footprint = 'rectangle': the minimal
//     rectangle around it), grown by opts.marginMm, its top opts.embedMm above the lowest point so the
//     model stands in it; joined to the model (manifold-3d union), closed.
//   flatCut(wasm, mesh, down, opts) → { mesh, depthMm, contactAreaMm2 }: removes the lowest
//     opts.depthMm (or, with opts.minAreaMm2, the least depth whose cross-section reaches that area,
//     by bisection on manifold-3d slices) with one plane cut, capped closed.
// Results stay in the mesh's coordinates; placement (placement.ts) puts them on the bed after.
import { fromManifold, toManifold, type ManifoldToplevel } from './manifoldKernel';
import { convexHull, minAreaRectangle, type Point2 } from './hull2d';
import { rotationBetween, transformMesh, type Mat4 } from './placement';
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

export interface BaseOptions {
  thicknessMm: number;
  /** outline: the convex hull seen from below (default) or its minimal rectangle */
  footprint?: 'hull' | 'rectangle';
  /** outline grown by this much, mm (default 0) */
  marginMm?: number;
  /** the model sinks this far into the slab, mm (default 1, or thicknessMm if less) */
  embedMm?: number;
}

export interface FlatCutOptions {
  /** depth to remove, mm */
  depthMm?: number;
  /** instead: the least depth whose cut face has this area, mm² */
  minAreaMm2?: number;
}

export interface FlatCut {
  mesh: Mesh;
  depthMm: number;
  /** area of the flat face now at the bottom, mm² */
  contactAreaMm2: number;
}

const DEFAULT_BAND = 0.2;
const DEFAULT_MIN_AREA = 20;

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

export function addBase(wasm: ManifoldToplevel, mesh: Mesh, downDir: Vec3, opts: BaseOptions): Mesh {
  if (!(opts.thicknessMm > 0)) throw new RangeError(`base: the slab thickness must be > 0 mm, got ${opts.thicknessMm}`);
  const down = unit(downDir);
  // turn the model so that `down` is −z: the bed is then a plane z = const
  const toBed = rotationBetween(down, [0, 0, -1]);
  const turned = transformMesh(mesh, toBed);
  const P = turned.positions;
  const xy = new Float64Array((2 * P.length) / 3);
  let zMin = Infinity;
  for (let i = 0, j = 0; i < P.length; i += 3, j += 2) {
    xy[j] = P[i];
    xy[j + 1] = P[i + 1];
    zMin = Math.min(zMin, P[i + 2]);
  }
  let outline: Point2[] = convexHull(xy);
  if (opts.footprint === 'rectangle') outline = minAreaRectangle(outline).corners;
  const embed = Math.min(opts.embedMm ?? 1, opts.thicknessMm);
  const model = toManifold(wasm, turned, 'the model');
  let section = new wasm.CrossSection([outline], 'Positive');
  if ((opts.marginMm ?? 0) > 0) {
    const grown = section.offset(opts.marginMm!, 'Round');
    section.delete();
    section = grown;
  }
  const slab = section.extrude(opts.thicknessMm + embed).translate([0, 0, zMin - opts.thicknessMm]);
  section.delete();
  const joined = model.add(slab);
  model.delete();
  slab.delete();
  const out = fromManifold(joined);
  joined.delete();
  return transformMesh(out, transpose(toBed));
}

export function flatCut(wasm: ManifoldToplevel, mesh: Mesh, downDir: Vec3, opts: FlatCutOptions): FlatCut {
  const down = unit(downDir);
  const toBed = rotationBetween(down, [0, 0, -1]);
  const model = toManifold(wasm, transformMesh(mesh, toBed), 'the model');
  try {
    const box = model.boundingBox();
    const zMin = box.min[2], height = box.max[2] - box.min[2];
    const areaAt = (depth: number): number => {
      const s = model.slice(zMin + depth);
      const a = s.area();
      s.delete();
      return a;
    };
    let depth: number;
    if (opts.depthMm !== undefined) {
      if (!(opts.depthMm > 0 && opts.depthMm < height)) throw new RangeError(`flat cut: the depth must be between 0 and the model's height (${height.toFixed(1)} mm), got ${opts.depthMm}`);
      depth = opts.depthMm;
    } else {
      const want = opts.minAreaMm2 ?? DEFAULT_MIN_AREA;
      // the cross-section grows (mostly) with depth near the bottom: bisect on [0, half the height]
      let lo = 0, hi = height / 2;
      if (areaAt(hi) < want) throw new RangeError(`flat cut: no cut in the lower half of the model has a face of ${want} mm²`);
      for (let i = 0; i < 30 && hi - lo > 1e-3; i++) {
        const mid = (lo + hi) / 2;
        if (areaAt(mid) >= want) hi = mid;
        else lo = mid;
      }
      depth = hi;
    }
    const kept = model.trimByPlane([0, 0, 1], zMin + depth);
    const contactAreaMm2 = areaAt(depth);
    const out = fromManifold(kept);
    kept.delete();
    return { mesh: transformMesh(out, transpose(toBed)), depthMm: depth, contactAreaMm2 };
  } finally {
    model.delete();
  }
}

const transpose = (m: Mat4): Mat4 => [m[0], m[4], m[8], 0, m[1], m[5], m[9], 0, m[2], m[6], m[10], 0, 0, 0, 0, 1];

function unit(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new RangeError('first layer: the down direction must not be zero');
  return [v[0] / l, v[1] / l, v[2] / l];
}

