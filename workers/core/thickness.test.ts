import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearest, prepareThickness, summarize, thicknessOfVertices, wallThickness } from './thickness';
import { marchingCubes } from './marchingCubes';
import { thresholdMask } from './threshold';
import { volumeFrom } from './testVolumes';
import { splitRange } from './split';
import type { Mesh, Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };
const S = 0.5; // voxel size, mm

/** Marching cubes of a signed distance on a grid of S mm voxels, centred at the grid's centre. */
function shape(dims: Vec3, sd: (x: number, y: number, z: number) => number): Mesh {
  const vol = volumeFrom(dims, [S, S, S], sd);
  const m = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
  // recentre on 0 so the tests can select vertices by position
  const c = dims.map((n) => ((n - 1) / 2) * S);
  const P = m.positions;
  for (let i = 0; i < P.length; i += 3) for (let k = 0; k < 3; k++) P[i + k] -= c[k];
  return m;
}

const box = (x: number, y: number, z: number, hx: number, hy: number, hz: number) => {
  const q = [Math.abs(x) - hx, Math.abs(y) - hy, Math.abs(z) - hz];
  return Math.hypot(...q.map((v) => Math.max(v, 0))) + Math.min(Math.max(...q), 0);
};

test('a slab 6.3 mm thick reads 6.3 mm within half a voxel on its faces (away from the rim)', () => {
  const t = 6.3;
  const m = shape([90, 90, 24], (x, y, z) => box(x, y, z, 20, 20, t / 2));
  const r = wallThickness(m);
  const P = m.positions;
  let n = 0;
  for (let v = 0; v < P.length / 3; v++) {
    if (Math.abs(P[3 * v]) > 14 || Math.abs(P[3 * v + 1]) > 14) continue; // faces, not near the rim
    n++;
    assert.ok(Math.abs(r.thicknessMm[v] - t) <= S / 2, `vertex ${v} at ${[...P.subarray(3 * v, 3 * v + 3)]}: ${r.thicknessMm[v]} mm`);
  }
  assert.ok(n > 1000, `${n} face vertices tested`);
  // its thinnest places are at the rim's sharp edges (HR: a point on a convex edge is only in small balls)
  const at = r.thinnest!.at;
  assert.ok(Math.max(Math.abs(at[0]), Math.abs(at[1])) > 18, `thinnest at ${at}, on the rim`);
});

test('a cylinder of diameter 10.4 mm reads its diameter within half a voxel on its side', () => {
  const d = 10.4;
  const m = shape([28, 28, 56], (x, y, z) => Math.max(Math.hypot(x, y) - d / 2, Math.abs(z) - 12));
  const r = wallThickness(m);
  const P = m.positions;
  let n = 0;
  for (let v = 0; v < P.length / 3; v++) {
    if (Math.abs(P[3 * v + 2]) > 12 - d) continue; // the side, a diameter away from the caps
    n++;
    assert.ok(Math.abs(r.thicknessMm[v] - d) <= S / 2, `vertex ${v}: ${r.thicknessMm[v]} mm`);
  }
  assert.ok(n > 200);
});

test("a sphere's thickness is its diameter everywhere (within half a voxel); the thin set follows the minimum asked", () => {
  // (a sphere is the measure's worst case: every triangle is as near the centre as the contact)
  const m = shape([24, 24, 24], (x, y, z) => Math.hypot(x, y, z) - 4.7);
  const r = wallThickness(m, { minMm: 10 });
  for (let v = 0; v < r.thicknessMm.length; v++) assert.ok(Math.abs(r.thicknessMm[v] - 9.4) <= S / 2, `vertex ${v}: ${r.thicknessMm[v]}`);
  assert.equal(r.thin.length, r.thicknessMm.length, 'every vertex is under 10 mm');
  assert.equal(summarize(m, r.thicknessMm, 8).thin.length, 0);
  assert.ok(Math.abs(r.thinnest!.mm - 9.4) <= S / 2);
});

test('a dumbbell: the thinnest wall is found at its 3 mm neck, with its place', () => {
  // two balls of radius 5 joined by a rod of diameter 3 along x
  const m = shape([64, 28, 28], (x, y, z) => Math.min(Math.hypot(x - 9, y, z) - 5, Math.hypot(x + 9, y, z) - 5, Math.max(Math.hypot(y, z) - 1.5, Math.abs(x) - 6)));
  const r = wallThickness(m, { minMm: 4 });
  assert.ok(Math.abs(r.thinnest!.mm - 3) <= S / 2 + 0.1, `thinnest ${r.thinnest!.mm}`);
  assert.ok(Math.abs(r.thinnest!.at[0]) < 5, `at x = ${r.thinnest!.at[0]}, on the neck`);
  assert.ok(r.thin.length > 0);
  for (const v of r.thin) assert.ok(Math.abs(m.positions[3 * v]) < 5, 'only the neck is under 4 mm');
  // sorted thinnest first
  for (let i = 1; i < r.thin.length; i++) assert.ok(r.thicknessMm[r.thin[i]] >= r.thicknessMm[r.thin[i - 1]]);
});

test('vertex ranges (a pool) give the same map; the nearest-point query agrees with brute force', () => {
  const m = shape([24, 20, 20], (x, y, z) => Math.hypot(x / 1.3, y, z) - 3.5);
  const whole = wallThickness(m).thicknessMm;
  const pre = prepareThickness(m);
  const out = new Float32Array(whole.length);
  for (const r of splitRange(whole.length, 3)) thicknessOfVertices(pre, r, out);
  assert.deepEqual(out, whole);
  const q = new Float64Array(3), stack = new Int32Array(128);
  const P = m.positions, I = m.indices;
  for (const p of [[0, 0, 0], [5, 1, -2], [-3, 6, 4]] as Vec3[]) {
    const d = nearest(pre.tree, p[0], p[1], p[2], q, stack);
    // brute force over vertices gives an upper bound; over triangles (sampled densely) ~ equal
    let best = Infinity;
    for (let t = 0; t < I.length; t += 3)
      for (let a = 0; a <= 10; a++)
        for (let b = 0; a + b <= 10; b++) {
          const w = [1 - (a + b) / 10, a / 10, b / 10];
          const x = [0, 1, 2].map((k) => w[0] * P[3 * I[t] + k] + w[1] * P[3 * I[t + 1] + k] + w[2] * P[3 * I[t + 2] + k]);
          best = Math.min(best, (x[0] - p[0]) ** 2 + (x[1] - p[1]) ** 2 + (x[2] - p[2]) ** 2);
        }
    assert.ok(d <= best + 1e-9 && Math.sqrt(best) - Math.sqrt(d) < 0.05, `${d} vs ${best}`);
  }
  const empty = wallThickness({ positions: new Float32Array(0), indices: new Uint32Array(0) });
  assert.equal(empty.thinnest, null);
});
