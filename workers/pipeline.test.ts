import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import { makeHeadPhantom } from './core/phantom';
import { buildMesh, sharedBytes } from './core/pipeline';
import { keepLargestComponent } from './core/components';
import { thresholdMask } from './core/threshold';
import { meshApi } from './meshApi';
import { createNodePool } from './nodePool';

const dims: [number, number, number] = [128, 128, 80];
const phantom = makeHeadPhantom({ dims, data: new Int16Array(sharedBytes(128 * 128 * 80 * 2)) });
const range = { lower: 300, upper: 32767 };

test('the pipeline over 2 real worker threads equals the single-thread mesh exactly', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const reference = marchingCubes(phantom, range, mask);
  const pool = createNodePool(2);
  try {
    const { mesh, components, stages } = await buildMesh(pool.workers, phantom, range, { keepLargest: true });
    assert.deepEqual(mesh.positions, reference.positions);
    assert.deepEqual(mesh.indices, reference.indices);
    assert.equal(components!.pieces, 2);
    assert.deepEqual(stages.map((s) => s.name), ['mask', 'components', 'isosurface', 'stitch']);
  } finally {
    await pool.close();
  }
});

test('without keep-largest the table stays: two closed shells', async () => {
  const { mesh, components } = await buildMesh([meshApi, meshApi, meshApi], phantom, range, { keepLargest: false });
  assert.equal(components, null);
  const r = checkMesh(mesh);
  assert.equal(r.shells, 2);
  assert.equal(r.closed && r.manifold && r.oriented, true);
});
