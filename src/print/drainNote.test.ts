import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DrainHole } from '../../workers/core/drain';
import { drainNote } from './drainNote';

const hole = (kind: 'auto' | 'click', cut: boolean, why?: string): DrainHole => ({ kind, at: [0, 0, 0], axis: [0, 0, -1], wallMm: 2, cut, why });

test('the drain note counts the holes cut and says why each one left out was', () => {
  assert.equal(drainNote(null, 1), 'Drilling drain holes…');
  const report = {
    diameterMm: 3.5,
    holes: [hole('auto', true), hole('click', false, 'there is no cavity behind that point'), hole('click', true)],
    voidsBefore: 1,
    voidsAfter: 0,
    smallVoids: 2,
    removedMm3: 41.234,
  };
  assert.equal(
    drainNote(report, 1),
    '2 drain holes cut (3.5 mm: 1 automatic, 1 clicked, 41 mm³ removed). Hole 1 left out: there is no cavity behind that point. No cavity left enclosed. 2 voids under 1 mL left without a hole.',
  );
  const refused = { ...report, holes: [hole('auto', false, 'it would cut a piece off the model')], voidsAfter: 1, smallVoids: 0, removedMm3: 0 };
  assert.equal(drainNote(refused, 1), '0 drain holes cut (3.5 mm). Automatic hole 1 left out: it would cut a piece off the model. 1 cavity still enclosed.');
  assert.equal(drainNote({ ...refused, holes: [], voidsBefore: 0, voidsAfter: 0 }, 1), 'No enclosed cavity to drain.');
});
