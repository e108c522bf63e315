import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossingPass, envelopePass, linesAlong, planesAcross, squaredSurfaceDistance } from './surfaceDistance';
import { MASK_FILLED } from './components';
import { rng } from './testVolumes';
import { splitRange } from './split';
import type { Border } from './distance';
import type { Vec3 } from './types';

/** Brute force: every marching-cubes vertex (edge crossing, padding included), then the nearest. */
function bruteForce(mask: Uint8Array, data: Int16Array, lower: number, upper: number, dims: Vec3, s: Vec3, border: Border): Float32Array {
  const [nx, ny, nz] = dims;
  const lo = lower - 0.5, hi = upper + 0.5;
  const inside = (i: number, j: number, k: number) => {
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return false;
    const v = i + nx * (j + ny * k);
    return mask[v] === MASK_FILLED || (mask[v] !== 0 && data[v] > lo && data[v] < hi);
  };
  const pts: Vec3[] = [];
  for (let k = -1; k <= nz; k++)
    for (let j = -1; j <= ny; j++)
      for (let i = -1; i <= nx; i++)
        for (const a of [0, 1, 2]) {
          const b: Vec3 = [i, j, k];
          b[a]++;
          const ia = inside(i, j, k), ib = inside(...b);
          if (ia === ib) continue;
          const pad = (p: Vec3) => p.some((x, c) => x < 0 || x >= dims[c]);
          const [pin, pout] = ia ? [[i, j, k] as Vec3, b] : [b, [i, j, k] as Vec3];
          if (pad(pout)) {
            // crossings with padding only where that face is padded
            const face = pout.findIndex((x, c) => x < 0 || x >= dims[c]);
            if (!border[2 * face + (pout[face] < 0 ? 0 : 1)]) continue;
          }
          let t = 0.5;
          if (!pad(pout)) {
            const vin = data[pin[0] + nx * (pin[1] + ny * pin[2])], vout = data[pout[0] + nx * (pout[1] + ny * pout[2])];
            if (vin > lo && vin < hi) {
              if (vout < lo) t = (vin - lo) / (vin - vout);
              else if (vout > hi) t = (hi - vin) / (vout - vin);
            }
          }
          pts.push(pin.map((x, c) => x + (pout[c] - x) * t) as Vec3);
        }
  const out = new Float32Array(mask.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        let best = Infinity;
        for (const p of pts) best = Math.min(best, ((i - p[0]) * s[0]) ** 2 + ((j - p[1]) * s[1]) ** 2 + ((k - p[2]) * s[2]) ** 2);
        out[i + nx * (j + ny * k)] = best;
      }
  return out;
}

test('squared distance to the isosurface vertices equals brute force (values, masked-out, filled voxels, borders)', () => {
  const r = rng(3);
  const dims: Vec3 = [11, 9, 7];
  const s: Vec3 = [0.6, 0.9, 1.7];
  for (let trial = 0; trial < 4; trial++) {
    const n = dims[0] * dims[1] * dims[2];
    const data = Int16Array.from({ length: n }, () => Math.round(-1000 + 2000 * r()));
    const mask = Uint8Array.from({ length: n }, () => (r() < 0.85 ? 1 : r() < 0.5 ? 0 : MASK_FILLED));
    const border: Border = trial % 2 ? [true, true, true, true, true, true] : [true, false, true, true, false, true];
    const got = squaredSurfaceDistance({ mask, data, range: { lower: 100, upper: 700 } }, dims, s, { border });
    const want = bruteForce(mask, data, 100, 700, dims, s, border);
    for (let v = 0; v < n; v++) assert.ok(Math.abs(got[v] - want[v]) <= 1e-4 * Math.max(1, want[v]), `trial ${trial} voxel ${v}: ${got[v]} vs ${want[v]}`);
  }
});

test('a slab along the grid measures exactly: distance from each voxel centre to its faces', () => {
  // voxels x = 3 … 8 inside (mask only: faces half way, at 2.5 and 8.5)
  const dims: Vec3 = [12, 3, 3];
  const mask = Uint8Array.from({ length: 108 }, (_, v) => (v % 12 >= 3 && v % 12 <= 8 ? 1 : 0));
  const d = squaredSurfaceDistance({ mask }, dims, [0.5, 1, 1]);
  for (let i = 0; i < 12; i++) {
    const want = Math.min(Math.abs(i - 2.5), Math.abs(i - 8.5)) * 0.5;
    assert.ok(Math.abs(Math.sqrt(d[i + 12 * (1 + 3 * 1)]) - want) < 1e-6, `x ${i}`);
  }
});

test('the passes split over ranges give the same result as one call', () => {
  const r = rng(5);
  const dims: Vec3 = [23, 17, 13];
  const s: Vec3 = [0.5, 0.5, 1.2];
  const mask = Uint8Array.from({ length: dims[0] * dims[1] * dims[2] }, () => (r() < 0.7 ? 1 : 0));
  const border: Border = [true, true, true, true, true, true];
  const whole = squaredSurfaceDistance({ mask }, dims, s);
  const out = new Float32Array(mask.length).fill(Infinity);
  const tmp = new Float32Array(mask.length);
  for (const axis of [0, 1, 2] as const) {
    for (const l of splitRange(linesAlong(dims, axis), 3)) crossingPass({ mask }, dims, s, axis, border, tmp, l);
    for (const other of [0, 1, 2] as const) if (other !== axis) for (const p of splitRange(planesAcross(dims, other), 4)) envelopePass(tmp, dims, s, other, p);
    for (let v = 0; v < tmp.length; v++) out[v] = Math.min(out[v], tmp[v]);
  }
  assert.deepEqual(out, whole);
});
