import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishHollow, hollowChunks, hollowMask, hollowSlices, innerRegion, prepareHollow, volumeBefore, voxelVolume } from './hollow';
import { marchingCubes, splitSlabs } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { classifyShells } from './shells';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { binaryVolume, volumeFrom } from './testVolumes';
import { splitRange } from './split';
import type { Vec3, Volume } from './types';

const RANGE = { lower: 0, upper: 32767 };

/** A sphere of radius R (mm) on a grid of spacing s, centred slightly off the grid's symmetry. */
function sphere(R: number, s: number): Volume {
  const n = Math.ceil((2 * R + 3) / s);
  return volumeFrom([n, n, n], [s, s, s], (x, y, z) => Math.hypot(x - 0.013, y - 0.031, z - 0.007) - R);
}

// 1 mm walls need 0.25 mm voxels for 1 %: a 1 mm wall is then 4 voxels; measured −0.4 % (0.5 mm
// voxels: −1.9 %, a wall of two voxels).
for (const [wall, R, s] of [[1, 15, 0.25], [2, 30, 0.5], [5, 30, 0.5]]) {
  test(`hollow sphere, ${wall} mm wall (R ${R} mm, ${s} mm voxels): shell volume within 1 % of analytic, inner shell inverted, closed`, () => {
    const vol = sphere(R, s);
    const mask = thresholdMask(vol, RANGE);
    const res = hollowMask(mask, vol, { wallMm: wall, values: { data: vol.data, range: RANGE } });
    const mesh = marchingCubes(vol, RANGE, mask);
    const report = checkMesh(mesh);
    assertPrintable(report, `hollow ${wall} mm`);
    assert.equal(report.shells, 2);
    const analytic = (4 / 3) * Math.PI * (R ** 3 - (R - wall) ** 3);
    const err = report.volumeMm3 / analytic - 1;
    assert.ok(Math.abs(err) < 0.01, `mesh shell volume ${report.volumeMm3.toFixed(0)} vs ${analytic.toFixed(0)} mm³ (${(100 * err).toFixed(2)} %)`);
    const shells = classifyShells(mesh);
    assert.deepEqual([shells.solids, shells.voids, shells.inverted], [1, 1, 0]);
    const inner = shells.shells.find((x) => x.kind === 'void')!;
    const innerAnalytic = (4 / 3) * Math.PI * (R - wall) ** 3;
    assert.ok(Math.abs(-inner.volumeMm3 / innerAnalytic - 1) < 0.01, `inner shell ${inner.volumeMm3} mm³, wound inward`);
    // the report: material saved ≈ the cavity, and the counts agree
    assert.equal(res.cavities, 1);
    assert.ok(Math.abs(res.savedMm3 / innerAnalytic - 1) < 0.01, `saved ${res.savedMm3} vs ${innerAnalytic}`);
    assert.ok(Math.abs(res.solidBeforeMm3 - res.solidAfterMm3 - res.savedMm3) < 1e-6);
    assert.equal(res.drains.length, 0);
  });
}

test('an automatic drain hole at the lowest point joins cavity and outside: one closed shell', () => {
  const vol = sphere(20, 0.5);
  const mask = thresholdMask(vol, RANGE);
  const down: Vec3 = [0, 0, -1];
  const res = hollowMask(mask, vol, { wallMm: 2, values: { data: vol.data, range: RANGE }, drain: { diameterMm: 3, autoDown: down } });
  assert.equal(res.drains.length, 1);
  const d = res.drains[0];
  assert.ok(d.opensCavity, 'the hole reaches the cavity');
  assert.ok(d.throughMm > 1.5 && d.throughMm < 3, `drilled ${d.throughMm} mm of a 2 mm wall`);
  // the hole starts at the cavity's lowest point: the bottom of the sphere, less the wall
  const centreZ = ((vol.dims[2] - 1) / 2) * 0.5;
  assert.ok(Math.abs(d.at[2] - (centreZ - 18)) < 0.6, `lowest cavity point at z ${d.at[2]}`);
  assert.ok(d.voxels > 0 && res.voxelsRemoved > d.voxels);
  const report = checkMesh(marchingCubes(vol, RANGE, mask));
  assertPrintable(report, 'hollow with a drain');
  assert.equal(report.shells, 1, 'cavity and outside are one surface');
  // a hole of 3 mm through a 2 mm wall removes about π·1.5²·2 mm³ more (plus the slanted rims)
  const holeMm3 = d.voxels * voxelVolume(vol);
  assert.ok(holeMm3 > 10 && holeMm3 < 40, `hole volume ${holeMm3}`);
});

test('a drain hole clicked on the surface, pointing in, opens the cavity; one that misses the model says so', () => {
  const vol = sphere(20, 0.5);
  const mask = thresholdMask(vol, RANGE);
  const c = ((vol.dims[0] - 1) / 2) * 0.5;
  const res = hollowMask(mask, vol, {
    wallMm: 3,
    values: { data: vol.data, range: RANGE },
    drain: {
      diameterMm: 2,
      holes: [
        { at: [c + 20, c, c], direction: [-1, 0, 0] },
        { at: [c + 30, c + 30, c], direction: [1, 0, 0] }, // points away from the model
      ],
    },
  });
  assert.ok(res.drains[0].opensCavity);
  assert.ok(Math.abs(res.drains[0].throughMm - 3) < 0.75, `drilled ${res.drains[0].throughMm}`);
  assert.equal(res.drains[1].throughMm, 0);
  assert.equal(res.drains[1].voxels, 0);
  const report = checkMesh(marchingCubes(vol, RANGE, mask));
  assertPrintable(report, 'clicked drain');
  assert.equal(report.shells, 1);
});

test('chunked cavity test (a pool splitting slices) equals the whole-grid result, on anisotropic voxels', () => {
  const vol = volumeFrom([60, 50, 24], [0.6, 0.7, 1.5], (x, y, z) => Math.hypot(x / 1.2, y, z) - 14);
  const values = { data: vol.data, range: RANGE };
  const mask = thresholdMask(vol, RANGE);
  const whole = new Uint8Array(mask.length);
  innerRegion(mask, vol.dims, vol.spacing, 2.5, [0, vol.dims[2]], whole, values);
  const parts = new Uint8Array(mask.length);
  for (const z of splitRange(vol.dims[2], 5)) innerRegion(mask, vol.dims, vol.spacing, 2.5, z, parts, values);
  assert.deepEqual(parts, whole);
  assert.ok(whole.some((v) => v === 1));
  // and hollowMask with tiny chunks gives the same mask
  const a = thresholdMask(vol, RANGE), b = thresholdMask(vol, RANGE);
  hollowMask(a, vol, { wallMm: 2.5, values });
  hollowMask(b, vol, { wallMm: 2.5, values, chunkVoxels: 60 * 50 * 3 });
  assert.deepEqual(a, b);
  const report = checkMesh(marchingCubes(vol, RANGE, a));
  assertPrintable(report, 'anisotropic hollow');
  assert.equal(report.shells, 2);
});

test('cavities under minCavityMm3 stay solid; a model thinner than two walls is left alone', () => {
  // two balls: radius 10 and radius 4 (a 2 mm wall leaves a cavity of radius ~2: 33 mm³)
  const vol = volumeFrom([70, 40, 40], [0.5, 0.5, 0.5], (x, y, z) => Math.min(Math.hypot(x + 6, y, z) - 10, Math.hypot(x - 11, y, z) - 4));
  const values = { data: vol.data, range: RANGE };
  const both = thresholdMask(vol, RANGE);
  assert.equal(hollowMask(both, vol, { wallMm: 2, values }).cavities, 2);
  const big = thresholdMask(vol, RANGE);
  const r = hollowMask(big, vol, { wallMm: 2, values, minCavityMm3: 100 });
  assert.equal(r.cavities, 1);
  assert.equal(classifyShells(marchingCubes(vol, RANGE, big)).voids, 1);
  const thin = thresholdMask(vol, RANGE);
  const before = thin.slice();
  assert.equal(hollowMask(thin, vol, { wallMm: 12, values }).voxelsRemoved, 0);
  assert.deepEqual(thin, before);
});

test('without values the mask alone is hollowed (crossings half way), and bad options are refused clearly', () => {
  const vol = sphere(10, 0.5);
  const mask = thresholdMask(vol, RANGE);
  const r = hollowMask(mask, vol, { wallMm: 2 });
  const analytic = (4 / 3) * Math.PI * 8 ** 3;
  assert.ok(Math.abs(r.savedMm3 / analytic - 1) < 0.05, `saved ${r.savedMm3} vs ${analytic}`);
  assert.throws(() => hollowMask(mask, vol, { wallMm: 0 }), /hollow: the wall thickness must be > 0 mm/);
  assert.throws(() => hollowMask(mask, vol, { wallMm: 1, drain: { diameterMm: -1, autoDown: [0, 0, -1] } }), /drain hole diameter/);
  assert.throws(() => hollowMask(new Uint8Array(3), vol, { wallMm: 1 }), /hollow: mask has 3 voxels/);
});

test('an existing void deep inside joins the cavity: no loose shell of wall floats in it', () => {
  // a ball of radius 20 with a void of radius 3 at its centre and one of radius 0.8 within the 4 mm wall
  const vol = volumeFrom([90, 90, 90], [0.5, 0.5, 0.5], (x, y, z) =>
    Math.max(Math.hypot(x, y, z) - 20, 3 - Math.hypot(x, y, z), 0.8 - Math.hypot(x - 18, y, z)),
  );
  const values = { data: vol.data, range: RANGE };
  const mask = thresholdMask(vol, RANGE);
  const before = classifyShells(marchingCubes(vol, RANGE, mask));
  assert.deepEqual([before.solids, before.voids], [1, 2]);
  const res = hollowMask(mask, vol, { wallMm: 4, values });
  const after = classifyShells(marchingCubes(vol, RANGE, mask));
  // the outer wall, the new cavity (the central void inside it), and the void within the wall
  assert.deepEqual([after.solids, after.voids, after.inverted], [1, 2, 0]);
  const analytic = (4 / 3) * Math.PI * (16 ** 3 - 3 ** 3);
  assert.ok(Math.abs(res.savedMm3 / analytic - 1) < 0.02, `saved ${res.savedMm3} vs ${analytic} (the old void was not material)`);
});

test('slices thicker than the wall (3 mm, 2 mm wall): the cavity stays enclosed, one piece, no crumbs', () => {
  const vol = volumeFrom([70, 70, 14], [0.5, 0.5, 3], (x, y, z) => Math.hypot(x, y, z) - 16);
  const values = { data: vol.data, range: RANGE };
  const mask = thresholdMask(vol, RANGE);
  const res = hollowMask(mask, vol, { wallMm: 2, values });
  assert.equal(res.cavities, 1);
  assert.equal(res.crumbVoxels, 0);
  const mesh = marchingCubes(vol, RANGE, mask);
  assertPrintable(checkMesh(mesh), 'thick slices');
  const shells = classifyShells(mesh);
  assert.deepEqual([shells.solids, shells.voids, shells.inverted], [1, 1, 0]);
  // the top and bottom walls are a whole slice (3 mm) at least; the sides about 2 mm
  assert.ok(res.savedMm3 > 0.4 * (4 / 3) * Math.PI * 14 ** 3, `saved ${res.savedMm3}`);
});

test('a pocket open to the outside only at an edge is not a void: the cavity keeps its wall there and stays enclosed', () => {
  // a 28 mm cube on 1 mm voxels with a one-voxel pocket at depth 2 whose only way out is an edge of
  // the voxel in the face layer next to it (emptied); face-connected labelling calls the pocket a
  // void, marching cubes joins it to the outside
  const pocket = (i: number, j: number, k: number) => (i === 2 && j === 14 && k === 14) || (i === 1 && j === 15 && k === 14);
  const vol = binaryVolume([30, 30, 30], (i, j, k) => i >= 1 && i <= 28 && j >= 1 && j <= 28 && k >= 1 && k <= 28 && !pocket(i, j, k));
  const mask = thresholdMask(vol, RANGE);
  const before = classifyShells(marchingCubes(vol, RANGE, mask));
  assert.deepEqual([before.solids, before.voids], [1, 0], 'the pocket is open in the surface');
  const res = hollowMask(mask, vol, { wallMm: 2, values: { data: vol.data, range: RANGE } });
  assert.equal(res.cavities, 1);
  const mesh = marchingCubes(vol, RANGE, mask);
  assertPrintable(checkMesh(mesh), 'hollow cube with a pocket');
  const after = classifyShells(mesh);
  assert.deepEqual([after.solids, after.voids, after.inverted], [1, 1, 0], 'the cavity is enclosed');
  assert.ok(Math.abs(after.solidMm3 - (28 ** 3 - res.savedMm3 - 2)) < 0.05 * after.solidMm3);
});

test('a small object in a large grid: the work is on its box, in steps a pool can share, with the same result', () => {
  const vol = volumeFrom([120, 100, 60], [0.5, 0.5, 0.5], (x, y, z) => Math.hypot(x - 10, y + 5, z - 2) - 8);
  const values = { data: vol.data, range: RANGE };
  const a = thresholdMask(vol, RANGE), b = thresholdMask(vol, RANGE);
  const whole = hollowMask(a, vol, { wallMm: 2, values });
  const job = prepareHollow(b, vol, { wallMm: 2, values });
  const [bx, by, bz] = job.geometry.dims;
  assert.ok(bx <= 36 && by <= 36 && bz <= 36, `box ${job.geometry.dims}`);
  // the box's origin is its first voxel's position
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(job.geometry.origin[k] - job.lo[k] * 0.5) < 1e-9);
  for (const z of hollowChunks(job, 3)) hollowSlices(job, z);
  // the surface's volume before carving, by cell layers: the whole grid's isosurface volume
  const before = splitSlabs(bz, 4).reduce((s, layers) => s + volumeBefore(job, layers), 0);
  assert.ok(Math.abs(before - checkMesh(marchingCubes(vol, RANGE, thresholdMask(vol, RANGE))).volumeMm3) < 1e-6 * before, `${before}`);
  const parts = finishHollow(job, b, { wallMm: 2 });
  assert.deepEqual(parts, whole);
  assert.deepEqual(b, a);
  assert.equal(whole.cavities, 1);
});
