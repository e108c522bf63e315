import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regularGrid, resampleSlices } from './resample';

test('regular grid: the finer steps set it, and it spans the stack exactly', () => {
  // 14 slices 4 mm apart, a 1.08 mm gap, 14 slices 7 mm apart (like the GE head CT)
  const p: number[] = [];
  for (let i = 0; i < 14; i++) p.push(4 * i);
  for (let i = 0; i < 14; i++) p.push(52 + 1.08 + 7 * i);
  const g = regularGrid(p);
  assert.ok(g.step > 3.8 && g.step < 4.2, `step ${g.step}`);
  assert.ok(Math.abs((g.count - 1) * g.step - (p[p.length - 1] - p[0])) < 1e-9, 'spans the true extent');
  assert.deepEqual(regularGrid([0, 2, 4, 6]), { count: 4, step: 2 });
});

test('resample: a linear ramp along z comes out as the ramp at the new positions; ends kept', () => {
  const positions = [0, 1, 3, 7, 8];
  const size = 3;
  const src = new Int16Array(positions.length * size);
  positions.forEach((z, k) => src.fill(10 * z, k * size, (k + 1) * size)); // value = 10 × position
  const count = 9, step = 1;
  const out = new Int16Array(count * size);
  resampleSlices(src, size, positions, count, step, out);
  for (let z = 0; z < count; z++) for (let i = 0; i < size; i++) assert.equal(out[z * size + i], 10 * z, `slice ${z}`);
  // a step that does not land on the source positions still interpolates between neighbours
  const out2 = new Int16Array(5 * size);
  resampleSlices(src, size, positions, 5, 2, out2);
  assert.deepEqual([...out2.filter((_, i) => i % size === 0)], [0, 20, 40, 60, 80]);
});
