import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutLayout, GAP_MM } from './cutLayout';
import { loadManifold } from './manifoldKernel';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { placedSize } from './printFacts';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import type { Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };
// a long ellipsoid, semi-axes 100 × 25 × 20 mm, meshed at 1 mm
const vol = volumeFrom([206, 56, 46], [1, 1, 1], (x, y, z) => (Math.hypot(x / 100, y / 25, z / 20) - 1) * 20);
const ellipsoid = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));

test('a 200 mm ellipsoid at 75 % on a 80 × 60 × 50 mm bed: parts that each fit as laid out, in a row on z = 0, volumes summing to the whole', async () => {
  const wasm = await loadManifold();
  const bed: Vec3 = [80, 60, 50];
  const layout = cutLayout(wasm, ellipsoid, 75, bed)!;
  assert.ok(layout.fitsBed);
  assert.equal(layout.objects.length, 2, '150 mm long at 75 %: two parts under 80 mm');
  let sum = 0, lastRight = -Infinity;
  layout.objects.forEach((o, i) => {
    const r = checkMesh(o.mesh);
    assertPrintable(r, `part ${i}`);
    assert.equal(r.shells, 1);
    const size = placedSize(o.mesh);
    for (let k = 0; k < 3; k++) assert.ok(size[k] <= bed[k] + 1e-3, `part ${i} side ${k}: ${size[k]} mm on ${bed[k]}`);
    assert.equal(r.bbox.min[2], 0);
    assert.ok(r.bbox.min[0] >= lastRight + GAP_MM - 1e-3, 'in a row, apart');
    lastRight = r.bbox.max[0];
    assert.equal(o.name, `Part ${i + 1} of 2`);
    sum += r.volumeMm3;
  });
  const whole = checkMesh(ellipsoid).volumeMm3 * 0.75 ** 3;
  assert.ok(Math.abs(sum / whole - 1) < 0.001, `${sum} vs ${whole}`);
});

test('a model that fits whole is not cut (null: written as placed)', async () => {
  const wasm = await loadManifold();
  assert.equal(cutLayout(wasm, ellipsoid, 100, [256, 256, 256]), null);
});
