import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addBase, flatCut } from './base';
import { firstLayer } from './firstLayer';
import { loadManifold } from './manifoldKernel';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import type { Mesh, Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };
const DOWN: Vec3 = [0, 0, -1];

/** An ellipsoid standing on its tip: semi-axes 15 × 12 × 40 mm (long axis along z), 1 mm voxels. */
function egg(): Mesh {
  const vol = volumeFrom([36, 30, 86], [1, 1, 1], (x, y, z) => (Math.hypot(x / 15, y / 12, z / 40) - 1) * 12);
  return marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
}

test('an ellipsoid on its tip does not hold; a box on its face holds the face', () => {
  const m = egg();
  const tip = firstLayer(m, DOWN);
  assert.equal(tip.holds, false);
  // a cap 0.2 mm high on a tip of curvature radius 3.6–5.6 mm: 2π·r·0.2 ≈ 5–7 mm²
  assert.ok(tip.contactAreaMm2 > 3 && tip.contactAreaMm2 < 9, `tip contact ${tip.contactAreaMm2} mm²`);
  const box = volumeFrom([30, 30, 20], [1, 1, 1], (x, y, z) => Math.max(Math.abs(x) - 10, Math.abs(y) - 8, Math.abs(z) - 5));
  const bm = marchingCubes(box, RANGE, thresholdMask(box, RANGE));
  const face = firstLayer(bm, DOWN);
  assert.ok(face.holds);
  // the face is 20 × 16 mm, its rim rounded by a voxel
  assert.ok(face.contactAreaMm2 > 0.85 * 320 && face.contactAreaMm2 <= 330, `box face ${face.contactAreaMm2} mm²`);
  assert.ok(Math.abs(face.lowestMm - -(((20 - 1) / 2) - 5.5)) < 0.6, `lowest ${face.lowestMm}`);
});

test('a base slab under the tip makes a first layer that holds, joined and closed', async () => {
  const wasm = await loadManifold();
  const m = egg();
  const before = checkMesh(m);
  for (const footprint of ['hull', 'rectangle'] as const) {
    const based = addBase(wasm, m, DOWN, { thicknessMm: 2, footprint, marginMm: 1 });
    const r = checkMesh(based);
    assertPrintable(r, `base (${footprint})`);
    assert.equal(r.shells, 1, 'the model stands in the slab: one piece');
    const layer = firstLayer(based, DOWN);
    assert.ok(layer.holds, `${footprint}: ${layer.contactAreaMm2} mm²`);
    // the slab's footprint: the ellipse seen from below (30 × 24 mm, area ~565 mm²) grown by 1 mm
    const lo = footprint === 'hull' ? 560 : 750, hi = footprint === 'hull' ? 720 : 900;
    assert.ok(layer.contactAreaMm2 > lo && layer.contactAreaMm2 < hi, `${footprint}: ${layer.contactAreaMm2} mm²`);
    assert.ok(Math.abs(r.bbox.min[2] - (before.bbox.min[2] - 2)) < 1e-3, 'the slab hangs 2 mm below the old lowest point');
    assert.ok(r.volumeMm3 > before.volumeMm3 + 2 * 560);
  }
});

test('a flat cut at the bottom makes a first layer that holds, capped closed', async () => {
  const wasm = await loadManifold();
  const m = egg();
  const before = checkMesh(m);
  const cut = flatCut(wasm, m, DOWN, { minAreaMm2: 50 });
  const r = checkMesh(cut.mesh);
  assertPrintable(r, 'flat cut');
  assert.equal(r.shells, 1);
  assert.ok(cut.contactAreaMm2 >= 50 && cut.contactAreaMm2 < 60, `face ${cut.contactAreaMm2} mm²`);
  // an ellipse section of 50 mm² at depth d: π·15·12·(2d/40) ≈ 50 → d ≈ 1.8 mm (the tip is a little blunt)
  assert.ok(cut.depthMm > 0.5 && cut.depthMm < 3, `depth ${cut.depthMm}`);
  assert.ok(Math.abs(r.bbox.min[2] - (before.bbox.min[2] + cut.depthMm)) < 1e-3);
  const layer = firstLayer(cut.mesh, DOWN);
  // the flat face, plus the sides' lowest 0.2 mm seen from below
  assert.ok(layer.holds && layer.contactAreaMm2 >= cut.contactAreaMm2 - 0.01 && layer.contactAreaMm2 < cut.contactAreaMm2 + 10, `${layer.contactAreaMm2} vs ${cut.contactAreaMm2}`);
  const fixed = flatCut(wasm, m, DOWN, { depthMm: 5 });
  assertPrintable(checkMesh(fixed.mesh), 'flat cut 5 mm');
  assert.equal(fixed.depthMm, 5);
  assert.throws(() => flatCut(wasm, m, DOWN, { depthMm: 500 }), /flat cut: the depth must be between 0 and the model's height/);
  assert.throws(() => addBase(wasm, m, DOWN, { thicknessMm: 0 }), /base: the slab thickness must be > 0 mm/);
});
