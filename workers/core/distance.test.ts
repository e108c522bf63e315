import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edtPassX, edtPassY, edtPassZ, squaredEdt, type Border } from './distance';
import { splitRange } from './split';
import { rng } from './testVolumes';
import type { Vec3 } from './types';

/** Brute force: min over every feature voxel (and the virtual border planes) of the squared distance. */
function bruteForce(mask: Uint8Array, dims: Vec3, s: Vec3, to: 'background' | 'foreground', border: Border): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(mask.length);
  const feats: number[][] = [];
  const isFeature = (v: number) => (mask[v] !== 0) === (to === 'foreground');
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (isFeature(i + nx * (j + ny * k))) feats.push([i, j, k]);
  // virtual features: every voxel one beyond a face marked in `border`
  for (let k = -1; k <= nz; k++)
    for (let j = -1; j <= ny; j++)
      for (let i = -1; i <= nx; i++) {
        const faces = [i === -1, i === nx, j === -1, j === ny, k === -1, k === nz];
        const outside = faces.some(Boolean);
        if (!outside) continue;
        // a padding voxel counts if it lies beyond a marked face and within the others' range
        const inRange = [i >= 0 && i < nx, j >= 0 && j < ny, k >= 0 && k < nz];
        let ok = false;
        for (let f = 0; f < 6; f++) if (faces[f] && border[f] && inRange.every((r, a) => r || a === f >> 1)) ok = true;
        if (ok) feats.push([i, j, k]);
      }
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        let best = Infinity;
        for (const [a, b, c] of feats) {
          const d = ((i - a) * s[0]) ** 2 + ((j - b) * s[1]) ** 2 + ((k - c) * s[2]) ** 2;
          if (d < best) best = d;
        }
        out[i + nx * (j + ny * k)] = best;
      }
  return out;
}

function assertClose(a: Float32Array, b: Float32Array, what: string) {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * Math.max(1, b[i]), `${what}: voxel ${i}: ${a[i]} ≠ ${b[i]}`);
  }
}

test('squared EDT equals brute force on random masks, anisotropic spacing, inside and outside, every border choice', () => {
  const r = rng(7);
  const dims: Vec3 = [13, 9, 7];
  const spacing: Vec3 = [0.7, 1.1, 2.5];
  for (let trial = 0; trial < 6; trial++) {
    const density = [0.05, 0.5, 0.95][trial % 3];
    const mask = Uint8Array.from({ length: dims[0] * dims[1] * dims[2] }, () => (r() < density ? (r() < 0.5 ? 1 : 2) : 0));
    for (const to of ['background', 'foreground'] as const) {
      const borders: Border[] = [
        [true, true, true, true, true, true],
        [false, false, false, false, false, false],
        [true, false, false, true, true, false],
      ];
      for (const border of borders) {
        const got = squaredEdt(mask, dims, spacing, { to, border });
        assertClose(got, bruteForce(mask, dims, spacing, to, border), `${to} density ${density} border ${border}`);
      }
    }
  }
});

test('inside EDT of a full grid is the distance to the grid faces; outside EDT of an empty mask is Infinity', () => {
  const dims: Vec3 = [5, 4, 3];
  const full = new Uint8Array(60).fill(1);
  const d = squaredEdt(full, dims, [1, 1, 1], { to: 'background' });
  // voxel (2, 1, 1): nearest face is z (k = 1 → 2 steps to −1 or 3) … x: 3, y: 2, z: 2
  assert.equal(d[2 + 5 * (1 + 4 * 1)], 4);
  assert.equal(d[0], 1);
  const e = squaredEdt(new Uint8Array(60), dims, [1, 1, 1], { to: 'foreground' });
  assert.ok(e.every((v) => v === Infinity));
  const none = squaredEdt(full, dims, [1, 1, 1], { to: 'background', border: [false, false, false, false, false, false] });
  assert.ok(none.every((v) => v === Infinity), 'no background and no border: no feature');
});

test('the passes split over index ranges give the same result as one call (what a worker pool does)', () => {
  const r = rng(11);
  const dims: Vec3 = [37, 23, 19];
  const spacing: Vec3 = [0.5, 0.5, 1.25];
  const mask = Uint8Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, v) => {
    const i = v % 37, j = Math.floor(v / 37) % 23, k = Math.floor(v / (37 * 23));
    return (i - 18) ** 2 + (j - 11) ** 2 + ((k - 9) * 2.5) ** 2 < 120 && r() < 0.97 ? 1 : 0;
  });
  const whole = squaredEdt(mask, dims, spacing, { to: 'background' });
  const border: Border = [true, true, true, true, true, true];
  const split = new Float32Array(mask.length);
  for (const rows of splitRange(dims[1] * dims[2], 5)) edtPassX(mask, dims, spacing, 'background', border, split, rows);
  for (const z of splitRange(dims[2], 3)) edtPassY(split, dims, spacing, border, z);
  for (const y of splitRange(dims[1], 4)) edtPassZ(split, dims, spacing, border, y);
  assert.deepEqual(split, whole);
  assert.ok(whole.some((v) => v > 4), 'some voxels lie deep inside');
});

test('bad sizes are refused with a message naming the function', () => {
  assert.throws(() => squaredEdt(new Uint8Array(5), [2, 2, 2], [1, 1, 1], { to: 'background' }), /squaredEdt: mask has 5 voxels/);
});
