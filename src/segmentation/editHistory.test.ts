import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MERGE_MS, record, redo, startHistory, undo } from './editHistory';

test('edit history: undo and redo walk the steps; a new edit drops the redo branch', () => {
  let h = startHistory({ lower: 300 });
  h = record(h, { lower: 400 }, 'range', 0);
  h = record(h, { lower: 400, seeds: [1] } as { lower: number }, 'seed', 10);
  assert.equal(h.past.length, 2);
  h = undo(h);
  assert.deepEqual(h.present, { lower: 400 });
  h = undo(h);
  assert.deepEqual(h.present, { lower: 300 });
  assert.equal(undo(h), h, 'nothing more to undo');
  h = redo(h);
  assert.deepEqual(h.present, { lower: 400 });
  h = record(h, { lower: 500 }, 'range', 20_000);
  assert.equal(h.future.length, 0);
  assert.equal(redo(h), h, 'nothing to redo after a new edit');
});

test('edit history: a slider drag (same kind, quick succession) is one step; a pause or another kind starts a new one', () => {
  let h = startHistory(300);
  for (let i = 1; i <= 20; i++) h = record(h, 300 - 10 * i, 'range', i * 30);
  assert.equal(h.past.length, 1, 'one drag, one step');
  assert.equal(h.present, 100);
  h = record(h, 90, 'range', 20 * 30 + MERGE_MS + 1);
  assert.equal(h.past.length, 2, 'after a pause, a new step');
  h = record(h, 80, 'keep', 20 * 30 + MERGE_MS + 2);
  assert.equal(h.past.length, 3, 'another kind of edit, a new step');
  assert.equal(undo(undo(undo(h))).present, 300);
});
