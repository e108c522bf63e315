import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutByPlanes, cutToFit, fitOnBed, type Bed } from './cut';
import { loadManifold } from './manifoldKernel';
import { pinVolumes } from './pins';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { transformMesh, rotationBetween, multiply4 } from './placement';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import type { Mesh, Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };

/** A long ellipsoid, semi-axes 100 × 25 × 20 mm, meshed at 1 mm. */
function ellipsoid(): Mesh {
  const vol = volumeFrom([206, 56, 46], [1, 1, 1], (x, y, z) => (Math.hypot(x / 100, y / 25, z / 20) - 1) * 20);
  return marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
}

/** After the part's fit rotation, its box lies within the bed's. */
function assertFits(mesh: Mesh, rotation: number[], bed: Bed, what: string) {
  const r = checkMesh(transformMesh(mesh, rotation));
  const size = [0, 1, 2].map((k) => r.bbox.max[k] - r.bbox.min[k]);
  const dims = [bed.widthMm, bed.depthMm, bed.heightMm];
  for (let k = 0; k < 3; k++) assert.ok(size[k] <= dims[k] + 1e-3, `${what}: side ${k} is ${size[k]} mm on a ${dims[k]} mm bed`);
}

test('a 200 mm ellipsoid on an 80 mm bed: 3 parts that each fit, volumes summing to the whole within 0.1 %, every part closed', async () => {
  const wasm = await loadManifold();
  const mesh = ellipsoid();
  const whole = checkMesh(mesh).volumeMm3;
  const bed: Bed = { widthMm: 80, depthMm: 80, heightMm: 80 };
  const cut = cutToFit(wasm, mesh, { bed });
  assert.ok(cut.fitsBed);
  assert.equal(cut.parts.length, 3, 'fewest parts: 200 mm in slabs of under 80');
  assert.equal(cut.planes.length, 2);
  let sum = 0;
  cut.parts.forEach((p, i) => {
    const r = checkMesh(p.mesh);
    assertPrintable(r, `part ${i}`);
    assert.equal(r.shells, 1);
    assert.ok(Math.abs(r.volumeMm3 - p.volumeMm3) < 1e-3 * p.volumeMm3);
    assertFits(p.mesh, p.fit!.rotation, bed, `part ${i}`);
    sum += r.volumeMm3;
  });
  assert.ok(Math.abs(sum / whole - 1) < 0.001, `parts ${sum} vs whole ${whole}`);
});

test('a tilted ellipsoid is cut along its own long axis (minimal box), not the scanner axes', async () => {
  const wasm = await loadManifold();
  const turn = multiply4(rotationBetween([1, 0, 0], [0.6, 0.64, 0.48]), rotationBetween([0, 0, 1], [0, 0.6, 0.8]));
  const mesh = transformMesh(ellipsoid(), turn);
  const bed: Bed = { widthMm: 120, depthMm: 60, heightMm: 90 };
  const cut = cutToFit(wasm, mesh, { bed });
  assert.ok(cut.fitsBed);
  assert.equal(cut.parts.length, 2, '200 mm along its axis, in two of 100 mm on a 120 mm side');
  const axis = cut.planes[0].normal;
  const long = [0.6, 0.64, 0.48];
  assert.ok(Math.abs(Math.abs(axis[0] * long[0] + axis[1] * long[1] + axis[2] * long[2]) - 1) < 0.02, `cut normal ${axis}`);
  for (const p of cut.parts) {
    assertPrintable(checkMesh(p.mesh), 'tilted part');
    assertFits(p.mesh, p.fit!.rotation, bed, 'tilted part');
  }
});

test('alignment pins on the automatic cut: pins on one side of each cut, matching holes on the other; volumes as the prisms; parts stay closed and fit', async () => {
  const wasm = await loadManifold();
  const mesh = ellipsoid();
  const bed: Bed = { widthMm: 80, depthMm: 80, heightMm: 80 };
  const pins = { diameterMm: 4, lengthMm: 8, clearanceMm: 0.25 };
  const plain = cutToFit(wasm, mesh, { bed });
  const pinned = cutToFit(wasm, mesh, { bed, pins });
  assert.equal(pinned.parts.length, 3);
  // each cut face (an ellipse about 47 × 38 mm) has room for two pins 24 mm (6 diameters) or more apart
  assert.equal(pinned.pins, 4, 'two pins per cut');
  assert.equal(pinned.facesWithoutPins, 0);
  const { pinMm3, holeMm3 } = pinVolumes(pins);
  const delta = pinned.parts.map((p, i) => p.volumeMm3 - plain.parts[i].volumeMm3);
  // part 0 has pins only, part 1 holes and pins, part 2 holes only: within 1 % of the prisms' volumes
  const near = (a: number, b: number) => Math.abs(a - b) < 0.01 * Math.abs(b);
  assert.ok(near(delta[0], 2 * pinMm3), `part 0 gains ${delta[0]}`);
  assert.ok(near(delta[1], 2 * pinMm3 - 2 * holeMm3), `part 1 gains ${delta[1]}`);
  assert.ok(near(delta[2], -2 * holeMm3), `part 2 gains ${delta[2]}`);
  pinned.parts.forEach((p, i) => {
    const r = checkMesh(p.mesh);
    assertPrintable(r, `pinned part ${i}`);
    assert.equal(r.shells, 1);
    assertFits(p.mesh, p.fit!.rotation, bed, `pinned part ${i}`);
  });
});

test('a model that fits is left whole; a plane of your own cuts it in two closed halves', async () => {
  const wasm = await loadManifold();
  const mesh = ellipsoid();
  const cut = cutToFit(wasm, mesh, { bed: { widthMm: 250, depthMm: 60, heightMm: 50 } });
  assert.equal(cut.parts.length, 1);
  assert.equal(cut.parts[0].mesh, mesh);
  const fit = fitOnBed(wasm, mesh, { widthMm: 60, depthMm: 250, heightMm: 50 })!;
  assert.ok(fit.sizeMm[1] > 195 && fit.sizeMm[1] <= 250, `long side along the bed's depth: ${fit.sizeMm}`);
  assert.equal(fitOnBed(wasm, mesh, { widthMm: 150, depthMm: 150, heightMm: 150 }), null, '200 mm fits no way in 150 (not even diagonally in this version)');
  const halves = cutByPlanes(wasm, mesh, [{ normal: [1, 0, 0] as Vec3, offset: 102.5 }]).parts; // the grid centre: (206 − 1) / 2
  assert.equal(halves.length, 2);
  const vol = halves.map((h) => {
    const r = checkMesh(h.mesh);
    assertPrintable(r, 'half');
    return r.volumeMm3;
  });
  assert.ok(Math.abs(vol[0] - vol[1]) < 0.01 * vol[0]);
  assert.throws(() => cutToFit(wasm, mesh, { bed: { widthMm: 0, depthMm: 80, heightMm: 80 } }), /bed's widthMm must be > 0/);
  const open = { positions: mesh.positions, indices: mesh.indices.slice(3) };
  assert.throws(() => cutToFit(wasm, open, { bed: { widthMm: 80, depthMm: 80, heightMm: 80 } }), /the model is not a closed, oriented 2-manifold/);
});
