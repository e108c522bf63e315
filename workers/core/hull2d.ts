// Plane geometry for print layout: the convex hull of points in the plane (Andrew's monotone chain)
// and the minimal-area enclosing rectangle of a convex polygon (rotating calipers: one side of the
// optimal rectangle lies along a hull edge, Freeman & Shapira 1975).

export type Point2 = [number, number];

/** Convex hull, counter-clockwise, without collinear points. xy: x, y pairs. */
export function convexHull(xy: ArrayLike<number>): Point2[] {
  const n = xy.length >> 1;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => xy[2 * a] - xy[2 * b] || xy[2 * a + 1] - xy[2 * b + 1]);
  const cross = (o: number, a: number, b: number) =>
    (xy[2 * a] - xy[2 * o]) * (xy[2 * b + 1] - xy[2 * o + 1]) - (xy[2 * a + 1] - xy[2 * o + 1]) * (xy[2 * b] - xy[2 * o]);
  const lower: number[] = [], upper: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], i) <= 0) lower.pop();
    lower.push(i);
  }
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], i) <= 0) upper.pop();
    upper.push(i);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  return (hull.length ? hull : idx.slice(0, 1)).map((i) => [xy[2 * i], xy[2 * i + 1]]);
}

export interface Rectangle {
  /** unit direction of the first side */
  axis: Point2;
  /** side lengths along axis and along its perpendicular (−axis[1], axis[0]) */
  size: Point2;
  /** centre */
  centre: Point2;
  /** corners, counter-clockwise */
  corners: Point2[];
}

/** Smallest-area rectangle around a convex polygon (counter-clockwise, as convexHull returns). */
export function minAreaRectangle(hull: Point2[]): Rectangle {
  let best: Rectangle | null = null;
  let bestArea = Infinity;
  const n = hull.length;
  for (let i = 0; i < Math.max(1, n); i++) {
    const a = hull[i], b = hull[(i + 1) % n];
    let ux = b[0] - a[0], uy = b[1] - a[1];
    const l = Math.hypot(ux, uy);
    if (l > 0) (ux /= l), (uy /= l);
    else (ux = 1), (uy = 0);
    let s0 = Infinity, s1 = -Infinity, t0 = Infinity, t1 = -Infinity;
    for (const p of hull) {
      const s = p[0] * ux + p[1] * uy, t = -p[0] * uy + p[1] * ux;
      s0 = Math.min(s0, s);
      s1 = Math.max(s1, s);
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
    }
    const area = (s1 - s0) * (t1 - t0);
    if (area < bestArea) {
      bestArea = area;
      const at = (s: number, t: number): Point2 => [s * ux - t * uy, s * uy + t * ux];
      const sc = (s0 + s1) / 2, tc = (t0 + t1) / 2;
      best = { axis: [ux, uy], size: [s1 - s0, t1 - t0], centre: at(sc, tc), corners: [at(s0, t0), at(s1, t0), at(s1, t1), at(s0, t1)] };
    }
  }
  return best!;
}
