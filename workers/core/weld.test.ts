import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weldTriangles } from './weld';

test('weldTriangles merges bit-identical corners of a triangle soup', () => {
  // A tetrahedron as 4 separate triangles (12 corners, 4 distinct points).
  const p = [
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const faces = [
    [0, 2, 1],
    [0, 1, 3],
    [0, 3, 2],
    [1, 2, 3],
  ];
  const soup = new Float32Array(faces.flatMap((f) => f.flatMap((i) => p[i])));
  const mesh = weldTriangles(soup);
  assert.equal(mesh.positions.length, 12);
  assert.equal(mesh.indices.length, 12);
  // Each triangle's corners map back to the original coordinates.
  for (let c = 0; c < 12; c++) {
    const v = mesh.indices[c];
    assert.deepEqual(Array.from(mesh.positions.subarray(3 * v, 3 * v + 3)), Array.from(soup.subarray(3 * c, 3 * c + 3)));
  }
  // -0 and +0 differ in bits: welding is exact, it never merges points that are not identical.
  const signed = weldTriangles(new Float32Array([0, 0, 0, -0, 0, 0, 1, 1, 1]));
  assert.equal(signed.positions.length, 9);
});
