import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, patchOf, PatchRecorder, revertPatch } from '../../workers/core/patch';
import { MERGE_MS, record, redo, redoPatch, startHistory, undo, undoPatch, type History } from './editHistory';

const present = <T>(h: History<T>) => h.current.state;

test('edit history: undo and redo walk the steps; a new edit drops the redo branch', () => {
  let h = startHistory({ lower: 300 });
  h = record(h, { lower: 400 }, 'range', 0);
  h = record(h, { lower: 400, seeds: [1] } as { lower: number }, 'seed', 10);
  assert.equal(h.past.length, 2);
  h = undo(h);
  assert.deepEqual(present(h), { lower: 400 });
  h = undo(h);
  assert.deepEqual(present(h), { lower: 300 });
  assert.equal(undo(h), h, 'nothing more to undo');
  h = redo(h);
  assert.deepEqual(present(h), { lower: 400 });
  h = record(h, { lower: 500 }, 'range', 20_000);
  assert.equal(h.future.length, 0);
  assert.equal(redo(h), h, 'nothing to redo after a new edit');
});

test('edit history: a slider drag (same kind, quick succession) is one step; a pause or another kind starts a new one', () => {
  let h = startHistory(300);
  for (let i = 1; i <= 20; i++) h = record(h, 300 - 10 * i, 'range', i * 30);
  assert.equal(h.past.length, 1, 'one drag, one step');
  assert.equal(present(h), 100);
  h = record(h, 90, 'range', 20 * 30 + MERGE_MS + 1);
  assert.equal(h.past.length, 2, 'after a pause, a new step');
  h = record(h, 80, 'keep', 20 * 30 + MERGE_MS + 2);
  assert.equal(h.past.length, 3, 'another kind of edit, a new step');
  assert.equal(present(undo(undo(undo(h)))), 300);
});

/** Writes `value` into voxels `from`…`to` − 1 of `labels` and returns the patch. */
function paint(labels: Uint8Array, from: number, to: number, value: number) {
  const rec = new PatchRecorder(labels, 0);
  for (let i = from; i < to; i++) rec.set(i, value);
  return patchOf(rec.finish());
}

test('edit history: voxel patches and threshold edits share one history; undo reverts and redo re-applies exactly', () => {
  const layers = [new Uint8Array(100)];
  let h = startHistory({ lower: 300, n: 0 });
  h = record(h, { lower: 400, n: 0 }, 'range', 0);
  // a brush stroke: three dabs, seconds apart, grouped into one step with one merged patch
  const stroke = 'stroke:1';
  h = record(h, { lower: 400, n: 1 }, stroke, 5_000, { patch: paint(layers[0], 10, 20, 1), group: true });
  h = record(h, { lower: 400, n: 1 }, stroke, 9_000, { patch: paint(layers[0], 15, 30, 1), group: true });
  h = record(h, { lower: 400, n: 1 }, stroke, 13_000, { patch: paint(layers[0], 25, 28, 0), group: true });
  assert.equal(h.past.length, 2, 'start, range, stroke');
  const after = layers[0].slice();
  assert.equal(after.reduce((s, v) => s + v, 0), 17, 'voxels 10–24 and 28–29 painted');
  // another kind after the stroke: a new step (a threshold edit, no patch)
  h = record(h, { lower: 500, n: 1 }, 'range', 14_000);

  assert.equal(undoPatch(h), null, 'the threshold step has no voxels to revert');
  h = undo(h);
  const p = undoPatch(h)!;
  assert.ok(p, 'the stroke step carries its patch');
  revertPatch(layers, p);
  h = undo(h);
  assert.deepEqual(present(h), { lower: 400, n: 0 });
  assert.equal(layers[0].reduce((s, v) => s + v, 0), 0, 'the whole stroke is gone');

  const q = redoPatch(h)!;
  applyPatch(layers, q);
  h = redo(h);
  assert.deepEqual(layers[0], after, 'redo restores every voxel of the stroke');
  assert.deepEqual(present(h), { lower: 400, n: 1 });
  assert.equal(redoPatch(h), null, 'the next redo (the threshold) has no voxels');
});

test('edit history: an edit that changes voxels but not the state is still a step', () => {
  const layers = [new Uint8Array(10)];
  const s = { a: 1 };
  let h = startHistory(s);
  h = record(h, s, 'fill', 0, { patch: paint(layers[0], 0, 5, 3) });
  assert.equal(h.past.length, 1);
  h = record(h, s, 'fill2', 1, { patch: { layers: [] } });
  assert.equal(h.past.length, 1, 'an empty patch and the same state record nothing');
});
