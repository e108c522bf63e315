import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from '../../workers/core/marchingCubes';
import { checkMesh } from '../../workers/core/meshCheck';
import { binaryVolume, BONE } from '../../workers/core/testVolumes';
import { mergeMeshes } from '../../workers/core/writers';
import type { HollowStats } from '../../workers/core/pipeline';
import { largestDeviation, sumHollow, sumReports } from './segmentModel';

test('sumReports: the report of segments taken together equals the check of their merged mesh', () => {
  // a sphere, a torus (V − E + F = 0) and an empty segment, on different grids
  const sphere = marchingCubes(binaryVolume([20, 20, 20], (i, j, k) => (i - 9.5) ** 2 + (j - 9.5) ** 2 + (k - 9.5) ** 2 < 49), BONE, null);
  const torus = marchingCubes(
    binaryVolume([30, 30, 12], (i, j, k) => (Math.hypot(i - 14.5, j - 14.5) - 9) ** 2 + (k - 5.5) ** 2 < 9),
    BONE,
    null,
  );
  const empty = { positions: new Float32Array(0), indices: new Uint32Array(0) };
  for (let v = 0; v < torus.positions.length; v += 3) torus.positions[v] += 40; // apart from the sphere
  const meshes = [sphere, torus, empty];
  const whole = checkMesh(mergeMeshes(meshes));
  const summed = sumReports(meshes.map(checkMesh));
  for (const k of ['vertices', 'triangles', 'boundaryEdges', 'nonManifoldEdges', 'nonManifoldVertices', 'inconsistentEdges', 'shells', 'degenerateTriangles', 'eulerCharacteristic', 'closed', 'manifold', 'oriented'] as const)
    assert.equal(summed[k], whole[k], k);
  assert.ok(Math.abs(summed.volumeMm3 - whole.volumeMm3) < 1e-6 * whole.volumeMm3);
  assert.ok(Math.abs(summed.areaMm2 - whole.areaMm2) < 1e-6 * whole.areaMm2);
  assert.deepEqual(summed.bbox, whole.bbox);
  assert.equal(summed.shells, 2);
  assert.equal(summed.eulerCharacteristic, 2, 'sphere 2 + torus 0');
});

test('sumHollow: the material saved by hollowing segments is the sum of each one\'s; none hollowed is null', () => {
  const stats = (saved: number, cavities: number, before: number): HollowStats => ({
    voxelsBefore: 100, voxelsRemoved: saved, solidBeforeMm3: 100, solidAfterMm3: 100 - saved, savedMm3: saved, cavities, crumbVoxels: 0, drains: [], volumeBeforeMm3: before,
  });
  assert.equal(sumHollow([null, null]), null);
  const h = sumHollow([stats(40, 1, 90), null, stats(0, 0, 5), stats(10, 2, 30)])!;
  assert.deepEqual([h.savedMm3, h.cavities, h.volumeBeforeMm3, h.voxelsBefore, h.solidAfterMm3], [50, 3, 125, 300, 250]);
});

test('largestDeviation: the segments\' deviations as one, the largest figure and their times summed; none is 0', async () => {
  const of = (mm: number, ms: number) => Promise.resolve({ mm, ms });
  assert.deepEqual(await largestDeviation([of(0.2, 30), of(0, 0), of(0.45, 12)]), { mm: 0.45, ms: 42 });
  assert.deepEqual(await largestDeviation([]), { mm: 0, ms: 0 });
});
