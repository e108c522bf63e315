import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsampleVolume, previewFactors } from './downsample';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { BONE, volumeFrom } from './testVolumes';
import type { Volume } from './types';

test('downsample: block averages at the blocks centres; a sphere keeps its place and volume', () => {
  const r = 20;
  const vol = volumeFrom([80, 80, 64], [0.5, 0.5, 0.8], (x, y, z) => Math.hypot(x, y, z) - r);
  const f = previewFactors(vol, 80 * 80 * 64 / 8);
  assert.ok(f[0] * f[1] * f[2] >= 8, `factors ${f}`);
  assert.ok(f[2] <= f[0], 'the coarse axis (z) is coarsened least');
  const small = downsampleVolume(vol, f);
  assert.ok(small.data.length <= 80 * 80 * 64 / 8);
  // value of coarse voxel (1,2,3) = mean of its block
  let sum = 0;
  for (let z = 3 * f[2]; z < 4 * f[2]; z++) for (let y = 2 * f[1]; y < 3 * f[1]; y++) for (let x = f[0]; x < 2 * f[0]; x++) sum += vol.data[x + 80 * (y + 80 * z)];
  assert.equal(small.data[1 + small.dims[0] * (2 + small.dims[1] * 3)], Math.round(sum / (f[0] * f[1] * f[2])));
  const full = checkMesh(marchingCubes(vol, BONE));
  const coarse = checkMesh(marchingCubes(small, BONE));
  const centre = (m: typeof full) => m.bbox.min.map((v, a) => (v + m.bbox.max[a]) / 2);
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(centre(coarse)[a] - centre(full)[a]) < 0.05, `centre axis ${a}: ${centre(coarse)} vs ${centre(full)}`);
  assert.ok(Math.abs(coarse.volumeMm3 / ((4 / 3) * Math.PI * r ** 3) - 1) < 0.03, `coarse volume ${coarse.volumeMm3}`);
  assert.ok(coarse.closed && coarse.manifold);
});

test('downsample: oblique directions carry over, and odd sizes keep a partial last block', () => {
  const c = Math.SQRT1_2;
  const vol: Volume = { dims: [5, 3, 2], spacing: [1, 2, 3], origin: [10, 20, 30], direction: [c, c, 0, -c, c, 0, 0, 0, 1], data: Int16Array.from({ length: 30 }, (_, i) => i) };
  const s = downsampleVolume(vol, [2, 1, 1]);
  assert.deepEqual(s.dims, [3, 3, 2]);
  assert.deepEqual(s.spacing, [2, 2, 3]);
  assert.deepEqual(s.direction, vol.direction);
  // block centre of (0,0,0) is half a voxel along dirI from voxel 0
  assert.ok(Math.abs(s.origin[0] - (10 + 0.5 * c)) < 1e-12 && Math.abs(s.origin[1] - (20 + 0.5 * c)) < 1e-12);
  assert.equal(s.data[2], 4); // the last block holds voxel 4 alone
});
