import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mesh } from '../../workers/core/types';
import { cutView, wholeView } from '../print/fileView';
import { fileObjects, PART_SHADES } from './previewObjects';

const tri = (z: number): Mesh => ({ positions: new Float32Array([0, 0, z, 1, 0, z, 0, 1, z]), indices: new Uint32Array([0, 1, 2]) });
const report = (cut: boolean[]) => ({
  diameterMm: 3,
  holes: cut.map((c, i) => ({ kind: 'auto' as const, at: [i, 0, 0] as [number, number, number], axis: [0, 0, -1] as [number, number, number], wallMm: 2, cut: c })),
  voidsBefore: 1,
  voidsAfter: 0,
  smallVoids: 0,
  removedMm3: 10,
});

test('a whole file (drilled, or on a base): one object, thin marks moved where the file has them, holes cut marked', () => {
  const model = tri(5);
  // the file stands the model 2 mm higher and twice as large
  const view = wholeView(tri(12), [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 1], report([true, false]));
  const o = fileObjects(model, view, [1, 2]);
  assert.equal(o.objects.length, 1);
  assert.equal(o.objects[0].color, undefined, 'the model in its own colour');
  assert.deepEqual(o.marks, [[2, 0, 12], [0, 2, 12]]);
  assert.deepEqual(o.holes, [[0, 0, 0]], 'only the hole cut');
});

test('cut parts: each in a shade of its own, named, no thin marks (each part moved its own way)', () => {
  const o = fileObjects(tri(0), cutView([tri(0), tri(1), tri(2)], ['Part 1 of 3', 'Part 2 of 3', 'Part 3 of 3']), [0, 1]);
  assert.deepEqual(o.objects.map((x) => x.name), ['Part 1 of 3', 'Part 2 of 3', 'Part 3 of 3']);
  assert.deepEqual(o.objects.map((x) => x.color), PART_SHADES.slice(0, 3));
  assert.equal(new Set(PART_SHADES.map(String)).size, PART_SHADES.length);
  assert.deepEqual(o.marks, []);
  assert.equal(o.toFile, null);
});
