import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_LEVEL_RANGE, labelLevels } from './labelLevels';
import { squaredSurfaceDistance } from './surfaceDistance';
import type { Vec3 } from './types';

test('label levels: the share of the 3 × 3 × 3 block, split over slices as one pass', () => {
  const dims: Vec3 = [5, 4, 6];
  const mask = new Uint8Array(5 * 4 * 6);
  mask[2 + 5 * (1 + 4 * 2)] = 1; // one voxel
  for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) mask[i + 5 * (j + 4 * 5)] = 1; // the top slice full
  const whole = labelLevels(mask, dims, new Int16Array(mask.length));
  assert.equal(whole[2 + 5 * (1 + 4 * 2)], Math.round(2000 / 27) - 1000, 'a lone voxel: 1 of 27');
  assert.equal(whole[0], -1000);
  assert.equal(whole[2 + 5 * (1 + 4 * 5)], Math.round((2000 * 9) / 27) - 1000, 'a full top slice: 9 of 27 (beyond the grid is unset)');
  assert.equal(whole[2 + 5 * (1 + 4 * 4)], Math.round((2000 * 9) / 27) - 1000, 'below it: 9 of 27');
  const split = new Int16Array(mask.length);
  for (const z of [[0, 2], [2, 3], [3, 6]] as [number, number][]) labelLevels(mask, dims, split, z);
  assert.deepEqual(split, whole);
});

test('walls from a label\'s level ½ read the smooth surface: a 12 mm ball at 0.5 mm voxels, centres 1.5–2.5 mm deep', () => {
  const dims: Vec3 = [56, 56, 56], s = 0.5, r = 12;
  const c = dims.map((n) => ((n - 1) / 2) * s);
  const depth = new Float64Array(56 ** 3);
  const mask = new Uint8Array(56 ** 3);
  for (let p = 0; p < mask.length; p++) {
    const i = p % 56, j = Math.floor(p / 56) % 56, k = Math.floor(p / 56 / 56);
    depth[p] = r - Math.hypot(i * s - c[0] - 0.03, j * s - c[1] - 0.02, k * s - c[2] - 0.01);
    mask[p] = depth[p] >= 0 ? 1 : 0;
  }
  const levels = labelLevels(mask, dims, new Int16Array(mask.length));
  const staircase = squaredSurfaceDistance({ mask }, dims, [s, s, s]);
  const smooth = squaredSurfaceDistance({ mask, data: levels, range: LABEL_LEVEL_RANGE }, dims, [s, s, s]);
  let a = 0, b = 0, n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (depth[p] < 1.5 || depth[p] > 2.5) continue;
    a += Math.sqrt(staircase[p]) - depth[p];
    b += Math.sqrt(smooth[p]) - depth[p];
    n++;
  }
  console.log(`staircase ${(a / n).toFixed(3)} mm, level ½ ${(b / n).toFixed(3)} mm over ${n} voxels`);
  assert.ok(a / n < -0.07, `the staircase reads walls short: ${(a / n).toFixed(3)} mm`);
  assert.ok(Math.abs(b / n) < 0.03, `the level ½ reads them within 0.03 mm: ${(b / n).toFixed(3)} mm`);
});
