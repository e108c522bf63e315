import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampCrop, cropIsEmpty, cropVoxelCount, fullCrop, isFullCrop, mm3ToVoxels, zeroOutsideCrop, type CropBox } from './maskOps';
import { thresholdMask } from './threshold';
import { rng } from './testVolumes';
import type { Vec3 } from './types';

const dims: Vec3 = [23, 17, 13];
const n = dims[0] * dims[1] * dims[2];
const inBox = (c: CropBox, v: number) => {
  const i = v % dims[0], j = Math.floor(v / dims[0]) % dims[1], k = Math.floor(v / (dims[0] * dims[1]));
  return i >= c.min[0] && i <= c.max[0] && j >= c.min[1] && j <= c.max[1] && k >= c.min[2] && k <= c.max[2];
};
const r = rng(42);
const vol = { dims, data: Int16Array.from({ length: n }, () => Math.round(-1000 + 2500 * r())) };

test('fullCrop and clampCrop', () => {
  assert.deepEqual(fullCrop(dims), { min: [0, 0, 0], max: [22, 16, 12] });
  assert.deepEqual(clampCrop(undefined, dims), fullCrop(dims));
  assert.ok(isFullCrop(clampCrop({ min: [-5, -1, -100], max: [99, 16, 12] }, dims), dims));
  // bounds in either order; fractional bounds shrink to whole voxels inside
  assert.deepEqual(clampCrop({ min: [10, 12, 3], max: [2, 4, 7] }, dims), { min: [2, 4, 3], max: [10, 12, 7] });
  assert.deepEqual(clampCrop({ min: [1.2, 2.9, 0], max: [5.8, 6, 40] }, dims), { min: [2, 3, 0], max: [5, 6, 12] });
  // boxes wholly outside the volume, or thinner than a voxel, are empty
  for (const c of [{ min: [30, 0, 0], max: [40, 5, 5] }, { min: [0, 0, -9], max: [5, 5, -1] }, { min: [3.2, 0, 0], max: [3.8, 5, 5] }] as CropBox[]) {
    const k = clampCrop(c, dims);
    assert.ok(cropIsEmpty(k), JSON.stringify(c));
    assert.equal(cropVoxelCount(k), 0);
  }
  assert.equal(cropVoxelCount(clampCrop({ min: [1, 2, 3], max: [4, 4, 4] }, dims)), 4 * 3 * 2);
});

test('thresholdMask with a crop: zero outside, identical to the uncropped mask inside', () => {
  const range = { lower: 100, upper: 900 };
  const full = thresholdMask(vol, range);
  for (const c of [
    { min: [3, 2, 1], max: [19, 14, 10] },
    { min: [0, 0, 5], max: [22, 16, 5] },
    { min: [7, 0, 0], max: [7, 16, 12] },
    { min: [-4, 10, 2], max: [40, 30, 99] }, // clamped
  ] as CropBox[]) {
    const box = clampCrop(c, dims);
    const out = thresholdMask(vol, range, new Uint8Array(n).fill(9), undefined, c);
    let inside = 0;
    for (let v = 0; v < n; v++) {
      if (inBox(box, v)) {
        assert.equal(out[v], full[v]);
        inside += out[v];
      } else assert.equal(out[v], 0);
    }
    assert.ok(inside > 0);
    // Workers splitting z (each writes only its slices) give the same mask.
    const split = new Uint8Array(n).fill(9);
    for (const z of [[0, 4], [4, 5], [5, 13]] as [number, number][]) thresholdMask(vol, range, split, z, c);
    assert.deepEqual(split, out);
  }
  // the full box and no box agree; an empty box gives an empty mask
  assert.deepEqual(thresholdMask(vol, range, undefined, undefined, fullCrop(dims)), full);
  assert.equal(thresholdMask(vol, range, new Uint8Array(n).fill(1), undefined, { min: [50, 0, 0], max: [60, 3, 3] }).reduce((a, b) => a + b, 0), 0);
});

test('thresholdMask: fractional and out-of-int16 bounds', () => {
  const v = { dims: [6, 1, 1] as Vec3, data: Int16Array.of(-32768, -1, 0, 299, 300, 32767) };
  assert.deepEqual([...thresholdMask(v, { lower: 299.5, upper: 1e9 })], [0, 0, 0, 0, 1, 1]);
  assert.deepEqual([...thresholdMask(v, { lower: -1e9, upper: -0.5 })], [1, 1, 0, 0, 0, 0]);
  assert.deepEqual([...thresholdMask(v, { lower: 0, upper: 299 })], [0, 0, 1, 1, 0, 0]);
  assert.deepEqual([...thresholdMask(v, { lower: 300, upper: 299 })], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...thresholdMask(v, { lower: -32768, upper: 32767 })], [1, 1, 1, 1, 1, 1]);
  assert.deepEqual([...thresholdMask(v, { lower: -Infinity, upper: Infinity })], [1, 1, 1, 1, 1, 1]);
  assert.deepEqual([...thresholdMask(v, { lower: NaN, upper: 1000 })], [0, 0, 0, 0, 0, 0]);
});

test('zeroOutsideCrop clears exactly the outside of the box, only in the given slices', () => {
  const c = clampCrop({ min: [2, 3, 4], max: [20, 9, 8] }, dims);
  const m = new Uint8Array(n).fill(1);
  zeroOutsideCrop(m, dims, c, [0, 6]);
  const slice = dims[0] * dims[1];
  for (let v = 0; v < n; v++) assert.equal(m[v], v >= 6 * slice || inBox(c, v) ? 1 : 0);
});

test('mm3ToVoxels', () => {
  assert.equal(mm3ToVoxels(100, [0.9, 0.9, 1.25]), Math.ceil(100 / (0.9 * 0.9 * 1.25)));
  assert.equal(mm3ToVoxels(1, [0.5, 0.5, 4]), 1);
  assert.equal(mm3ToVoxels(1.0000001, [0.5, 0.5, 4]), 2);
});
