import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pieceFacts, placedSize, wallFacts } from './printFacts';
import { marchingCubes } from './marchingCubes';
import { placeMesh } from './placement';
import { volumeFrom } from './testVolumes';

const RANGE = { lower: 0, upper: 32767 };
// a ball of 12 mm radius with a 9 mm hole in its middle (a 3 mm wall), 0.5 mm voxels
const shell = marchingCubes(volumeFrom([60, 60, 60], [0.5, 0.5, 0.5], (x, y, z) => Math.max(Math.hypot(x, y, z) - 12, 9 - Math.hypot(x, y, z))), RANGE);

test('a hollow ball is 1 solid + 1 enclosed void of the hole\'s volume', () => {
  const f = pieceFacts(shell);
  assert.deepEqual([f.solids, f.voids, f.inverted], [1, 1, 0]);
  const hole = (4 / 3) * Math.PI * 9 ** 3;
  assert.ok(Math.abs(f.voidMm3 / hole - 1) < 0.02, `${f.voidMm3} mm³ vs ${hole}`);
});

test('thinnest wall of a 3 mm ball shell within half a voxel; thin patches only under a larger minimum', () => {
  const thick = wallFacts(shell, 2);
  assert.ok(thick.thinnest && Math.abs(thick.thinnest.mm - 3) < 0.25, `${thick.thinnest?.mm}`);
  assert.equal(thick.thinCount, 0);
  // the map comes along, one value a vertex, and reads the 3 mm wall where it is measured
  assert.equal(thick.thicknessMm.length, shell.positions.length / 3);
  const measured = [...thick.thicknessMm].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  assert.ok(measured.length > 0.99 * thick.thicknessMm.length, `${measured.length} of ${thick.thicknessMm.length} measured`);
  const median = measured[measured.length >> 1];
  assert.ok(Math.abs(median - 3) < 0.25, `median ${median}`);
  const thin = wallFacts(shell, 4);
  assert.ok(thin.thinCount >= 1 && thin.thin.length >= 1);
  assert.ok(thin.thin[0].mm < 4 && thin.thin[0].areaMm2 > 100, JSON.stringify(thin.thin[0]));
});

test('the placed size follows the placement: on the bed at 50 %, half the size, lowest point at z = 0', () => {
  const scanner = placedSize(shell);
  const bed = placeMesh(shell, { where: 'bed', scalePercent: 50 });
  const half = placedSize(bed);
  // a ball: any side down gives the same box
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(half[a] - scanner[a] / 2) < 0.3, `${half} vs ${scanner}`);
  let minZ = Infinity;
  for (let i = 2; i < bed.positions.length; i += 3) minZ = Math.min(minZ, bed.positions[i]);
  assert.equal(minZ, 0);
  assert.deepEqual(placedSize({ positions: new Float32Array(0), indices: new Uint32Array(0) }), [0, 0, 0]);
  assert.equal(placeMesh(shell, { where: 'scanner', scalePercent: 100 }), shell);
});
