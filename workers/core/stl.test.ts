import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBinaryStl, writeBinaryStl } from './stl';
import type { Mesh } from './types';

const tet: Mesh = {
  positions: new Float32Array([0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10.5]),
  indices: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]),
};

test('binary STL round-trips vertices, with unit outward normals and a clean header', () => {
  const buf = writeBinaryStl(tet, 'made by a test');
  assert.equal(buf.byteLength, 84 + 50 * 4);
  const stl = parseBinaryStl(buf);
  assert.equal(stl.header, 'made by a test');
  for (let t = 0; t < 4; t++) {
    for (let c = 0; c < 3; c++) {
      const v = tet.indices[3 * t + c];
      assert.deepEqual(Array.from(stl.triangles.subarray(9 * t + 3 * c, 9 * t + 3 * c + 3)), Array.from(tet.positions.subarray(3 * v, 3 * v + 3)));
    }
    const n = stl.normals.subarray(3 * t, 3 * t + 3);
    assert.ok(Math.abs(Math.hypot(n[0], n[1], n[2]) - 1) < 1e-6);
  }
  // face 0 (0,2,1) lies in z = 0 and faces −z (outward for this tetrahedron)
  assert.deepEqual(Array.from(stl.normals.subarray(0, 3)), [0, 0, -1]);
  assert.match(parseBinaryStl(writeBinaryStl(tet)).header, /^binary STL/);
});

test('a file whose size does not match its triangle count is rejected with a clear error', () => {
  const buf = writeBinaryStl(tet);
  assert.throws(() => parseBinaryStl(buf.slice(0, buf.byteLength - 1)), /header says 4 triangles/);
  assert.throws(() => parseBinaryStl(new ArrayBuffer(10)), /shorter than the 84-byte header/);
});
