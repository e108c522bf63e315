import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMesh } from './meshCheck';
import { placeObjects } from './placeObjects';
import type { Mesh } from './types';

/** A closed tetrahedron at `at`, wound outward. */
const tet = (at: [number, number, number]): Mesh => ({
  positions: new Float32Array([0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10].map((x, i) => x + at[i % 3])),
  indices: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]),
});

test('objects placed on the bed move together: one transform, the lowest point of all at z = 0', () => {
  const objects = [{ mesh: tet([100, -50, 300]), name: 'a' }, { mesh: tet([130, -50, 320]), name: 'b' }];
  const { objects: placed, space } = placeObjects(objects, { where: 'bed', scalePercent: 50 });
  assert.equal(space, undefined, 'no patient space on the bed');
  let minZ = Infinity;
  for (const o of placed) for (let i = 2; i < o.mesh.positions.length; i += 3) minZ = Math.min(minZ, o.mesh.positions[i]);
  assert.equal(minZ, 0);
  // the vector between the two objects' first vertices keeps its length, halved
  const d = (m: Mesh[]) => Math.hypot(m[1].positions[0] - m[0].positions[0], m[1].positions[1] - m[0].positions[1], m[1].positions[2] - m[0].positions[2]);
  assert.ok(Math.abs(d(placed.map((o) => o.mesh)) - d(objects.map((o) => o.mesh)) / 2) < 1e-3);
  for (const o of placed) assert.ok(checkMesh(o.mesh).volumeMm3 > 0, 'still wound outward');
  assert.deepEqual(placed.map((o) => o.name), ['a', 'b']);
});

test('as scanned: untouched and declared LPS; scaled: no patient space', () => {
  const objects = [{ mesh: tet([1, 2, 3]) }];
  const same = placeObjects(objects, { where: 'scanner', scalePercent: 100 });
  assert.equal(same.space, 'LPS');
  assert.equal(same.objects[0].mesh, objects[0].mesh);
  const scaled = placeObjects(objects, { where: 'scanner', scalePercent: 200 });
  assert.equal(scaled.space, undefined);
  assert.equal(scaled.objects[0].mesh.positions[3], 22);
});
