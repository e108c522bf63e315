import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PieceInfo } from '../../workers/core/components';
import type { Vec3 } from '../../workers/core/types';
import { isFlat, largePiecesLeftOut, listMl } from './largePieces';

const piece = (voxels: number, seed: number, min: Vec3, max: Vec3): PieceInfo => ({ voxels, seed, min, max });
const mm3: Vec3 = [3, 3, 3];

test('large pieces left out: those of at least a quarter of the kept piece, not flat, offered as picks with the kept one', () => {
  // the demo CT at 300 HU (27 mm³ voxels): the kept piece (99.8 mL) and three more of 72.7, 62.3 and 50.5 mL
  const largest = piece(3696, 11, [30, 20, 0], [90, 70, 40]);
  const next = [piece(2693, 22, [50, 40, 30], [70, 70, 111]), piece(2307, 33, [10, 20, 0], [45, 60, 40]), piece(1870, 44, [80, 20, 0], [115, 60, 40])];
  const stats = { pieces: 1222, kept: 3696, removed: 10815, largest, nextLargest: next };
  const r = largePiecesLeftOut(stats, mm3, 0.027, true)!;
  assert.deepEqual(r.piecesMl.map((v) => +v.toFixed(1)), [72.7, 62.3, 50.5]);
  assert.deepEqual(r.seeds, [11, 22, 33, 44]);
  // a piece under a quarter of the kept one is not large
  assert.deepEqual(largePiecesLeftOut({ ...stats, nextLargest: [next[0], piece(900, 55, [0, 0, 0], [20, 20, 20])] }, mm3, 0.027, true)!.seeds, [11, 22]);
  // a CT table (a slab across the scan, as big as the skeleton) is what the box drops: never offered
  const table = piece(5000, 66, [0, 95, 0], [121, 100, 111]);
  assert.deepEqual(largePiecesLeftOut({ ...stats, nextLargest: [table, next[0]] }, mm3, 0.027, true)!.seeds, [11, 22]);
  assert.equal(largePiecesLeftOut({ ...stats, nextLargest: [table] }, mm3, 0.027, true), null);
  // unticked, or nothing removed, or no stats: nothing to say
  assert.equal(largePiecesLeftOut(stats, mm3, 0.027, false), null);
  assert.equal(largePiecesLeftOut({ pieces: 1, kept: 10, removed: 0, largest: piece(10, 1, [0, 0, 0], [1, 1, 1]), nextLargest: [] }, mm3, 0.027, true), null);
  assert.equal(largePiecesLeftOut(null, mm3, 0.027, true), null);
});

test('flat pieces: the thinnest side of the box in mm under a fifth of the next', () => {
  assert.equal(isFlat({ min: [0, 0, 0], max: [99, 9, 99] }, [1, 1, 1]), true); // 100 × 10 × 100
  assert.equal(isFlat({ min: [0, 0, 0], max: [99, 29, 99] }, [1, 1, 1]), false); // 100 × 30 × 100
  // anisotropic voxels count in mm: 10 slices of 5 mm are 50 mm thick
  assert.equal(isFlat({ min: [0, 0, 0], max: [99, 99, 9] }, [1, 1, 5]), false);
});

test('listMl reads as a list', () => {
  assert.equal(listMl([72.7, 62.3, 50.4]), '73, 62 and 50 mL');
  assert.equal(listMl([5.25]), '5.3 mL');
});
