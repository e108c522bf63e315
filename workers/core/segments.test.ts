import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, revertPatch } from './patch';
import {
  addEmptySegment,
  addImportedSegments,
  addSegmentFromMask,
  createSegmentation,
  extractMask,
  freeValue,
  isolateSegment,
  removeSegment,
} from './segments';
import { growBox, layerStats, mergeStats, valueBox } from './segmentStats';
import type { Vec3 } from './types';

const dims: Vec3 = [10, 8, 6];
const N = 480;
const idx = (i: number, j: number, k: number) => i + 10 * (j + 8 * k);
/** A full-size mask of the voxels with `inside`. */
const maskOf = (inside: (i: number, j: number, k: number) => boolean) => {
  const m = new Uint8Array(N);
  for (let k = 0; k < 6; k++) for (let j = 0; j < 8; j++) for (let i = 0; i < 10; i++) if (inside(i, j, k)) m[idx(i, j, k)] = 1;
  return m;
};
const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);

test('segments that do not overlap share layer 0; one that overlaps goes to a new layer', () => {
  const s = createSegmentation(dims);
  const a = addSegmentFromMask(s, { name: 'left', source: 'threshold', range: { lower: 200, upper: 3000 } }, maskOf((i) => i < 4));
  const b = addSegmentFromMask(s, { name: 'right', source: 'threshold' }, maskOf((i) => i >= 6));
  const c = addSegmentFromMask(s, { name: 'middle band', source: 'paint' }, maskOf((i) => i >= 3 && i <= 7));
  assert.deepEqual([a.segment.layer, a.segment.value], [0, 1]);
  assert.deepEqual([b.segment.layer, b.segment.value], [0, 2]);
  assert.deepEqual([c.segment.layer, c.segment.value], [1, 1]);
  assert.equal(s.layers.length, 2);
  assert.equal(count(s.layers[0], 1), 4 * 48);
  assert.equal(count(s.layers[0], 2), 4 * 48);
  assert.equal(count(s.layers[1], 1), 5 * 48);
  assert.deepEqual(a.segment.range, { lower: 200, upper: 3000 });
  assert.notDeepEqual(a.segment.color, b.segment.color);
  assert.deepEqual(s.segments.map((g) => g.id), [1, 2, 3]);
  // undo the third: layer 1 empty again
  revertPatch(s.layers, c.patch);
  assert.equal(count(s.layers[1], 0), N);
});

test('an empty segment takes the first free value; a full layer sends it to a new one', () => {
  const s = createSegmentation(dims);
  for (let v = 1; v <= 255; v++) addEmptySegment(s, { source: 'paint' });
  assert.equal(s.layers.length, 1);
  assert.equal(freeValue(s, 0), 0);
  const g = addEmptySegment(s, { source: 'paint', name: 'overflow' });
  assert.deepEqual([g.layer, g.value, g.name], [1, 1, 'overflow']);
});

test('removeSegment clears its voxels; reverting brings them back', () => {
  const s = createSegmentation(dims);
  const a = addSegmentFromMask(s, { source: 'paint' }, maskOf((i, j) => i + j < 5));
  const before = s.layers[0].slice();
  const r = removeSegment(s, a.segment.id);
  assert.equal(s.segments.length, 0);
  assert.equal(count(s.layers[0], 0), N);
  revertPatch(s.layers, r.patch);
  assert.deepEqual(s.layers[0], before);
  assert.throws(() => removeSegment(s, 99), /no segment with id 99/);
});

test('isolateSegment moves a segment to a layer of its own, exactly, and undoes', () => {
  const s = createSegmentation(dims);
  addSegmentFromMask(s, { source: 'paint' }, maskOf((i) => i < 3));
  const b = addSegmentFromMask(s, { source: 'paint' }, maskOf((i, j, k) => i >= 5 && j > 2 && k > 1));
  const n = count(s.layers[0], 2);
  const before = s.layers.map((l) => l.slice());
  const { patch, from, to } = isolateSegment(s, b.segment.id);
  assert.deepEqual(from, { layer: 0, value: 2 });
  assert.deepEqual(to, { layer: 1, value: 1 });
  assert.equal(count(s.layers[0], 2), 0);
  assert.equal(count(s.layers[1], 1), n);
  assert.equal(count(s.layers[0], 1), 3 * 48, 'the other segment is untouched');
  revertPatch(s.layers, patch);
  assert.deepEqual(s.layers[0], before[0]);
  assert.equal(count(s.layers[1], 0), N);
  applyPatch(s.layers, patch);
  assert.equal(count(s.layers[1], 1), n);
});

test('imported label layers keep their values when free, and overlapping segments spread over layers', () => {
  const s = createSegmentation(dims);
  const existing = addSegmentFromMask(s, { source: 'paint' }, maskOf((i) => i === 0)); // value 1 in layer 0
  // import layer 0: values 1 (i = 1..2) and 7 (i = 8..9); import layer 1: value 1 over i = 0..3 (overlaps everything)
  const imp0 = new Uint8Array(N), imp1 = new Uint8Array(N);
  for (let p = 0; p < N; p++) {
    const i = p % 10;
    if (i === 1 || i === 2) imp0[p] = 1;
    if (i >= 8) imp0[p] = 7;
    if (i <= 3) imp1[p] = 1;
  }
  const { segments, patch } = addImportedSegments(s, [imp0, imp1], [
    { name: 'kidney', color: [1, 2, 3], layer: 0, value: 1 },
    { name: 'liver', color: [4, 5, 6], layer: 0, value: 7 },
    { name: 'overlap', color: [7, 8, 9], layer: 1, value: 1 },
  ]);
  assert.deepEqual(segments.map((g) => [g.name, g.layer, g.value, g.source]), [
    ['kidney', 0, 2, 'import'], // value 1 is taken by the painted segment
    ['liver', 0, 7, 'import'],
    ['overlap', 1, 1, 'import'], // overlaps layer 0's segments
  ]);
  assert.deepEqual(segments[0].color, [1, 2, 3]);
  assert.equal(count(s.layers[0], 1), 48, 'existing segment untouched');
  assert.equal(count(s.layers[0], 2), 96);
  assert.equal(count(s.layers[0], 7), 96);
  assert.equal(count(s.layers[1], 1), 192);
  revertPatch(s.layers, patch);
  assert.equal(count(s.layers[0], 1), 48);
  assert.equal(count(s.layers[0], 0), N - 48);
  assert.equal(count(s.layers[1], 0), N);
  assert.deepEqual([existing.segment.layer, existing.segment.value], [0, 1]);
});

test('layer stats: counts and boxes of every value, the same from z parts merged', () => {
  const labels = new Uint8Array(N);
  labels[idx(2, 3, 1)] = 4;
  labels[idx(7, 1, 4)] = 4;
  labels[idx(5, 5, 5)] = 9;
  const whole = layerStats(labels, dims);
  assert.equal(whole.counts[4], 2);
  assert.equal(whole.counts[0], N - 3);
  assert.deepEqual(valueBox(whole, 4), { min: [2, 1, 1], max: [7, 3, 4] });
  assert.equal(valueBox(whole, 3), null);
  const merged = mergeStats([layerStats(labels, dims, [0, 2]), layerStats(labels, dims, [2, 5]), layerStats(labels, dims, [5, 6])]);
  assert.deepEqual(merged, whole);
  assert.deepEqual(growBox(valueBox(whole, 9)!, 1, dims), { min: [4, 4, 4], max: [6, 6, 5] });
  const m = extractMask(labels, dims, 4, valueBox(whole, 4)!);
  assert.equal(m.length, 6 * 3 * 4);
  assert.equal(count(m, 1), 2);
});
