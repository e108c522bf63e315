import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addEmptySegment, addImportedSegments, addSegmentFromMask, removeSegment } from '../../workers/core/segments';
import type { Vec3 } from '../../workers/core/types';
import { BrushStroke } from './brushStroke';
import { SegmentStore } from './segmentStore';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);

test('segment store: counts follow every patch (add, import, paint, remove) and their undo, without a pass over the layers', () => {
  const dims: Vec3 = [20, 20, 10];
  const s = new SegmentStore('vol1', { dims, spacing: [0.5, 0.5, 2], direction: IDENTITY });
  assert.equal(s.voxelMm3, 0.5);
  const mask = new Uint8Array(4000);
  mask.fill(1, 0, 1000);
  const a = addSegmentFromMask(s.seg, { source: 'threshold' }, mask);
  s.counted(a.patch);
  assert.equal(s.voxels(a.segment), 1000);
  assert.equal(s.ml(a.segment), 0.5);

  // an import over part of it, in its own labels (values 1 and 7): overlapping the first → a new layer
  const imported = new Uint8Array(4000);
  imported.fill(7, 500, 800);
  imported.fill(1, 3000, 3100);
  const b = addImportedSegments(s.seg, [imported], [
    { name: 'liver', color: [200, 100, 90], layer: 0, value: 7 },
    { name: 'spleen', color: [100, 100, 200], layer: 0, value: 1 },
  ]);
  s.counted(b.patch);
  const [liver, spleen] = b.segments;
  assert.deepEqual([s.voxels(liver), s.voxels(spleen)], [300, 100]);
  assert.equal(s.voxels(a.segment), 1000, 'a segment in another layer keeps its voxels');
  for (const g of [a.segment, liver, spleen]) assert.equal(s.voxels(g), count(s.layers[g.layer], g.value), g.name);

  // undo the import: counts back, voxels back
  s.revert(b.patch);
  assert.deepEqual([s.voxels(liver), s.voxels(spleen)], [0, 0]);
  s.apply(b.patch);
  assert.deepEqual([s.voxels(liver), s.voxels(spleen)], [300, 100]);

  const r = removeSegment(s.seg, a.segment.id);
  s.counted(r.patch);
  assert.equal(s.voxels(a.segment), 0);
  assert.equal(count(s.layers[a.segment.layer], a.segment.value), 0);
});

test('brush stroke: a drag paints a tube of the radius along the path, one patch; its undo restores every voxel and count', () => {
  const dims: Vec3 = [80, 60, 40];
  const spacing: Vec3 = [0.8, 0.8, 1.5];
  const s = new SegmentStore('vol1', { dims, spacing, direction: IDENTITY });
  const g = addEmptySegment(s.seg, { source: 'paint' });
  const hu = new Int16Array(dims[0] * dims[1] * dims[2]);
  const r = 6;
  const stroke = new BrushStroke(s, g, { dims, spacing, direction: IDENTITY }, { radiusMm: r, limitHu: false, hu: { lower: 0, upper: 0 }, erase: false }, hu);
  // a straight drag of 30 mm along x, reported as a few far-apart pointer positions
  const from: Vec3 = [20, 30, 20];
  for (const x of [20, 35, 50, 57.5]) stroke.to([x, from[1], from[2]]);
  const patch = stroke.finish()!;
  const voxels = s.voxels(g);
  assert.equal(voxels, count(s.layers[g.layer], g.value));
  // a capsule: cylinder of length 30 mm plus a ball
  const capsule = Math.PI * r * r * 30 + (4 / 3) * Math.PI * r ** 3;
  const painted = voxels * s.voxelMm3;
  assert.ok(Math.abs(painted - capsule) / capsule < 0.05, `painted ${painted.toFixed(0)} mm³, capsule ${capsule.toFixed(0)} mm³`);
  s.revert(patch);
  assert.equal(count(s.layers[g.layer], g.value), 0);
  assert.equal(s.voxels(g), 0);
  s.apply(patch);
  assert.equal(s.voxels(g), voxels);

  // an eraser stroke limited to an HU band only clears voxels in the band
  for (let i = 0; i < hu.length; i++) hu[i] = i % 2 ? 100 : -100;
  const erase = new BrushStroke(s, g, { dims, spacing, direction: IDENTITY }, { radiusMm: 20, limitHu: true, hu: { lower: 0, upper: 200 }, erase: true }, hu);
  erase.to([40, 30, 20]);
  const left = s.voxels(g);
  assert.ok(left > 0 && left < voxels);
  for (let i = 0; i < hu.length; i++) if (s.layers[g.layer][i] === g.value) assert.ok(hu[i] === -100 || Math.hypot((i % 80) - 40, Math.floor(i / 80) % 60 - 30) > 20 / 0.8 - 1, `voxel ${i}`);
});

test('serial: tasks run one after another, in order, even when the first is slow; a failure does not stop the next', async () => {
  const s = new SegmentStore('vol1', { dims: [2, 2, 2], spacing: [1, 1, 1], direction: IDENTITY });
  const order: string[] = [];
  const slow = s.serial(async () => {
    await new Promise((r) => setTimeout(r, 30));
    order.push('slow');
  });
  assert.equal(s.busy, true);
  const failing = s.serial(() => {
    order.push('failing');
    throw new Error('no');
  });
  const quick = s.serial(() => order.push('quick'));
  await slow;
  await assert.rejects(failing, /no/);
  await quick;
  assert.deepEqual(order, ['slow', 'failing', 'quick']);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(s.busy, false);
});
