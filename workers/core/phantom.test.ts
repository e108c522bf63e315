import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepLargestComponent } from './components';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { FORAMEN_MAGNUM, HU, isSpeckle, LEFT_FORAMEN, makeHeadPhantom, phantomHU, SKULL_BOX, SKULL_INNER, SKULL_OUTER, skullShellVolumeMm3, TABLE } from './phantom';
import { thresholdMask } from './threshold';
import { rng } from './testVolumes';

const phantom = makeHeadPhantom();
const [nx, ny] = phantom.dims;
const at = (x: number, y: number, z: number) => {
  const i = Math.round((x - phantom.origin[0]) / phantom.spacing[0]);
  const j = Math.round((y - phantom.origin[1]) / phantom.spacing[1]);
  const k = Math.round((z - phantom.origin[2]) / phantom.spacing[2]);
  return phantom.data[i + nx * (j + ny * k)];
};

test('phantom geometry and tissue values', () => {
  assert.deepEqual(phantom.dims, [256, 256, 160]);
  assert.deepEqual(phantom.spacing, [0.9, 0.9, 1.25]);
  assert.ok(Math.abs(at(0, -10, 5) - HU.brain) <= 1, 'brain at the centre');
  assert.equal(at(0, -10, 5 + (SKULL_OUTER[2] + SKULL_INNER[2]) / 2), HU.bone, 'vertex of the skull');
  assert.equal(at(110, -110, 95), HU.air, 'corner');
  assert.equal(at(0, (TABLE.y0 + TABLE.y1) / 2, 0), HU.table, 'table');
  assert.ok(at(FORAMEN_MAGNUM.x, FORAMEN_MAGNUM.y, 5 - 80) < 300, 'foramen magnum');
  assert.ok(at(66.5, LEFT_FORAMEN.y, LEFT_FORAMEN.z) < 300, 'left foramen');
  assert.ok(at(-66.5, LEFT_FORAMEN.y, LEFT_FORAMEN.z) > 300, 'no foramen on the right: not symmetric');
});

test('the analytic skull volume matches a Monte-Carlo estimate within 0.5 %', () => {
  const r = rng(3);
  const { min, max } = SKULL_BOX;
  const box = (max[0] - min[0]) * (max[1] - min[1]) * (max[2] - min[2]);
  let hits = 0;
  const n = 2_000_000;
  for (let s = 0; s < n; s++) {
    const x = min[0] + r() * (max[0] - min[0]), y = min[1] + r() * (max[1] - min[1]), z = min[2] + r() * (max[2] - min[2]);
    if (phantomHU(x, y, z) === HU.bone) hits++;
  }
  const mc = (box * hits) / n;
  assert.ok(Math.abs(mc - skullShellVolumeMm3()) / skullShellVolumeMm3() < 0.005, `${mc} vs ${skullShellVolumeMm3()}`);
});

test('at 300 HU the table is a separate piece and keep-largest leaves the skull', () => {
  const range = { lower: 300, upper: 32767 };
  const mask = thresholdMask(phantom, range);
  const stats = keepLargestComponent(mask, phantom.dims);
  assert.equal(stats.pieces, 2);
  assert.ok(stats.removed > 0);
  const rep = checkMesh(marchingCubes(phantom, range, mask));
  assert.equal(rep.shells, 1);
  assert.ok(rep.bbox.max[1] < TABLE.y0, 'the table is gone');
  assert.equal(rep.eulerCharacteristic, 0, 'a shell with two holes through it has genus 1');
});

test('the skull mesh encloses its analytic volume within 3 % (iso level at half-max, 500 HU)', () => {
  // With partial-volume voxels the true boundary lies at half-max between scalp (0) and bone (1000).
  const rep = checkMesh(marchingCubes(phantom, { lower: 500, upper: 32767 }));
  assert.equal(rep.closed && rep.manifold && rep.oriented, true);
  const analytic = skullShellVolumeMm3();
  assert.ok(Math.abs(rep.volumeMm3 - analytic) / analytic < 0.03, `${rep.volumeMm3} vs ${analytic}`);
  for (let a = 0; a < 3; a++) {
    assert.ok(Math.abs(rep.bbox.min[a] - SKULL_BOX.min[a]) < 1, `bbox min ${a}`);
    assert.ok(Math.abs(rep.bbox.max[a] - SKULL_BOX.max[a]) < 1, `bbox max ${a}`);
  }
});

test('speckle: the given fraction of voxels, at bone value, the same voxels every time, the rest unchanged', () => {
  const dims: [number, number, number] = [48, 40, 32];
  const clean = makeHeadPhantom({ dims }).data;
  const a = makeHeadPhantom({ dims, speckle: 0.01 }).data;
  const b = makeHeadPhantom({ dims, speckle: 0.01 }).data;
  assert.deepEqual(a, b);
  let changed = 0, flagged = 0;
  for (let i = 0; i < a.length; i++) {
    if (isSpeckle(i, 0.01)) {
      flagged++;
      assert.equal(a[i], HU.bone);
    } else assert.equal(a[i], clean[i]);
    if (a[i] !== clean[i]) changed++;
  }
  // 61,440 voxels: 1 % is 614, within a few standard deviations (σ ≈ 25)
  assert.ok(Math.abs(flagged - 0.01 * a.length) < 100, `${flagged} speckle voxels`);
  assert.ok(changed > 0.8 * flagged, `${changed} voxels changed (some were bone already)`);
  assert.deepEqual(makeHeadPhantom({ dims, speckle: 0 }).data, clean);
});
