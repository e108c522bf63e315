// The box around points: one pass over xyz triples, its own function (see decimate.ts stage 1 on why
// loops of once-a-build stages are functions of their own).

/**
 * Widens the box at box[at .. at + 6) (lows x, y, z, then highs) to hold points [from, to) of `P`
 * (xyz triples). Start from [∞, ∞, ∞, −∞, −∞, −∞] for the box of those points alone.
 */
export function growBox(P: Float32Array, from: number, to: number, box: Float64Array, at = 0): void {
  let x0 = box[at], y0 = box[at + 1], z0 = box[at + 2], x1 = box[at + 3], y1 = box[at + 4], z1 = box[at + 5];
  for (let v = from; v < to; v++) {
    const x = P[3 * v], y = P[3 * v + 1], z = P[3 * v + 2];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  box[at] = x0;
  box[at + 1] = y0;
  box[at + 2] = z0;
  box[at + 3] = x1;
  box[at + 4] = y1;
  box[at + 5] = z1;
}

/** A box that holds nothing yet, for growBox. */
export const emptyBox = (): Float64Array => new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
