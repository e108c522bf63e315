// A first layer that holds, when the model as placed does not have one (firstLayer.ts measures that):
// two fixes with manifold-3d, a flat base slab under it, or a flat cut off its bottom.
//
// API (down: unit vector in the mesh's own coordinates that will point at the bed):
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
import { DEFAULT_MIN_AREA, unit } from './firstLayer';
import type { Mesh, Vec3 } from './types';


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

