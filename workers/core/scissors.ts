// Scissors: a polygon drawn in a view cuts through the whole volume along the view's direction:
// everything of the segment inside (or outside) the polygon's prism is erased, or the prism is filled
// with the segment. Exact for any view: the polygon is given in patient millimetres on the view's
// plane with the view's normal, each voxel centre is projected along the normal onto that plane, and
// a voxel is inside when its projection is (even–odd rule). Views along the volume's own axes, oblique
// views and sheared (gantry-tilted) grids are all the same computation.
//
// Speed: along a row of voxels (increasing i) the projection moves on a straight line in the plane, so
// each row's inside stretches come from intersecting that line with the polygon's edges: the work is
// rows × edges, not voxels × edges.
import { PatchRecorder, type LayerPatch } from './patch';
import type { SegmentRef } from './segments';
import type { Vec3, VolumeGeometry } from './types';

export interface ScissorsCut {
  /** the outline, in patient mm (LPS), on (or near) the view's plane; closed implicitly, ≥ 3 points */
  polygon: Vec3[];
  /** the view's normal (any length): the cut goes through the volume along it */
  normal: Vec3;
  /** which part of the prism the action applies to */
  region: 'inside' | 'outside';
  /** erase the segment there (erasing 'outside' keeps what is inside), or fill it with the segment */
  action: 'erase' | 'fill';
  /** limit the cut to this range of signed distance from the polygon's plane (mm), else through the whole volume */
  depthMm?: [number, number];
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** A unit vector perpendicular to n. */
function perpendicular(n: Vec3): Vec3 {
  const a: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u: Vec3 = [a[1] * n[2] - a[2] * n[1], a[2] * n[0] - a[0] * n[2], a[0] * n[1] - a[1] * n[0]];
  const l = Math.hypot(...u);
  return [u[0] / l, u[1] / l, u[2] / l];
}

/** Even–odd point-in-polygon for a 2D polygon (x, y pairs). */
function insidePolygon(px: number, py: number, xs: Float64Array, ys: Float64Array): boolean {
  let inside = false;
  for (let a = 0, b = xs.length - 1; a < xs.length; b = a++) {
    if (ys[a] > py !== ys[b] > py && px < xs[a] + ((py - ys[a]) * (xs[b] - xs[a])) / (ys[b] - ys[a])) inside = !inside;
  }
  return inside;
}

/** Applies the cut to segment `target` of `labels` (its layer). */
export function scissors(labels: Uint8Array, target: SegmentRef, grid: VolumeGeometry, cut: ScissorsCut): LayerPatch | null {
  const [nx, ny, nz] = grid.dims;
  const nl = Math.hypot(...cut.normal);
  if (!(nl > 0)) throw new Error('scissors: the view normal is zero');
  if (cut.polygon.length < 3) throw new Error('scissors: the outline needs at least 3 points');
  const n: Vec3 = [cut.normal[0] / nl, cut.normal[1] / nl, cut.normal[2] / nl];
  const u = perpendicular(n);
  const v: Vec3 = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
  const o = cut.polygon[0];
  const xs = Float64Array.from(cut.polygon, (p) => dot([p[0] - o[0], p[1] - o[1], p[2] - o[2]], u));
  const ys = Float64Array.from(cut.polygon, (p) => dot([p[0] - o[0], p[1] - o[1], p[2] - o[2]], v));
  // index → patient: p = origin + i·ei + j·ej + k·ek
  const d = grid.direction, s = grid.spacing;
  const e = [0, 1, 2].map((a) => [d[3 * a] * s[a], d[3 * a + 1] * s[a], d[3 * a + 2] * s[a]]);
  const rel: Vec3 = [grid.origin[0] - o[0], grid.origin[1] - o[1], grid.origin[2] - o[2]];
  // plane coordinates of voxel (0,0,0) and their steps along i, j, k; and the depth along n
  const x0 = dot(rel, u), y0 = dot(rel, v), h0 = dot(rel, n);
  const [xi, xj, xk] = e.map((a) => dot(a, u));
  const [yi, yj, yk] = e.map((a) => dot(a, v));
  const [hi, hj, hk] = e.map((a) => dot(a, n));
  const [dmin, dmax] = cut.depthMm ?? [-Infinity, Infinity];
  const erase = cut.action === 'erase';
  const wantInside = cut.region === 'inside';
  const step2 = xi * xi + yi * yi;
  // rows that run along the normal project onto one point: all in or all out
  const alongNormal = step2 < 1e-12 * (e[0][0] ** 2 + e[0][1] ** 2 + e[0][2] ** 2);
  const rec = new PatchRecorder(labels, target.layer);
  const cross: number[] = [];
  const m = xs.length;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      // the row: plane point (ax + t·bx, ay + t·by) and depth h + t·hi at voxel i = t
      const ax = x0 + j * xj + k * xk, ay = y0 + j * yj + k * yk, h = h0 + j * hj + k * hk;
      // i range within the depth limits
      let iLo = 0, iHi = nx - 1;
      if (hi !== 0) {
        const t1 = (dmin - h) / hi, t2 = (dmax - h) / hi;
        iLo = Math.max(0, Math.ceil(Math.min(t1, t2)));
        iHi = Math.min(nx - 1, Math.floor(Math.max(t1, t2)));
      } else if (h < dmin || h > dmax) iHi = -1;
      // inside stretches: where the line crosses the polygon's edges
      cross.length = 0;
      if (alongNormal) {
        if (insidePolygon(ax, ay, xs, ys)) cross.push(-Infinity, Infinity);
      } else {
        for (let a = 0, b = m - 1; a < m; b = a++) {
          // sides of the row's line the edge's ends lie on (sign of the cross product with the row's
          // direction): an edge counts when they differ, with "on the line" taken as one side
          const sa = (xs[a] - ax) * yi - (ys[a] - ay) * xi, sb = (xs[b] - ax) * yi - (ys[b] - ay) * xi;
          if (sa > 0 === sb > 0) continue;
          const w = sb / (sb - sa);
          const px = xs[b] + w * (xs[a] - xs[b]) - ax, py = ys[b] + w * (ys[a] - ys[b]) - ay;
          cross.push((px * xi + py * yi) / step2);
        }
        cross.sort((p, q) => p - q);
      }
      const row = nx * (j + ny * k);
      // walk the row's i range, alternating outside/inside at the crossings
      let c = 0;
      let inside = false;
      for (let i = iLo; i <= iHi; i++) {
        while (c < cross.length && cross[c] <= i) (inside = !inside), c++;
        if (inside !== wantInside) continue;
        const p = row + i;
        if (erase) {
          if (labels[p] === target.value) rec.set(p, 0);
        } else rec.set(p, target.value);
      }
    }
  return rec.finish();
}
