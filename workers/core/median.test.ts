import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianFilter, medianSlices } from './median';
import { sharedBytes } from './sharedMemory';
import type { Vec3, Volume } from './types';
import { meshApi } from '../meshApi';
import { createNodePool } from '../nodePool';

const volumeOf = (dims: Vec3, at: (x: number, y: number, z: number) => number): Volume => {
  const data = new Int16Array(sharedBytes(2 * dims[0] * dims[1] * dims[2]));
  for (let z = 0, p = 0; z < dims[2]; z++) for (let y = 0; y < dims[1]; y++) for (let x = 0; x < dims[0]; x++) data[p++] = at(x, y, z);
  return { dims, spacing: [1, 1, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
};

/** A reproducible pseudo-random sequence (xorshift32). */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** The definition: sort the 3 × 3 window (edges repeated, ITK's zero-flux Neumann border) and take the 5th. */
function bruteForce(vol: Volume): Int16Array {
  const [nx, ny, nz] = vol.dims;
  const out = new Int16Array(vol.data.length);
  const at = (x: number, y: number, z: number) => vol.data[Math.min(nx - 1, Math.max(0, x)) + nx * (Math.min(ny - 1, Math.max(0, y)) + ny * z)];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const w: number[] = [];
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) w.push(at(x + dx, y + dy, z));
        w.sort((a, b) => a - b);
        out[x + nx * (y + ny * z)] = w[4];
      }
  return out;
}

test('3 × 3 × 1 median equals sorting every window, borders included (random int16, odd sizes)', () => {
  const r = random(7);
  for (const dims of [[17, 13, 4], [1, 5, 2], [6, 1, 1], [2, 2, 3]] as Vec3[]) {
    const vol = volumeOf(dims, () => Math.floor(r() * 65536) - 32768);
    const want = bruteForce(vol);
    medianSlices(vol.data, dims, [0, dims[2]]);
    assert.deepEqual([...vol.data], [...want], `dims ${dims}`);
  }
});

test('salt and pepper noise on a flat region is removed exactly', () => {
  const dims: Vec3 = [40, 30, 3];
  // isolated outliers: at most one in any 3 × 3 window
  const vol = volumeOf(dims, (x, y) => (x % 4 === 1 && y % 4 === 1 ? ((x + y) % 8 === 2 ? 3000 : -1000) : 40));
  assert.ok(vol.data.some((v) => v === 3000) && vol.data.some((v) => v === -1000));
  medianSlices(vol.data, dims, [0, 3]);
  assert.ok(vol.data.every((v) => v === 40));
});

test('a step edge (in x, and in z between slices) keeps its place exactly', () => {
  const dims: Vec3 = [32, 20, 6];
  const step = (x: number, _y: number, z: number) => (x < 13 ? -100 : 200) + (z < 3 ? 0 : 1000);
  const vol = volumeOf(dims, step);
  medianSlices(vol.data, dims, [0, dims[2]]);
  assert.deepEqual([...vol.data], [...volumeOf(dims, step).data]);
});

test('median only touches the slices of its z range', () => {
  const dims: Vec3 = [9, 9, 4];
  const r = random(3);
  const vol = volumeOf(dims, () => Math.floor(r() * 1000));
  const before = vol.data.slice();
  medianSlices(vol.data, dims, [1, 3]);
  const plane = 81;
  assert.deepEqual([...vol.data.subarray(0, plane)], [...before.subarray(0, plane)]);
  assert.deepEqual([...vol.data.subarray(3 * plane)], [...before.subarray(3 * plane)]);
  assert.notDeepEqual([...vol.data.subarray(plane, 3 * plane)], [...before.subarray(plane, 3 * plane)]);
});

test('split over 2 worker threads (and over 1, 3 and 5 in-process workers) equals one thread bit for bit', async () => {
  const dims: Vec3 = [64, 48, 23];
  const make = () => {
    const s = random(11);
    return volumeOf(dims, () => Math.floor(s() * 4000) - 1000);
  };
  const reference = make();
  medianSlices(reference.data, dims, [0, dims[2]]);
  for (const n of [1, 3, 5]) {
    const vol = make();
    await medianFilter(Array(n).fill(meshApi), vol);
    assert.deepEqual(vol.data, reference.data, `${n} in-process workers`);
  }
  const pool = createNodePool(2);
  try {
    const vol = make();
    await medianFilter(pool.workers, vol);
    assert.deepEqual(vol.data, reference.data);
  } finally {
    await pool.close();
  }
});
