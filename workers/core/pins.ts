// Alignment pins across planar cuts: for every cut face shared by a part below the plane and a part
// above it, cylinders on the lower part sticking across the cut and matching holes (pin + clearance all
// round, a clearance deeper) in the upper part, on the same axes.
//
// API: addPins(wasm, parts, planes, opts) → { parts, pins, facesWithoutPins }. `parts` (Manifolds, each on
//   one side of every plane, as planar splits leave them) are consumed: the result holds new ones.
//
// Stages, per plane and per pair (lower part, upper part) on its two sides:
//   1. face: the two parts' cross-sections just either side of the plane, intersected (manifold-3d
//      slice in the plane's frame: the plane's normal turned onto +z), split into its regions;
//   2. room: each region eroded by the hole's radius plus a wall as thick as the pin's diameter — what
//      is left is where a pin's axis may go (empty: the face is too small, counted in facesWithoutPins);
//   3. spots: 1 pin at the deepest point (erosion as far as it goes), 2 at the ends of the room's
//      longest chord when it is at least 6 diameters long, 3 with the room's point farthest from that
//      chord when it is at least 3 diameters off it (kept a diameter inside the room when it can be);
//   4. depth: a spot is kept only where the pin's buried half and the hole (both a millimetre larger)
//      lie inside their parts, so a pin never breaks out of a thin part behind the face;
//   5. pins added to the lower part, holes cut from the upper (manifold-3d booleans: every part stays
//      closed and manifold).
// Pins and holes are 32-sided prisms: pinVolumes() gives their exact volumes.
import { columnMajor, type Manifold, type ManifoldToplevel } from './manifoldKernel';
import { rotationBetween, type Mat4 } from './placement';
import type { Vec3 } from './types';

export interface PinOptions {
  /** pin diameter, mm (default 4) */
  diameterMm?: number;
  /** pin length, mm, half in each part (default 2 × diameter) */
  lengthMm?: number;
  /** gap all round the pin in its hole, and at its tip, mm (default 0.2) */
  clearanceMm?: number;
}

/** The plane {x : normal·x = offset}, normal a unit vector. */
export interface Plane {
  normal: Vec3;
  offset: number;
}

export interface PinResult {
  parts: Manifold[];
  pins: number;
  /** cut faces (regions of a cross-section) with no room for a pin */
  facesWithoutPins: number;
}

export const PIN_SEGMENTS = 32;
/** how far either side of the plane the faces are sliced, mm */
const SLICE_EPS = 0.02;
/** how far the hole starts below the plane (no coplanar faces in the boolean), mm */
const HOLE_LEAD = 0.01;

/** Resolved options: radius, length, clearance (mm). */
export function pinSizes(o: PinOptions): { r: number; len: number; gap: number } {
  const d = o.diameterMm ?? 4;
  if (!(d > 0)) throw new RangeError(`alignment pins: the diameter must be > 0 mm, got ${d}`);
  return { r: d / 2, len: o.lengthMm ?? 2 * d, gap: o.clearanceMm ?? 0.2 };
}

/** Volume a pin adds to its part (the half that sticks out) and a hole takes from its part, mm³. */
export function pinVolumes(o: PinOptions): { pinMm3: number; holeMm3: number } {
  const { r, len, gap } = pinSizes(o);
  const area = (rho: number) => (PIN_SEGMENTS / 2) * rho * rho * Math.sin((2 * Math.PI) / PIN_SEGMENTS);
  return { pinMm3: area(r) * (len / 2), holeMm3: area(r + gap) * (len / 2 + gap) };
}

export function addPins(wasm: ManifoldToplevel, parts: Manifold[], planes: Plane[], o: PinOptions): PinResult {
  const { r, len, gap } = pinSizes(o);
  let pins = 0, facesWithoutPins = 0;
  for (const plane of planes) {
    const toZ = rotationBetween(plane.normal, [0, 0, 1]);
    const back = transpose(toZ);
    // each part's section just on its side of the plane (none: it does not touch the plane). Pins of one
    // pair lie inside that pair's face, apart from every other pair's, so these stay right as pins go in.
    const sections = parts.map((p) => {
      const s = side(p, plane);
      if (s === 'across') return null;
      const cs = sliceAt(p, toZ, plane.offset + (s === 'below' ? -SLICE_EPS : SLICE_EPS));
      if (cs.isEmpty()) {
        cs.delete();
        return null;
      }
      return { side: s, cs };
    });
    for (let i = 0; i < parts.length; i++) {
      if (sections[i]?.side !== 'below') continue;
      for (let j = 0; j < parts.length; j++) {
        if (sections[j]?.side !== 'above') continue;
        // 1. the face the two parts share
        const face = sections[i]!.cs.intersect(sections[j]!.cs);
        if (face.area() < 1e-6) {
          face.delete();
          continue;
        }
        for (const region of face.decompose()) {
          // 2.–3. where pins may go
          const spots = pinSpots(region, r, gap);
          region.delete();
          let placed = 0;
          for (const [x, y] of spots) {
            const at = (z: number) => columnMajor(translated(back, [x, y, z]));
            const pin = wasm.Manifold.cylinder(len, r, r, PIN_SEGMENTS, false).transform(at(plane.offset - len / 2));
            const hole = wasm.Manifold.cylinder(len / 2 + gap + HOLE_LEAD, r + gap, r + gap, PIN_SEGMENTS, false).transform(at(plane.offset - HOLE_LEAD));
            // 4. room behind the face: the buried half and the hole, a millimetre larger, inside their parts
            const buried = wasm.Manifold.cylinder(len / 2 + 1, r + 1, r + 1, PIN_SEGMENTS, false).transform(at(plane.offset - len / 2 - 1));
            const around = wasm.Manifold.cylinder(len / 2 + gap + 1, r + gap + 1, r + gap + 1, PIN_SEGMENTS, false).transform(at(plane.offset));
            const fits = inside(buried, parts[i]) && inside(around, parts[j]);
            buried.delete();
            around.delete();
            if (fits) {
              // 5. pin on the lower part, hole in the upper
              const lower = parts[i].add(pin), upper = parts[j].subtract(hole);
              parts[i].delete();
              parts[j].delete();
              parts[i] = lower;
              parts[j] = upper;
              placed++;
            }
            pin.delete();
            hole.delete();
          }
          pins += placed;
          if (!placed) facesWithoutPins++;
        }
        face.delete();
      }
    }
    for (const s of sections) s?.cs.delete();
  }
  return { parts, pins, facesWithoutPins };
}

/** Which side of the plane a part lies on (planar splits leave every part on one side). */
function side(part: Manifold, plane: Plane): 'below' | 'above' | 'across' {
  const { min, max } = part.boundingBox();
  const n = plane.normal;
  let lo = Infinity, hi = -Infinity;
  for (const x of [min[0], max[0]])
    for (const y of [min[1], max[1]])
      for (const z of [min[2], max[2]]) {
        const d = n[0] * x + n[1] * y + n[2] * z;
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
  // a box's corners can reach past the plane though the part does not: test the part itself
  if (hi <= plane.offset + 1e-6) return 'below';
  if (lo >= plane.offset - 1e-6) return 'above';
  const beyond = part.trimByPlane(n, plane.offset + 1e-4), before = part.trimByPlane([-n[0], -n[1], -n[2]], -plane.offset + 1e-4);
  const s = beyond.isEmpty() ? 'below' : before.isEmpty() ? 'above' : 'across';
  beyond.delete();
  before.delete();
  return s;
}

function sliceAt(part: Manifold, toZ: Mat4, z: number) {
  const turned = part.transform(columnMajor(toZ));
  const s = turned.slice(z);
  turned.delete();
  return s;
}

/** Whether `a` lies inside `b` (all but 0.1 % of its volume). Does not free either. */
function inside(a: Manifold, b: Manifold): boolean {
  const out = a.subtract(b);
  const v = out.volume();
  out.delete();
  return v <= 1e-3 * a.volume();
}

type CrossSection = ReturnType<Manifold['slice']>;
type Point = [number, number];

/** Stages 2–3: pin axes (in the plane's frame) for one region of a face; [] when it has no room. */
function pinSpots(region: CrossSection, r: number, gap: number): Point[] {
  const d = 2 * r;
  const room = region.offset(-(r + gap + d), 'Round');
  try {
    if (room.isEmpty() || room.area() < 1e-9) return [];
    // the deepest point: erode on while something is left (bisection on the depth)
    let lo = 0, hi = Math.sqrt(room.area() / Math.PI) + 1;
    let deepest = vertices(room)[0];
    for (let k = 0; k < 12; k++) {
      const mid = (lo + hi) / 2;
      const e = room.offset(-mid, 'Round');
      const first = e.isEmpty() ? [] : (e.toPolygons()[0] ?? []);
      e.delete();
      if (first.length) (lo = mid), (deepest = centroid(first.map((q) => [q[0], q[1]] as Point)));
      else hi = mid;
    }
    // spread: the room kept a diameter in when it can be
    const inner = room.offset(-d, 'Round');
    const pts = inner.isEmpty() ? vertices(room) : vertices(inner);
    inner.delete();
    const [a, b, len] = farthestPair(pts);
    if (len < 6 * d) return [deepest];
    const ux = (b[0] - a[0]) / len, uy = (b[1] - a[1]) / len;
    let c = a, off = 0;
    for (const p of pts) {
      const dist = Math.abs((p[0] - a[0]) * uy - (p[1] - a[1]) * ux);
      if (dist > off) (off = dist), (c = p);
    }
    return off >= 3 * d ? [a, b, c] : [a, b];
  } finally {
    room.delete();
  }
}

function vertices(cs: CrossSection): Point[] {
  return cs.toPolygons().flatMap((poly) => poly.map((p) => [p[0], p[1]] as Point));
}

/** The vertex average of one small, nearly round blob (a contour of the last erosion): inside it. */
function centroid(v: Point[]): Point {
  let x = 0, y = 0;
  for (const p of v) (x += p[0]), (y += p[1]);
  return [x / v.length, y / v.length];
}

function farthestPair(pts: Point[]): [Point, Point, number] {
  const step = Math.max(1, Math.floor(pts.length / 400));
  let best: [Point, Point, number] = [pts[0], pts[0], 0];
  for (let i = 0; i < pts.length; i += step)
    for (let j = i + step; j < pts.length; j += step) {
      const l = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
      if (l > best[2]) best = [pts[i], pts[j], l];
    }
  return best;
}

const transpose = (m: Mat4): Mat4 => [m[0], m[4], m[8], 0, m[1], m[5], m[9], 0, m[2], m[6], m[10], 0, 0, 0, 0, 1];

/** Rotation `m` (row-major) followed by moving the origin to m·p. */
function translated(m: Mat4, p: Vec3): Mat4 {
  const out = m.slice();
  for (let r = 0; r < 3; r++) out[4 * r + 3] = m[4 * r] * p[0] + m[4 * r + 1] * p[1] + m[4 * r + 2] * p[2];
  return out;
}
