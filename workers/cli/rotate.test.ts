import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMesh } from '../core/meshCheck';
import type { Mesh } from '../core/types';
import { axisRotation, boxCentre, rotateMesh } from './rotate';

/** A closed box [x0, x0 + a] × [y0, y0 + b] × [z0, z0 + c], wound outward. */
function box(a: number, b: number, c: number, at: [number, number, number]): Mesh {
  const positions = new Float32Array(24);
  for (let i = 0; i < 8; i++) positions.set([at[0] + (i & 1 ? a : 0), at[1] + (i & 2 ? b : 0), at[2] + (i & 4 ? c : 0)], 3 * i);
  // prettier-ignore
  const indices = new Uint32Array([0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, 0, 1, 4, 1, 5, 4, 2, 6, 3, 3, 6, 7, 0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5]);
  return { positions, indices };
}

const extents = (m: Mesh) => {
  const r = checkMesh(m);
  return r.bbox.max.map((x, a) => x - r.bbox.min[a]);
};

test('90° about Z swaps the x and y extents exactly, about the model\'s centre, closed and with its volume', () => {
  const m = box(10, 30, 50, [100, -200, 300]);
  assert.ok(Math.abs(checkMesh(m).volumeMm3 - 15000) < 1e-6);
  const r = rotateMesh(m, 'Z', 90);
  assert.deepEqual(extents(r), [30, 10, 50]);
  assert.deepEqual(boxCentre(r), boxCentre(m));
  const c = checkMesh(r);
  assert.ok(c.closed && c.manifold && c.oriented);
  assert.ok(Math.abs(c.volumeMm3 - 15000) < 1e-6);
  assert.deepEqual(extents(rotateMesh(m, 'X', 90)), [10, 50, 30]);
  assert.deepEqual(extents(rotateMesh(m, 'Y', -90)), [50, 30, 10]);
  assert.deepEqual(extents(rotateMesh(m, 'Y', 180)), [10, 30, 50]);
});

test("right-handed as VTK's RotateZ: +90° takes +x to +y; 45° gives the diagonal", () => {
  const R = axisRotation('Z', 90);
  assert.deepEqual([R[0] * 1 + R[1] * 0, R[4] * 1 + R[5] * 0, R[8]], [0, 1, 0]);
  const Rx = axisRotation('X', 90); // +y → +z
  assert.deepEqual([Rx[1], Rx[5], Rx[9]], [0, 0, 1]);
  const Ry = axisRotation('Y', 90); // +z → +x
  assert.deepEqual([Ry[2], Ry[6], Ry[10]], [1, 0, 0]);
  const e = extents(rotateMesh(box(10, 10, 4, [0, 0, 0]), 'Z', 45));
  assert.ok(Math.abs(e[0] - 10 * Math.SQRT2) < 1e-4 && Math.abs(e[1] - 10 * Math.SQRT2) < 1e-4 && e[2] === 4, String(e));
});
