import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDirection, applyPoint, invertAffine, placementMatrix } from './affine';
import { multiply4, placeMesh, rotationBetween, transformMesh, type Placement } from './placement';
import type { Mesh } from './types';

/** A box 40 × 20 × 6 mm, tilted and off the origin: on the bed it turns onto a big face. */
function tiltedBox(): Mesh {
  const P: number[] = [];
  for (const x of [-20, 20]) for (const y of [-10, 10]) for (const z of [-3, 3]) P.push(x, y, z);
  const I = [0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7, 3];
  const box = { positions: new Float32Array(P), indices: new Uint32Array(I) };
  const m = rotationBetween([0, 0, 1], [0.3, -0.5, 0.81]);
  m[3] = 12;
  m[7] = -40;
  m[11] = 200;
  return transformMesh(box, m);
}

test('placementMatrix is what placeMesh applies: as scanned at 150 %, and on the bed (turned, centred, on z = 0) at 80 %', () => {
  const mesh = tiltedBox();
  for (const placement of [{ where: 'scanner', scalePercent: 150 }, { where: 'bed', scalePercent: 80 }] as Placement[]) {
    const placed = placeMesh(mesh, placement);
    const m = placementMatrix(mesh, placement);
    for (let i = 0; i < mesh.positions.length; i += 3) {
      const p = applyPoint(m, [mesh.positions[i], mesh.positions[i + 1], mesh.positions[i + 2]]);
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(p[k] - placed.positions[i + k]) < 1e-3, `${placement.where} vertex ${i / 3}: ${p} vs ${placed.positions.slice(i, i + 3)}`);
    }
  }
  // on the bed the box lies on a 40 × 20 face: the matrix turns the tilted normal onto −z
  const bed = placementMatrix(mesh, { where: 'bed', scalePercent: 100 });
  const n = applyDirection(bed, [0.3, -0.5, 0.81]);
  assert.ok(Math.abs(Math.abs(n[2]) - 1) < 1e-6, `${n}`);
});

test('invertAffine undoes a scaled rotation with a shift; directions come back unit', () => {
  const m = multiply4([2.5, 0, 0, 7, 0, 2.5, 0, -3, 0, 0, 2.5, 11, 0, 0, 0, 1], rotationBetween([1, 0, 0], [0.2, 0.9, -0.3]));
  const back = multiply4(invertAffine(m), m);
  back.forEach((x, i) => assert.ok(Math.abs(x - [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i]) < 1e-12, `${back}`));
  const d = applyDirection(m, [0, 0, 3]);
  assert.ok(Math.abs(Math.hypot(...d) - 1) < 1e-12);
  assert.throws(() => invertAffine([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), RangeError);
});
