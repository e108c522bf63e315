import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepLargestComponent } from './components';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { makeHeadPhantom } from './phantom';
import { thresholdMask } from './threshold';
import { WARM_DIMS, warmIsosurface, warmKernels } from './warmUp';

test('the warm-up runs the build\'s mask and isosurface stages for real: its two stitched slabs equal the one-slab surface of the phantom\'s largest piece, closed', () => {
  const warm = warmIsosurface();
  const vol = makeHeadPhantom({ dims: WARM_DIMS });
  const range = { lower: 300, upper: 32767 };
  const mask = thresholdMask(vol, range);
  keepLargestComponent(mask, vol.dims);
  const whole = marchingCubes(vol, range, mask);
  assert.ok(whole.indices.length / 3 > 10_000, 'enough triangles to compile the loops');
  assert.deepEqual(warm.indices, whole.indices);
  assert.deepEqual(warm.positions, whole.positions);
  assert.ok(warm.positions.buffer instanceof SharedArrayBuffer, 'in shared memory, as a build\'s joined mesh');
  const r = checkMesh(warm);
  assert.equal(r.boundaryEdges, 0);
  assert.equal(r.nonManifoldEdges, 0);
});

test('the warm-up also smooths and decimates a copy of its surface (the WebAssembly kernels): closed, a tenth of the triangles, the surface left as it was', () => {
  const warm = warmIsosurface();
  const before = warm.positions.slice();
  const r = warmKernels(warm);
  assert.deepEqual(warm.positions, before, 'the warm-up\'s surface untouched');
  assert.ok(r.trianglesOut <= r.trianglesIn / 10 + 2 && r.trianglesOut > r.trianglesIn / 20, `${r.trianglesIn} → ${r.trianglesOut} triangles`);
  const report = checkMesh(r.mesh);
  assert.equal(report.boundaryEdges, 0);
  assert.equal(report.nonManifoldEdges, 0);
  assert.deepEqual(r.stages.map((s) => s.name), ['order by slab', 'half-edges', 'smoothing', 'quadrics', 'collapse passes', 'compact']);
});
