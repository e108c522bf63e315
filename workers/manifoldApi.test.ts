import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPoint } from './core/affine';
import { marchingCubes } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import { placeMesh } from './core/placement';
import { classifyShells } from './core/shells';
import { assertPrintable } from './core/testAssert';
import { volumeFrom } from './core/testVolumes';
import { thresholdMask } from './core/threshold';
import type { Mesh, Vec3 } from './core/types';
import { manifoldApi } from './manifoldApi';

// manifold-3d's worker API in Node: drain holes as a step of the file, and the meshes each file holds.
const api = manifoldApi();
const RANGE = { lower: 0, upper: 32767 };
const S = 0.5;

/** A 36 × 24 × 16 mm box (centre 10, −20, 50) with a ball-shaped cavity of radius 5 off its centre: 3 mm of wall under it. */
function hollowBox(): Mesh {
  const n: Vec3 = [84, 60, 44];
  const vol = volumeFrom(n, [S, S, S], (u, v, w) => {
    const box = Math.max(Math.abs(u) - 18, Math.abs(v) - 12, Math.abs(w) - 8);
    return Math.max(box, -(Math.hypot(u - 6, v, w) - 5));
  });
  const m = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
  const c = n.map((k) => ((k - 1) / 2) * S);
  const at = [10, -20, 50];
  for (let i = 0; i < m.positions.length; i += 3) for (let k = 0; k < 3; k++) m.positions[i + k] += at[k] - c[k];
  return m;
}

test('drain: holes drilled where the file places the model (on the bed at 200 %), clicks kept in model mm, the view the file itself', async () => {
  const mesh = hollowBox();
  const before = checkMesh(mesh);
  // a click on the box's +x face (model mm), straight in towards the cavity
  const click = { at: [28, -20, 50] as Vec3, inward: [-1, 0, 0] as Vec3 };
  const d = await api.drain(mesh, { where: 'bed', scalePercent: 200 }, { diameterMm: 3, clicks: [click], minVoidMm3: 100 });
  assert.deepEqual(d.report.holes.map((h) => [h.kind, h.cut]), [['auto', true], ['click', true]], JSON.stringify(d.report.holes));
  assert.deepEqual([d.report.voidsBefore, d.report.voidsAfter, d.report.smallVoids], [1, 0, 0]);
  assert.ok(d.placement.down, 'the placement keeps the "down" the holes were drilled for');
  // the view is the whole file: the model (in its own mm) placed as returned, closed
  const view = placeMesh(d.mesh, d.placement);
  assert.deepEqual(d.view.positions, view.positions);
  assertPrintable(checkMesh(d.view), 'drained view');
  const shells = classifyShells(d.view);
  assert.deepEqual([shells.solids, shells.voids], [1, 0]);
  // at 200 % the walls are 6 mm (automatic, from below) and 14 mm (the +x face is 13 mm from the cavity... measured at the axis)
  const [auto, clicked] = d.report.holes;
  assert.ok(Math.abs(auto.wallMm - 6) < 0.6, `auto wall ${auto.wallMm}`);
  assert.ok(Math.abs(clicked.wallMm - 2 * (18 - 6 - 5)) < 0.6, `clicked wall ${clicked.wallMm}`);
  // the automatic hole leaves through the bottom (z = 0 on the bed); the clicked one where the click maps
  assert.ok(Math.abs(auto.at[2]) < 0.05, `${auto.at}`);
  const clickAt = applyPoint(d.toFile, click.at);
  assert.ok(Math.hypot(clicked.at[0] - clickAt[0], clicked.at[1] - clickAt[1], clicked.at[2] - clickAt[2]) < 0.6, `${clicked.at} vs ${clickAt}`);
  // what they took: two 3 mm cylinders through 6 and 14 mm of wall (32-gons), reported in printed mm³
  const cylinders = Math.PI * 1.5 ** 2 * (auto.wallMm + clicked.wallMm);
  assert.ok(Math.abs(d.report.removedMm3 / cylinders - 1) < 0.1, `removed ${d.report.removedMm3} mm³, cylinders ${cylinders}`);
  assert.ok(Math.abs(8 * before.volumeMm3 - checkMesh(d.view).volumeMm3 - d.report.removedMm3) < 1, 'removed = the volume lost');
  // the model in its own mm: as before, less the holes at half scale
  assert.ok(Math.abs(before.volumeMm3 - checkMesh(d.mesh).volumeMm3 - d.report.removedMm3 / 8) < 0.5);
});

test('drain: a void under the minimum is counted, not drilled; a click on solid material is refused with the reason', async () => {
  const mesh = hollowBox();
  const d = await api.drain(mesh, { where: 'scanner', scalePercent: 100 }, { diameterMm: 2, clicks: [{ at: [16, -20, 58], inward: [0, 0, -1] }], minVoidMm3: 1000 });
  // the cavity is 524 mm³: under 1000
  assert.equal(d.report.smallVoids, 1);
  assert.equal(d.report.holes.length, 1);
  assert.equal(d.report.holes[0].cut, true, 'the click above the cavity opens it');
  const solid = await api.drain(mesh, { where: 'scanner', scalePercent: 100 }, { diameterMm: 2, clicks: [{ at: [-8, -20, 58], inward: [0, 0, -1] }], minVoidMm3: 1000 });
  assert.equal(solid.report.holes[0].cut, false);
  assert.match(solid.report.holes[0].why!, /no cavity/);
  assert.deepEqual(solid.mesh.positions, mesh.positions, 'nothing cut: the model as it was');
});

test('a flat base with drain holes: the automatic hole goes through the slab too; the file\'s mesh comes back with its matrix', async () => {
  const mesh = hollowBox();
  const b = await api.writeWithBase(mesh, 'stl', '', { where: 'bed', scalePercent: 100 }, 2, { diameterMm: 3, clicks: [], minVoidMm3: 0 });
  assert.ok(b.drain);
  assert.deepEqual(b.drain.holes.map((h) => h.cut), [true]);
  assert.equal(b.drain.voidsAfter, 0);
  // through 3 mm of wall and the slab under it (2 mm, 1 mm of it sunk into the model)
  assert.ok(Math.abs(b.drain.holes[0].wallMm - 5) < 0.5, `${b.drain.holes[0].wallMm}`);
  assertPrintable(checkMesh(b.mesh), 'base with a drain');
  assert.ok(Math.abs(b.drain.holes[0].at[2]) < 0.05, 'the hole opens on the bed');
  // the model's points map into the file: the box's top face is 16 mm above the model's bottom, 2 mm of base under it
  const top = applyPoint(b.toFile, [10, -20, 58]);
  assert.ok(Math.abs(top[2] - 18) < 0.3, `${top}`);
});

test('cut to fit: the parts\' meshes come back as laid out, closed, making up the whole', async () => {
  const mesh = hollowBox();
  const c = await api.cutForBed(mesh, '3mf', '', 100, [25, 25, 25]);
  assert.ok(c);
  assert.equal(c.meshes.length, c.cut.length);
  assert.ok(c.meshes.length >= 2);
  let sum = 0;
  for (const [i, m] of c.meshes.entries()) {
    const r = checkMesh(m);
    assertPrintable(r, c.cut[i].name);
    assert.ok(Math.abs(r.volumeMm3 - c.cut[i].volumeMm3) < 0.01 * r.volumeMm3);
    sum += r.volumeMm3;
  }
  assert.ok(Math.abs(sum - checkMesh(mesh).volumeMm3) < 0.005 * sum);
});
