// The cut plane the user places: one of the model's axes as placed (left–right, front–back, up–down),
// a position along it in mm, and an optional tilt, as the plane cut.ts cuts along. The 3D view draws
// the same plane (same function), so what is drawn is where the cut goes. The position is kept as a
// fraction of the model's extent along the axis, so it stays on the model when the placement or scale
// changes; the UI shows and takes it in mm (positionMm, fractionAt).
//
// API: userPlane(mesh, spec) → Plane: normal = the axis turned by tiltDeg[0] about the next axis and
//   tiltDeg[1] about the one after (cyclic x → y → z), through the point of the mesh's bounding-box
//   centre moved along the axis to the position.
//   meshBounds(mesh) → { min, max } (mm); positionMm(bounds, spec) / fractionAt(bounds, axis, mm):
//   the position in mm along the axis, and back.
import type { Plane } from './pins';
import type { Mesh, Vec3 } from './types';

export interface UserPlane {
  /** 0: left–right (x), 1: front–back (y), 2: up–down (z), in the model's coordinates as placed */
  axis: 0 | 1 | 2;
  /** where the plane crosses the axis through the model's centre: 0 at the model's lowest coordinate along it, 1 at its highest */
  at: number;
  /** tilt about the next axis and the one after, degrees (default none) */
  tiltDeg?: [number, number];
}

export function meshBounds(mesh: Mesh): { min: Vec3; max: Vec3 } {
  const P = mesh.positions;
  const min: Vec3 = [Infinity, Infinity, Infinity], max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < P.length; i += 3)
    for (let a = 0; a < 3; a++) {
      if (P[i + a] < min[a]) min[a] = P[i + a];
      if (P[i + a] > max[a]) max[a] = P[i + a];
    }
  return { min, max };
}

export type Bounds = { min: Vec3; max: Vec3 };

export const positionMm = (b: Bounds, spec: Pick<UserPlane, 'axis' | 'at'>): number => b.min[spec.axis] + spec.at * (b.max[spec.axis] - b.min[spec.axis]);

export function fractionAt(b: Bounds, axis: 0 | 1 | 2, mm: number): number {
  const extent = b.max[axis] - b.min[axis];
  return extent > 0 ? (mm - b.min[axis]) / extent : 0.5;
}

/** The plane's unit normal and a point on it (the bounding-box centre moved along the axis to the position). */
export function planeFrame(bounds: Bounds, spec: UserPlane): { normal: Vec3; point: Vec3 } {
  const a = spec.axis, b = ((a + 1) % 3) as 0 | 1 | 2, c = ((a + 2) % 3) as 0 | 1 | 2;
  const [t1, t2] = (spec.tiltDeg ?? [0, 0]).map((t) => (t * Math.PI) / 180);
  const normal: Vec3 = [0, 0, 0];
  normal[a] = Math.cos(t1) * Math.cos(t2);
  normal[b] = Math.cos(t1) * Math.sin(t2);
  normal[c] = 0 - Math.sin(t1); // never −0
  const point = [0, 1, 2].map((k) => (bounds.min[k] + bounds.max[k]) / 2) as Vec3;
  point[a] = positionMm(bounds, spec);
  return { normal, point };
}

export function userPlane(mesh: Mesh, spec: UserPlane): Plane {
  if (!Number.isFinite(spec.at)) throw new RangeError(`cut plane: the position must be a number, got ${spec.at}`);
  const { normal, point } = planeFrame(meshBounds(mesh), spec);
  return { normal, offset: normal[0] * point[0] + normal[1] * point[1] + normal[2] * point[2] };
}
