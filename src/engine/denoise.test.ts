import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curvatureDiffusion } from '../../workers/core/anisotropicDiffusion';
import { medianFilter } from '../../workers/core/median';
import { HU, makeHeadPhantom } from '../../workers/core/phantom';
import type { Volume } from '../../workers/core/types';
import { meshApi } from '../../workers/meshApi';
import { denoisedCopy, DenoiseSuperseded } from './denoise';

const DIMS: [number, number, number] = [40, 36, 24];
const speckled = (): Volume => makeHeadPhantom({ dims: DIMS, speckle: 0.01 });
const always = { current: () => true };

test('median: a new shared copy equal to the core filter run in place; the scan is left as it was', async () => {
  const scan = speckled();
  const before = scan.data.slice();
  const copy = await denoisedCopy([meshApi, meshApi], scan, 'median', always);
  assert.notEqual(copy.data.buffer, scan.data.buffer);
  assert.ok(copy.data.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(scan.data, before, 'the scan is unchanged');
  const reference = speckled();
  await medianFilter([meshApi], reference);
  assert.deepEqual(copy.data, reference.data);
  assert.deepEqual([copy.dims, copy.spacing, copy.origin, copy.direction], [scan.dims, scan.spacing, scan.origin, scan.direction]);
  // the speckle is gone: fewer bone-valued voxels than in the scan
  const bone = (d: Int16Array) => d.reduce((n, v) => n + (v === HU.bone ? 1 : 0), 0);
  assert.ok(bone(copy.data) < bone(scan.data), `${bone(copy.data)} vs ${bone(scan.data)} bone voxels`);
});

test('anisotropic: equal to the core filter on the same volume, progress rising to 1', async () => {
  const scan = speckled();
  const before = scan.data.slice();
  const seen: number[] = [];
  const copy = await denoisedCopy([meshApi], scan, 'anisotropic', { current: () => true, onProgress: (f) => seen.push(f) });
  assert.deepEqual(scan.data, before);
  const reference = speckled();
  await curvatureDiffusion([meshApi], reference);
  assert.deepEqual(copy.data, reference.data);
  assert.ok(seen.length >= 2 && seen.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > seen[i - 1])), `progress ${seen.join(', ')}`);
  assert.equal(seen.at(-1), 1);
});

test('a run replaced by a newer choice stops with DenoiseSuperseded before filtering every slice', async () => {
  const scan = speckled();
  const before = scan.data.slice();
  let calls = 0;
  const counting = { ...meshApi, medianSlices: (...a: Parameters<typeof meshApi.medianSlices>) => (calls++, meshApi.medianSlices(...a)) };
  // replaced after its first z range
  await assert.rejects(denoisedCopy([counting], scan, 'median', { current: () => calls === 0 }), DenoiseSuperseded);
  assert.equal(calls, 1, 'no z range runs once the run is replaced');
  await assert.rejects(denoisedCopy([meshApi], scan, 'anisotropic', { current: () => false }), DenoiseSuperseded);
  assert.deepEqual(scan.data, before);
});
