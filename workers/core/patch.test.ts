import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, commitMask, patchCountDeltas, patchOf, PatchRecorder, revertPatch } from './patch';
import { rng } from './testVolumes';
import type { Vec3 } from './types';

test('PatchRecorder stores runs of changed voxels and run-length values; revert and apply round-trip', () => {
  const labels = Uint8Array.from([0, 0, 5, 5, 5, 0, 7, 7, 0, 0]);
  const original = labels.slice();
  const rec = new PatchRecorder(labels, 0);
  for (const i of [1, 2, 3, 4, 8, 9]) rec.set(i, 3);
  rec.set(6, 7); // 7 already: records nothing… but it is after 4, fine
  const p = rec.finish()!;
  assert.deepEqual([...labels], [0, 3, 3, 3, 3, 0, 7, 7, 3, 3]);
  assert.deepEqual([...p.runs], [1, 4, 8, 2]);
  assert.deepEqual([...p.before], [1, 0, 3, 5, 2, 0]);
  assert.deepEqual([...p.after], [6, 3]);
  assert.equal(p.voxels, 6);
  const edited = labels.slice();
  revertPatch([labels], patchOf(p));
  assert.deepEqual(labels, original);
  applyPatch([labels], patchOf(p));
  assert.deepEqual(labels, edited);
  assert.throws(() => rec.set(2, 9), /increasing order/);
  assert.equal(new PatchRecorder(labels, 0).finish(), null);
});

test('a fill of a million voxels is a patch of a few numbers', () => {
  const labels = new Uint8Array(1 << 20);
  const rec = new PatchRecorder(labels, 0);
  for (let i = 0; i < labels.length; i++) rec.set(i, 9);
  const p = rec.finish()!;
  assert.equal(p.runs.length + p.before.length + p.after.length, 6);
  revertPatch([labels], patchOf(p));
  assert.equal(labels.reduce((a, b) => a + b, 0), 0);
});

test('random edits over several layers revert and re-apply exactly, newest first', () => {
  const r = rng(7);
  const n = 5000;
  const layers = [0, 1, 2].map(() => Uint8Array.from({ length: n }, () => (r() < 0.5 ? 0 : 1 + Math.floor(r() * 4))));
  const snapshots = [layers.map((l) => l.slice())];
  const patches = [];
  for (let e = 0; e < 20; e++) {
    const layer = Math.floor(r() * 3);
    const recs = new PatchRecorder(layers[layer], layer);
    for (let i = Math.floor(r() * 100); i < n; i += 1 + Math.floor(r() * 20)) recs.set(i, Math.floor(r() * 6));
    patches.push(patchOf(recs.finish()));
    snapshots.push(layers.map((l) => l.slice()));
  }
  for (let e = patches.length - 1; e >= 0; e--) {
    revertPatch(layers, patches[e]);
    assert.deepEqual(layers, snapshots[e], `undo ${e}`);
  }
  for (let e = 0; e < patches.length; e++) {
    applyPatch(layers, patches[e]);
    assert.deepEqual(layers, snapshots[e + 1], `redo ${e}`);
  }
});

test('commitMask makes the segment equal the mask in the box; "none" keeps other segments', () => {
  const dims: Vec3 = [4, 3, 2];
  const labels = new Uint8Array(24);
  labels[0] = 2; // segment 2 at (0,0,0), inside the box
  labels[5] = 1; // segment 1 at (1,1,0), inside the box, not in the mask: cleared
  labels[23] = 1; // segment 1 outside the box: untouched
  const box = { min: [0, 0, 0] as Vec3, max: [1, 1, 0] as Vec3 };
  const mask = Uint8Array.from([1, 1, 0, 0]); // (0,0),(1,0) set
  const keep = labels.slice();
  const p = commitMask(labels, 0, 1, dims, box, mask, 'none')!;
  assert.equal(labels[0], 2, 'other segment kept');
  assert.equal(labels[1], 1);
  assert.equal(labels[5], 0);
  assert.equal(labels[23], 1);
  revertPatch([labels], patchOf(p));
  assert.deepEqual(labels, keep);
  commitMask(labels, 0, 1, dims, box, mask, 'all');
  assert.equal(labels[0], 1, 'overwritten');
  const d = patchCountDeltas(patchOf(p)).get(0)!;
  assert.equal(d[1], 0); // +1 (voxel 1) −1 (voxel 5)
  assert.equal(d[0], 0);
});

test('patchCountDeltas gives the voxels each value gained and lost', () => {
  const labels = Uint8Array.from([1, 1, 2, 0, 0]);
  const rec = new PatchRecorder(labels, 3);
  rec.set(0, 2);
  rec.set(3, 2);
  rec.set(4, 1);
  const d = patchCountDeltas(patchOf(rec.finish()!)).get(3)!;
  assert.equal(d[2], 2);
  assert.equal(d[1], 0);
  assert.equal(d[0], -2);
});
