// Cut to fit the bed: planar cuts of a closed mesh into parts that each fit a printer's bed, every part
// capped closed and manifold (manifold-3d's plane splits), with optional alignment pins and holes.
//
// API (wasm = await loadManifold(), see manifoldKernel.ts):
//   fitOnBed(wasm, mesh, bed) → Fit | null: an orientation in which the mesh's bounding box fits the bed
//     (width × depth × height, mm), or null. Orientations tried: the mesh's own axes, and for every
//     candidate "up" (the coordinate axes and the normals of the 24 largest faces of its convex hull) the
//     minimal-area rectangle of the hull projected along it (rotating calipers) — the minimal bounding
//     box when one of its faces lies on a hull face, as it nearly always does. The box fits when its
//     sides, sorted, are no longer than the bed's sorted; `rotation` turns the mesh that way (proper, no
//     mirror: winding stays outward).
//   cutToFit(wasm, mesh, opts) → CutResult: fewest parts found, in this order: one part (no cut); k
//     even slabs along the longest side of the model's minimal box (k = 2 … maxParts); then grids of
//     k1 × k2 and k1 × k2 × k3 slabs over its sides, fewest parts first. Each part is checked with
//     fitOnBed. Pins (opts.pins): alignment pins and holes on every cut face of the first plan that fits
//     (pins.ts), checked again (a pin sticks out of its part: a plan whose pinned parts no longer fit
//     gives way to the next).
//   cutByPlanes(wasm, mesh, planes, opts) → CutResult: the same with planes of your own (the user's cut
//     plane): one part per side of every plane (a side's separate pieces stay one part), pins as above.
// Every part is a Mesh in the input's coordinates; the caller checks it (tests run checkMesh on each).
import { fromManifold, toManifold, type Manifold, type ManifoldToplevel } from './manifoldKernel';
import { convexHull, minAreaRectangle } from './hull2d';
import { addPins, type PinOptions, type Plane } from './pins';
import { type Mat4 } from './placement';
import type { Mesh, Vec3 } from './types';

export type { PinOptions, Plane };

export interface Bed {
  widthMm: number;
  depthMm: number;
  heightMm: number;
}

export interface Fit {
  /** proper rotation (row-major 4×4) after which the part's box is axis-aligned and fits the bed */
  rotation: Mat4;
  /** the box's sides after the rotation (x, y, z), mm */
  sizeMm: Vec3;
}

export interface CutOptions {
  bed: Bed;
  /** give up beyond this many parts (default 24) */
  maxParts?: number;
  /** alignment pins and holes on every cut face; false or absent: none */
  pins?: PinOptions | false;
}

export interface CutPart {
  mesh: Mesh;
  fit: Fit | null;
  volumeMm3: number;
}

export interface CutResult {
  parts: CutPart[];
  planes: Plane[];
  /** every part fits the bed (false: maxParts was not enough; the parts of the last plan tried) */
  fitsBed: boolean;
  /** pins placed */
  pins: number;
  /** cut faces too small for a pin (pins.ts) */
  facesWithoutPins: number;
}

const HULL_FACES = 24;
const EPS = 1e-6;

/** An orientation of `mesh` that fits the bed, or null (see the header). */
export function fitOnBed(wasm: ManifoldToplevel, mesh: Mesh, bed: Bed): Fit | null {
  const solid = toManifold(wasm, mesh, 'the part');
  try {
    return bestBox(solid, bed).fit;
  } finally {
    solid.delete();
  }
}

export function cutToFit(wasm: ManifoldToplevel, mesh: Mesh, opts: CutOptions): CutResult {
  const { bed } = opts;
  for (const [k, v] of Object.entries(bed)) if (!(v > 0)) throw new RangeError(`cut to fit: the bed's ${k} must be > 0 mm, got ${v}`);
  const maxParts = opts.maxParts ?? 24;
  const solid = toManifold(wasm, mesh, 'the model');
  try {
    const whole = bestBox(solid, bed);
    if (whole.fit) return { parts: [{ mesh, fit: whole.fit, volumeMm3: solid.volume() }], planes: [], fitsBed: true, pins: 0, facesWithoutPins: 0 };
    // the model's minimal box: its axes, sides longest first, and extent along each
    const axes = whole.axes.map((a, i) => ({ a, size: whole.size[i] })).sort((x, y) => y.size - x.size);
    const extents = axes.map(({ a }) => extent(mesh, a));
    let last: CutResult | null = null;
    for (const counts of plans(maxParts)) {
      const planes: Plane[] = [];
      counts.forEach((k, i) => {
        const [lo, hi] = extents[i];
        for (let j = 1; j < k; j++) planes.push({ normal: axes[i].a, offset: lo + ((hi - lo) * j) / k });
      });
      const parts = split(solid, planes);
      // pins only once a plan fits without them (they make a part longer): then fitted again
      const fits = parts.map((p) => bestBox(p, bed).fit);
      const pinned = opts.pins && fits.every(Boolean);
      const result = finish(wasm, parts, planes, bed, pinned ? opts.pins || undefined : undefined, pinned ? undefined : fits);
      if (result.fitsBed) return result;
      last = result;
    }
    return last ?? { parts: [{ mesh, fit: null, volumeMm3: solid.volume() }], planes: [], fitsBed: false, pins: 0, facesWithoutPins: 0 };
  } finally {
    solid.delete();
  }
}

/** Cuts along planes of your own; each part capped and closed, fitted to `bed` when given. */
export function cutByPlanes(wasm: ManifoldToplevel, mesh: Mesh, planes: Plane[], opts: { bed?: Bed; pins?: PinOptions | false } = {}): CutResult {
  const solid = toManifold(wasm, mesh, 'the model');
  try {
    const unitPlanes = planes.map((p) => ({ normal: unit(p.normal), offset: p.offset }));
    return finish(wasm, split(solid, unitPlanes), unitPlanes, opts.bed, opts.pins || undefined);
  } finally {
    solid.delete();
  }
}

/** Pins on the parts (when asked), then each one's fit (`fits`: already known, no pins) and mesh; frees the parts. */
function finish(wasm: ManifoldToplevel, split: Manifold[], planes: Plane[], bed: Bed | undefined, pins: PinOptions | undefined, fits?: (Fit | null)[]): CutResult {
  const pinned = pins ? addPins(wasm, split, planes, pins) : { parts: split, pins: 0, facesWithoutPins: 0 };
  const result: CutResult = { parts: [], planes, fitsBed: true, pins: pinned.pins, facesWithoutPins: pinned.facesWithoutPins };
  for (const [i, p] of pinned.parts.entries()) {
    const fit = fits && !pins ? fits[i] : bed ? bestBox(p, bed).fit : null;
    result.parts.push({ mesh: fromManifold(p), fit, volumeMm3: p.volume() });
    if (!fit) result.fitsBed = false;
    p.delete();
  }
  return result;
}

/** Slab counts per side (longest first) by total parts: [k,1,1] for k ≥ 2, then grids. */
function* plans(maxParts: number): Generator<[number, number, number]> {
  for (let total = 2; total <= maxParts; total++) {
    yield* [[total, 1, 1] as [number, number, number]];
    for (let a = 2; a <= total; a++)
      for (let b = 2; a * b <= total; b++) {
        if (a * b === total) yield [a, b, 1];
        for (let c = 2; a * b * c <= total; c++) if (a * b * c === total) yield [a, b, c];
      }
  }
}

/** Splits `solid` by every plane (the pieces between planes stay apart); empty sides are dropped. */
function split(solid: Manifold, planes: Plane[]): Manifold[] {
  let parts: Manifold[] = [solid];
  for (const plane of planes) {
    const next: Manifold[] = [];
    for (const p of parts) {
      const [above, below] = p.splitByPlane(plane.normal, plane.offset);
      if (p !== solid) p.delete();
      next.push(...[below, above].filter(keep));
    }
    parts = next;
  }
  if (parts.length === 1 && parts[0] === solid) parts = [solid.translate([0, 0, 0])];
  return parts;
}

const keep = (m: Manifold): boolean => {
  if (m.isEmpty()) {
    m.delete();
    return false;
  }
  return true;
};

/** The fitting orientation with the smallest box, and the smallest box overall (its axes and sides). */
function bestBox(solid: Manifold, bed: Bed): { fit: Fit | null; axes: Vec3[]; size: Vec3 } {
  const hull = solid.hull();
  const hm = fromManifold(hull);
  hull.delete();
  const P = hm.positions, I = hm.indices;
  // candidate "up" directions: the axes, then the normals of the largest hull faces
  const faces: { n: Vec3; area: number }[] = [];
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    const u: Vec3 = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
    const w: Vec3 = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
    const n: Vec3 = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
    const l = Math.hypot(...n);
    if (l > EPS) faces.push({ n: [n[0] / l, n[1] / l, n[2] / l], area: l / 2 });
  }
  faces.sort((x, y) => y.area - x.area);
  const ups: Vec3[] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], ...faces.slice(0, HULL_FACES).map((f) => f.n)];
  let fit: Fit | null = null, fitVolume = Infinity;
  let axes: Vec3[] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]], size: Vec3 = [Infinity, Infinity, Infinity], volume = Infinity;
  const bedSorted = [bed.widthMm, bed.depthMm, bed.heightMm].sort((a, b) => a - b);
  for (const up of ups) {
    const e1 = perpendicular(up), e2 = cross(up, e1);
    const xy = new Float64Array((2 * P.length) / 3);
    let z0 = Infinity, z1 = -Infinity;
    for (let i = 0, j = 0; i < P.length; i += 3, j += 2) {
      xy[j] = P[i] * e1[0] + P[i + 1] * e1[1] + P[i + 2] * e1[2];
      xy[j + 1] = P[i] * e2[0] + P[i + 1] * e2[1] + P[i + 2] * e2[2];
      const z = P[i] * up[0] + P[i + 1] * up[1] + P[i + 2] * up[2];
      z0 = Math.min(z0, z);
      z1 = Math.max(z1, z);
    }
    const rect = minAreaRectangle(convexHull(xy));
    const a1: Vec3 = [0, 1, 2].map((k) => rect.axis[0] * e1[k] + rect.axis[1] * e2[k]) as Vec3;
    const a2 = cross(up, a1);
    const boxAxes = [a1, a2, up];
    const boxSize: Vec3 = [rect.size[0], rect.size[1], z1 - z0];
    const v = boxSize[0] * boxSize[1] * boxSize[2];
    if (v < volume) (volume = v), (axes = boxAxes), (size = boxSize);
    // fits: sides sorted against the bed's sorted
    const order = [0, 1, 2].sort((i, j) => boxSize[i] - boxSize[j]);
    if (order.some((i, r) => boxSize[i] > bedSorted[r] + EPS) || v >= fitVolume) continue;
    fitVolume = v;
    fit = orient(boxAxes, boxSize, bed);
  }
  return { fit, axes, size };
}

/** Rotation taking the box's axes onto the bed's: its longest side along the bed's longest, and so on. */
function orient(boxAxes: Vec3[], boxSize: Vec3, bed: Bed): Fit {
  const bedDims = [bed.widthMm, bed.depthMm, bed.heightMm];
  const boxOrder = [0, 1, 2].sort((i, j) => boxSize[i] - boxSize[j]);
  const bedOrder = [0, 1, 2].sort((i, j) => bedDims[i] - bedDims[j]);
  const rows: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const sizeMm: Vec3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    rows[bedOrder[r]] = boxAxes[boxOrder[r]];
    sizeMm[bedOrder[r]] = boxSize[boxOrder[r]];
  }
  // a proper rotation: flip one axis if the assignment mirrored
  if (dot(cross(rows[0], rows[1]), rows[2]) < 0) rows[2] = [-rows[2][0], -rows[2][1], -rows[2][2]];
  return { rotation: [...rows[0], 0, ...rows[1], 0, ...rows[2], 0, 0, 0, 0, 1], sizeMm };
}

function extent(mesh: Mesh, a: Vec3): [number, number] {
  const P = mesh.positions;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < P.length; i += 3) {
    const d = P[i] * a[0] + P[i + 1] * a[1] + P[i + 2] * a[2];
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  return [lo, hi];
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (v: Vec3): Vec3 => {
  const l = Math.hypot(...v);
  if (!(l > 0)) throw new RangeError('cut: a plane normal must not be zero');
  return [v[0] / l, v[1] / l, v[2] / l];
};
function perpendicular(u: Vec3): Vec3 {
  const p: Vec3 = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  return unit(cross(u, p));
}
