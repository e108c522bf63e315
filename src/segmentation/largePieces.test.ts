import assert from 'node:assert/strict';
import { test } from 'node:test';
import { largePiecesLeftOut, listMl, niceBelow } from './largePieces';

test('large pieces left out: those of at least a quarter of the kept piece, with a volume that keeps them all', () => {
  // the demo CT at 300 HU (27 mm³ voxels): kept 3696 voxels (99.8 mL), removed pieces of 72.7, 62.3 and 50.5 mL
  const voxelMl = 0.027;
  const stats = { pieces: 1222, kept: 3696, removed: 10815, nextLargest: [2693, 2307, 1870] };
  const r = largePiecesLeftOut(stats, voxelMl, true)!;
  assert.deepEqual(r.piecesMl.map((v) => +v.toFixed(1)), [72.7, 62.3, 50.5]);
  assert.equal(r.minPieceMl, 20);
  // a piece under a quarter of the kept one is not large; unticked, or nothing removed: nothing to say
  assert.deepEqual(largePiecesLeftOut({ ...stats, nextLargest: [2693, 900] }, voxelMl, true)!.piecesMl.length, 1);
  assert.equal(largePiecesLeftOut({ ...stats, nextLargest: [900, 10] }, voxelMl, true), null);
  assert.equal(largePiecesLeftOut(stats, voxelMl, false), null);
  assert.equal(largePiecesLeftOut({ pieces: 1, kept: 10, removed: 0, nextLargest: [] }, voxelMl, true), null);
  assert.equal(largePiecesLeftOut(null, voxelMl, true), null);
});

test('niceBelow rounds down to 1, 2 or 5 × 10ⁿ; listMl reads as a list', () => {
  assert.deepEqual([25.25, 9.99, 2, 1.5, 0.37, 0.05].map(niceBelow), [20, 5, 2, 1, 0.2, 0.05]);
  assert.equal(listMl([72.7, 62.3, 50.5]), '73, 62 and 51 mL');
  assert.equal(listMl([5.25]), '5.3 mL');
});
