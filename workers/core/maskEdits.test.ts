import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskEditsFor, pickLands } from './maskEdits';
import type { Vec3 } from './types';

const dims: Vec3 = [4, 3, 2];
const data = Int16Array.from({ length: 24 }, (_, i) => (i === 5 || i === 17 ? 1000 : -1000));
const at = (i: number, j: number, k: number) => i + 4 * (j + 3 * k);

test('pickLands: a pick on bone lands, on air it misses, and outside the crop box it misses', () => {
  const bone = { lower: 300, upper: 3000 };
  assert.equal(at(1, 1, 0), 5);
  assert.equal(pickLands({ dims, data }, bone, 5), true);
  assert.equal(pickLands({ dims, data }, bone, 6), false);
  assert.equal(pickLands({ dims, data }, bone, at(1, 1, 1)), true);
  assert.equal(pickLands({ dims, data }, bone, at(1, 1, 1), { min: [0, 0, 0], max: [3, 2, 0] }), false);
  assert.equal(pickLands({ dims, data }, bone, 5, { min: [0, 0, 0], max: [3, 2, 0] }), true);
  assert.equal(pickLands({ dims, data }, bone, 99), false);
});

test('maskEditsFor: picks win over the largest piece; small pieces go only when neither chooses', () => {
  const base = { keepLargest: false, fillCavities: false, minPieceMl: 2, seeds: [], crop: null };
  assert.equal(maskEditsFor(base).minPieceMm3, 2000);
  assert.equal(maskEditsFor({ ...base, keepLargest: true }).minPieceMm3, 0);
  assert.equal(maskEditsFor({ ...base, seeds: [3] }).minPieceMm3, 0);
  assert.equal(maskEditsFor(base).crop, undefined);
});
