// Exact Euclidean distance transform of a binary mask, squared, in mm² (anisotropic spacing).
//
// API (typed arrays in, typed arrays out):
//   squaredEdt(mask, dims, spacing, opts) → Float32Array
//     opts.to = 'background' (the inside transform): every voxel gets the squared distance, centre to
//       centre, to the nearest voxel with mask 0; voxels with mask 0 get 0. By default the voxels just
//       beyond the grid count as background too (as marching cubes pads the grid with background), so a
//       set voxel on the border of the grid is one voxel from "outside".
//     opts.to = 'foreground' (the outside transform): squared distance to the nearest voxel with mask ≠ 0;
//       set voxels get 0. Nothing beyond the grid is foreground.
//     A voxel with no feature anywhere (empty mask, 'foreground') gets +Infinity.
//   `mask` is any non-zero = set (so MASK_FILLED voxels count as set).
//
// Algorithm: separable, one pass per axis (Saito–Toriwaki / Meijster et al.; the per-line step is the
// lower envelope of parabolas of Felzenszwalb & Huttenlocher 2012), exact for the Euclidean metric with
// spacing: pass X turns each row into squared 1-D distances to the nearest feature of the row; pass Y,
// then pass Z, replace each line f by d(p) = min_q f(q) + (h·(p − q))² in place. Each pass is exported
// on its own over an index range, so a worker pool can split it: pass X over rows (y + ny·z), pass Y
// over slices z, pass Z over rows y; a pass must finish on the whole grid before the next starts.
// Lines along y and z are gathered BLOCK columns at a time into a contiguous buffer (cache-friendly),
// and lines with nothing to change (all zero, or no finite value) are skipped.
//
// Virtual border features: with `border[side]` set, a feature sits one voxel beyond that face of the
// grid (sides: x−, x+, y−, y+, z−, z+). A pool that runs on a z-chunk of a larger grid clears z− / z+
// where the chunk is cut from its neighbours (see hollow.ts).
import type { Vec3 } from './types';

export type EdtTarget = 'background' | 'foreground';

/** Per face of the grid (x−, x+, y−, y+, z−, z+): is there a feature just beyond it? */
export type Border = [boolean, boolean, boolean, boolean, boolean, boolean];

export interface EdtOptions {
  to: EdtTarget;
  /** default: every face for 'background', none for 'foreground' */
  border?: Border;
  /** write here (length nx·ny·nz), e.g. shared memory */
  out?: Float32Array;
}

/** Columns gathered at once by the y and z passes. */
const BLOCK = 16;

export const defaultBorder = (to: EdtTarget): Border => {
  const b = to === 'background';
  return [b, b, b, b, b, b];
};

/** The whole transform in one thread. */
export function squaredEdt(mask: Uint8Array, dims: Vec3, spacing: Vec3, opts: EdtOptions): Float32Array {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (mask.length !== n) throw new RangeError(`squaredEdt: mask has ${mask.length} voxels, dims ${dims.join('×')} need ${n}`);
  const border = opts.border ?? defaultBorder(opts.to);
  const out = opts.out ?? new Float32Array(n);
  if (out.length !== n) throw new RangeError(`squaredEdt: out has ${out.length} voxels, need ${n}`);
  edtPassX(mask, dims, spacing, opts.to, border, out, [0, ny * nz]);
  edtPassY(out, dims, spacing, border, [0, nz]);
  edtPassZ(out, dims, spacing, border, [0, ny]);
  return out;
}

/**
 * Pass X over rows [r0, r1) (row r = y + ny·z): out = (sx · distance along the row to the nearest
 * feature)², +Infinity when the row has none.
 */
export function edtPassX(
  mask: Uint8Array, dims: Vec3, spacing: Vec3, to: EdtTarget, border: Border, out: Float32Array, rows: [number, number],
): void {
  const nx = dims[0];
  const sx2 = spacing[0] * spacing[0];
  const lo = border[0], hi = border[1];
  const wantSet = to === 'foreground';
  // a row of background only: all zero ('background'), or border distances / Infinity ('foreground')
  const emptyRow = new Float32Array(nx);
  if (wantSet)
    for (let i = 0; i < nx; i++) {
      const d = Math.min(lo ? i + 1 : Infinity, hi ? nx - i : Infinity);
      emptyRow[i] = d === Infinity ? Infinity : d * d * sx2;
    }
  for (let r = rows[0]; r < rows[1]; r++) {
    const base = r * nx;
    if (rowIsEmpty(mask, base, nx)) {
      out.set(emptyRow, base);
      continue;
    }
    // forward: distance to the last feature at or before i
    let last = lo ? -1 : -Infinity;
    for (let i = 0; i < nx; i++) {
      if ((mask[base + i] !== 0) === wantSet) last = i;
      out[base + i] = i - last; // Infinity when none yet
    }
    // backward: the next feature at or after i
    let next = hi ? nx : Infinity;
    for (let i = nx - 1; i >= 0; i--) {
      const d0 = out[base + i];
      if (d0 === 0) next = i;
      const d = d0 < next - i ? d0 : next - i;
      out[base + i] = d === Infinity ? Infinity : d * d * sx2;
    }
  }
}

/** Is mask[base … base+n) all zero? Eight bytes at a time where aligned. */
function rowIsEmpty(mask: Uint8Array, base: number, n: number): boolean {
  let i = base;
  const end = base + n;
  while (i < end && ((mask.byteOffset + i) & 7) !== 0) if (mask[i++] !== 0) return false;
  if (end - i >= 8) {
    const words = new BigUint64Array(mask.buffer, mask.byteOffset + i, (end - i) >> 3);
    for (let w = 0; w < words.length; w++) if (words[w] !== 0n) return false;
    i += words.length << 3;
  }
  while (i < end) if (mask[i++] !== 0) return false;
  return true;
}

/** Scratch buffers of the line passes, grown on demand (one set per thread). */
let lineF = new Float64Array(0);
let lineD = new Float64Array(0);
let siteV = new Float64Array(0);
let siteF = new Float64Array(0);
let siteZ = new Float64Array(0);
let active = new Int32Array(0);
let colAny = new Uint8Array(0);

function ensureScratch(n: number, lines: number): void {
  if (lineF.length < BLOCK * n || siteV.length < n + 2) {
    lineF = new Float64Array(BLOCK * n);
    lineD = new Float64Array(n);
    siteV = new Float64Array(n + 2);
    siteF = new Float64Array(n + 2);
    siteZ = new Float64Array(n + 3);
  }
  if (active.length < lines) {
    active = new Int32Array(lines);
    colAny = new Uint8Array(lines);
  }
}

/**
 * d(p) = min over sites q of f(q) + h2·(p − q)² for p in 0 … n−1, in place on lineF[off … off+n),
 * where the sites are the finite samples of f plus, when lo / hi, a zero at −1 / n.
 * Returns false when nothing changes (no positive value, or no site at all).
 */
function envelope(off: number, n: number, h2: number, lo: boolean, hi: boolean): boolean {
  const f = lineF, V = siteV, G = siteF, Z = siteZ, D = lineD;
  // parabola q: f(q) + h2 (p − q)² = G[q] − 2 h2 q p + h2 p², with G[q] = f(q) + h2 q²; two
  // parabolas q < r cross at p = (G[r] − G[q]) / (2 h2 (r − q)).
  const inv = 1 / (2 * h2);
  let k = -1;
  let positive = false, infinite = false;
  if (lo) {
    k = 0;
    V[0] = -1;
    G[0] = h2;
    Z[0] = -Infinity;
  }
  for (let q = 0; q <= n; q++) {
    let fq: number;
    if (q < n) {
      fq = f[off + q];
      if (fq === Infinity) {
        infinite = true;
        continue;
      }
      if (fq > 0) positive = true;
    } else if (hi) fq = 0;
    else break;
    const g = fq + h2 * q * q;
    let s = -Infinity;
    while (k >= 0) {
      s = ((g - G[k]) * inv) / (q - V[k]);
      if (s > Z[k]) break;
      k--;
    }
    k++;
    V[k] = q;
    G[k] = g;
    Z[k] = k === 0 ? -Infinity : s;
  }
  // nothing to do: no site (all stay Infinity), or only zero sites and no Infinity to replace
  if (k < 0 || (!positive && !infinite)) return false;
  Z[k + 1] = Infinity;
  let j = 0;
  for (let p = 0; p < n; p++) {
    while (Z[j + 1] < p) j++;
    const dq = p - V[j];
    D[p] = G[j] - h2 * V[j] * V[j] + h2 * dq * dq;
  }
  for (let p = 0; p < n; p++) f[off + p] = D[p];
  return true;
}

/**
 * The envelope step (parabolas of curvature h2, sites at −1 / n when lo / hi) along `count` lines of
 * `n` samples `stride` apart, line c starting at base + c·colStep. Lines made only of zeros are skipped
 * (found with one read of the lines' samples in memory order); the others are gathered BLOCK at a time.
 * Exported for passes over other feature sets (surfaceDistance.ts).
 */
export function envelopeLines(
  out: Float32Array, base: number, count: number, colStep: number, n: number, stride: number, h2: number, lo: boolean, hi: boolean,
): void {
  ensureScratch(n, count);
  const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
  const f = lineF, any = colAny, act = active;
  any.fill(0, 0, count);
  if (colStep === 1) {
    for (let i = 0, row = base; i < n; i++, row += stride) for (let c = 0; c < count; c++) any[c] |= bits[row + c] !== 0 ? 1 : 0;
  } else {
    for (let c = 0; c < count; c++) {
      let x = 0;
      for (let i = 0, q = base + c * colStep; i < n && x === 0; i++, q += stride) x = bits[q];
      any[c] = x !== 0 ? 1 : 0;
    }
  }
  let na = 0;
  for (let c = 0; c < count; c++) if (any[c] !== 0) act[na++] = c;
  for (let a0 = 0; a0 < na; a0 += BLOCK) {
    const w = Math.min(BLOCK, na - a0);
    for (let i = 0, row = base; i < n; i++, row += stride) for (let b = 0; b < w; b++) f[b * n + i] = out[row + act[a0 + b] * colStep];
    for (let b = 0; b < w; b++) {
      if (!envelope(b * n, n, h2, lo, hi)) continue;
      for (let i = 0, src = base + act[a0 + b] * colStep; i < n; i++, src += stride) out[src] = f[b * n + i];
    }
  }
}

/** Pass Y over slices [z0, z1): in place along every line of constant x, z. */
export function edtPassY(out: Float32Array, dims: Vec3, spacing: Vec3, border: Border, slices: [number, number]): void {
  const [nx, ny] = dims;
  const h2 = spacing[1] * spacing[1];
  for (let z = slices[0]; z < slices[1]; z++) envelopeLines(out, z * nx * ny, nx, 1, ny, nx, h2, border[2], border[3]);
}

/** Pass Z over rows [y0, y1): in place along every line of constant x, y. */
export function edtPassZ(out: Float32Array, dims: Vec3, spacing: Vec3, border: Border, rows: [number, number]): void {
  const [nx, ny, nz] = dims;
  const h2 = spacing[2] * spacing[2];
  for (let y = rows[0]; y < rows[1]; y++) envelopeLines(out, y * nx, nx, 1, nz, nx * ny, h2, border[4], border[5]);
}
