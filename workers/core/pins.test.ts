import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutByPlanes } from './cut';
import { fromManifold, loadManifold, toManifold, type ManifoldToplevel } from './manifoldKernel';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { PIN_SEGMENTS, pinVolumes } from './pins';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import { fractionAt, meshBounds, userPlane } from './userPlane';
import type { Mesh, Vec3 } from './types';

const PINS = { diameterMm: 4, lengthMm: 8, clearanceMm: 0.2 };
const { pinMm3, holeMm3 } = pinVolumes(PINS);
const near = (a: number, b: number, rel = 0.01) => Math.abs(a - b) <= rel * Math.abs(b);

/** A box of the given sides with its corner at the origin. */
const box = (wasm: ManifoldToplevel, size: Vec3): Mesh => {
  const m = wasm.Manifold.cube(size);
  const mesh = fromManifold(m);
  m.delete();
  return mesh;
};

/** Centres (x, y, z) of the separate pieces of a solid, by their bounding boxes. */
function pieceCentres(wasm: ManifoldToplevel, mesh: Mesh): Vec3[] {
  const s = toManifold(wasm, mesh);
  const out = s.decompose().map((p) => {
    const { min, max } = p.boundingBox();
    p.delete();
    return [0, 1, 2].map((k) => (min[k] + max[k]) / 2) as Vec3;
  });
  s.delete();
  return out;
}

/**
 * Cuts `mesh` across x = `at` with and without pins and checks: n pins; every part closed, manifold and
 * one shell; the lower part gains n pins' volume and the upper loses n holes' (within 1 % of the 32-sided
 * prisms'); every pin on the axis of a hole (within 0.01 mm) and clear of the upper part by the clearance.
 */
async function checkPins(mesh: Mesh, at: number, n: number, what: string) {
  const wasm = await loadManifold();
  const plane = { normal: [1, 0, 0] as Vec3, offset: at };
  const plain = cutByPlanes(wasm, mesh, [plane]);
  const pinned = cutByPlanes(wasm, mesh, [plane], { pins: PINS });
  assert.equal(pinned.pins, n, `${what}: pins`);
  assert.equal(pinned.facesWithoutPins, n ? 0 : 1, `${what}: faces without pins`);
  assert.equal(pinned.parts.length, 2);
  pinned.parts.forEach((p, i) => {
    const r = checkMesh(p.mesh);
    assertPrintable(r, `${what}: part ${i}`);
    assert.equal(r.shells, 1, `${what}: part ${i} is one piece`);
  });
  const [lo, hi] = pinned.parts.map((p) => p.volumeMm3);
  const [lo0, hi0] = plain.parts.map((p) => p.volumeMm3);
  if (!n) {
    assert.ok(Math.abs(lo - lo0) < 1e-6 * lo0 && Math.abs(hi - hi0) < 1e-6 * hi0, `${what}: no pin, no change`);
    return;
  }
  assert.ok(near(lo - lo0, n * pinMm3), `${what}: the pinned part gains ${lo - lo0} mm³, expected ${n * pinMm3}`);
  assert.ok(near(hi0 - hi, n * holeMm3), `${what}: the holed part loses ${hi0 - hi} mm³, expected ${n * holeMm3}`);
  // the pins: what of the lower part lies beyond the plane; the holes: the upper part's lost material
  const low = toManifold(wasm, pinned.parts[0].mesh), high = toManifold(wasm, pinned.parts[1].mesh), high0 = toManifold(wasm, plain.parts[1].mesh);
  const pins = low.trimByPlane([1, 0, 0], at + 1e-3), holes = high0.subtract(high);
  const pinAt = pieceCentres(wasm, fromManifold(pins)), holeAt = pieceCentres(wasm, fromManifold(holes));
  assert.equal(pinAt.length, n);
  assert.equal(holeAt.length, n);
  for (const p of pinAt) {
    const d = Math.min(...holeAt.map((h) => Math.hypot(p[1] - h[1], p[2] - h[2])));
    assert.ok(d < 0.01, `${what}: a pin's axis is ${d} mm off its hole's`);
  }
  const overlap = pins.intersect(high);
  assert.ok(overlap.volume() < 1e-6, `${what}: a pin runs into the other part (${overlap.volume()} mm³)`);
  const gap = pins.minGap(high, 1);
  const lowest = PINS.clearanceMm * Math.cos(Math.PI / PIN_SEGMENTS); // prism faces are a hair nearer than their corners
  assert.ok(gap >= lowest - 1e-3 && gap <= PINS.clearanceMm + 1e-3, `${what}: pin clearance ${gap} mm`);
  for (const m of [low, high, high0, pins, holes, overlap]) m.delete();
}

test('a 80 × 80 mm cut face gets 3 pins, spread over it', async () => {
  const wasm = await loadManifold();
  await checkPins(box(wasm, [100, 80, 80]), 50, 3, '80 × 80 face');
});

test('a 80 × 30 mm cut face gets 2 pins, a 20 × 20 mm face 1, a 10 × 10 mm face none (and says so)', async () => {
  const wasm = await loadManifold();
  await checkPins(box(wasm, [100, 80, 30]), 40, 2, '80 × 30 face');
  await checkPins(box(wasm, [100, 20, 20]), 40, 1, '20 × 20 face');
  await checkPins(box(wasm, [100, 10, 10]), 40, 0, '10 × 10 face');
});

test('a pin too close to the end of its part is left out (it would break through): a 3 mm slice gets none', async () => {
  const wasm = await loadManifold();
  const cut = cutByPlanes(wasm, box(wasm, [100, 80, 80]), [{ normal: [1, 0, 0], offset: 3 }], { pins: PINS });
  assert.equal(cut.pins, 0);
  assert.equal(cut.facesWithoutPins, 1);
});

test('pins across a tilted user plane through a long ellipsoid: both parts closed, volumes as the prisms', async () => {
  const wasm = await loadManifold();
  const RANGE = { lower: 0, upper: 32767 };
  const vol = volumeFrom([206, 56, 46], [1, 1, 1], (x, y, z) => (Math.hypot(x / 100, y / 25, z / 20) - 1) * 20);
  const ellipsoid = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
  const plane = userPlane(ellipsoid, { axis: 0, at: fractionAt(meshBounds(ellipsoid), 0, 90), tiltDeg: [15, 10] });
  const plain = cutByPlanes(wasm, ellipsoid, [plane]);
  const pinned = cutByPlanes(wasm, ellipsoid, [plane], { pins: PINS });
  assert.ok(pinned.pins >= 1 && pinned.pins <= 3, `${pinned.pins} pins`);
  pinned.parts.forEach((p, i) => {
    const r = checkMesh(p.mesh);
    assertPrintable(r, `tilted part ${i}`);
    assert.equal(r.shells, 1);
  });
  assert.ok(near(pinned.parts[0].volumeMm3 - plain.parts[0].volumeMm3, pinned.pins * pinMm3));
  assert.ok(near(plain.parts[1].volumeMm3 - pinned.parts[1].volumeMm3, pinned.pins * holeMm3));
});
