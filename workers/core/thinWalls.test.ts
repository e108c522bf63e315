import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fractionBelow, thinnestPatch, thinPatches } from './thinWalls';
import { marchingCubes } from './marchingCubes';
import { thresholdMask } from './threshold';
import { volumeFrom } from './testVolumes';
import type { Mesh } from './types';

/** A flat n × n grid of vertices `s` mm apart in the plane z = 0, two triangles a cell. */
function grid(n: number, s: number): Mesh {
  const positions = new Float32Array(3 * n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) positions.set([i * s, j * s, 0], 3 * (i + n * j));
  const idx: number[] = [];
  for (let j = 0; j + 1 < n; j++)
    for (let i = 0; i + 1 < n; i++) {
      const a = i + n * j;
      idx.push(a, a + 1, a + n + 1, a, a + n + 1, a + n);
    }
  return { positions, indices: Uint32Array.from(idx) };
}

const field = (m: Mesh, f: (x: number, y: number) => number) => {
  const out = new Float32Array(m.positions.length / 3);
  for (let v = 0; v < out.length; v++) out[v] = f(m.positions[3 * v], m.positions[3 * v + 1]);
  return out;
};

test('fractionBelow: the clipped corner of a linear field, one or two corners below', () => {
  assert.equal(fractionBelow(0, 1, 1, 0.5), 0.25);
  assert.equal(fractionBelow(1, 0, 0, 0.5), 0.75);
  assert.equal(fractionBelow(0, 0, 0, 0.5), 1);
  assert.equal(fractionBelow(1, 1, 1, 0.5), 0);
  // a corner of no thickness (NaN → never thin) gives nothing below on its side
  assert.equal(fractionBelow(0, Infinity, Infinity, 0.5), 0);
});

test('a constant field: the thinnest patch is that value, covering the whole grid', () => {
  const m = grid(21, 1); // 20 × 20 mm
  const p = thinnestPatch(m, field(m, () => 2))!;
  assert.equal(p.mm, 2);
  assert.ok(Math.abs(p.areaMm2 - 400) < 1e-6, `${p.areaMm2}`);
});

test('one spike vertex (a decimation sliver) does not make the wall thin; a thin disc of 3 mm radius does', () => {
  const m = grid(41, 0.5); // 20 × 20 mm, 0.5 mm apart
  const spike = field(m, (x, y) => (x === 10 && y === 10 ? 0.01 : 3));
  const p = thinnestPatch(m, spike)!;
  // the spike's corners below t cover ((t − 0.01) / (3 − 0.01))² of its ring (1 mm²): never 4 mm² below 3
  assert.ok(p.mm > 2.9, `thinnest patch ${p.mm} mm`);
  assert.equal(thinPatches(m, spike, 1).length, 0);

  const disc = field(m, (x, y) => (Math.hypot(x - 6, y - 6) <= 3 ? 0.5 : 3));
  const q = thinnestPatch(m, disc)!;
  assert.ok(Math.abs(q.mm - 0.5) < 0.01, `thinnest patch ${q.mm} mm`);
  assert.ok(Math.hypot(q.at[0] - 6, q.at[1] - 6) <= 3, `at ${q.at}`);
  const thin = thinPatches(m, disc, 1);
  assert.equal(thin.length, 1);
  // the disc (π·9 = 28.3 mm²) plus the ramps of the triangles at its edge, up to (1 − 0.5)/(3 − 0.5) of them
  assert.ok(thin[0].areaMm2 > 24 && thin[0].areaMm2 < 34, `${thin[0].areaMm2} mm²`);
});

test('two thin places: listed apart, thinnest first; a patch too small is left out', () => {
  const m = grid(81, 0.5); // 40 × 40 mm
  const f = field(m, (x, y) => (Math.hypot(x - 8, y - 8) <= 3 ? 0.8 : Math.hypot(x - 30, y - 30) <= 3 ? 0.4 : Math.hypot(x - 30, y - 8) <= 0.8 ? 0.2 : 5));
  const thin = thinPatches(m, f, 1);
  assert.equal(thin.length, 2, 'the dot (a 3 × 3 block of vertices: 1 mm²) is too small');
  assert.equal(thin[0].mm, Math.fround(0.4));
  assert.equal(thin[1].mm, Math.fround(0.8));
  assert.ok(thin[0].at[0] > 26 && thin[0].at[1] > 26);
  assert.ok(Math.abs(thinnestPatch(m, f)!.mm - 0.4) < 0.01);
  // with a patch of 1 mm² the dot counts
  assert.ok(Math.abs(thinnestPatch(m, f, 1)!.mm - 0.2) < 0.05);
});

test('on a closed surface: a thin cap of a sphere is one patch of its area (2πRh)', () => {
  const S = 0.5;
  const vol = volumeFrom([48, 48, 48], [S, S, S], (x, y, z) => Math.hypot(x, y, z) - 10);
  const range = { lower: 0, upper: 32767 };
  const m = marchingCubes(vol, range, thresholdMask(vol, range));
  const c = (48 - 1) / 2 * S;
  const f = new Float32Array(m.positions.length / 3);
  for (let v = 0; v < f.length; v++) f[v] = m.positions[3 * v + 2] - c > 8 ? 0.5 : 3;
  const thin = thinPatches(m, f, 1);
  assert.equal(thin.length, 1);
  const cap = 2 * Math.PI * 10 * 2;
  // the cap, plus up to a fifth of the ramp of one row of triangles round its rim (about 0.35 mm wide)
  assert.ok(thin[0].areaMm2 > 0.93 * cap && thin[0].areaMm2 < 1.12 * cap, `${thin[0].areaMm2} of ${cap} mm²`);
  assert.ok(thin[0].at[2] - c > 8);
  assert.ok(Math.abs(thinnestPatch(m, f)!.mm - 0.5) < 1e-3);
});
