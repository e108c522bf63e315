import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drainHoles } from './drain';
import { loadManifold } from './manifoldKernel';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { classifyShells } from './shells';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import type { Mesh, Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };
const S = 0.5;

/** Marching cubes of a signed distance on S mm voxels, centred on 0. */
function shape(n: [number, number, number], sd: (x: number, y: number, z: number) => number): Mesh {
  const vol = volumeFrom(n, [S, S, S], sd);
  const m = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
  const c = n.map((k) => ((k - 1) / 2) * S);
  for (let i = 0; i < m.positions.length; i += 3) for (let k = 0; k < 3; k++) m.positions[i + k] -= c[k];
  return m;
}

const ball = (x: number, y: number, z: number, r: number, c: Vec3 = [0, 0, 0]) => Math.hypot(x - c[0], y - c[1], z - c[2]) - r;
/** A ball of radius 12 with a spherical cavity of radius 8: a 4 mm wall. */
const hollowBall = () => shape([56, 56, 56], (x, y, z) => Math.max(ball(x, y, z, 12), -ball(x, y, z, 8)));

/** Vertices within `radius` of a hole's axis (the line through `at` along `axis`), deeper than `depth` mm from `at`. */
function nearAxis(m: Mesh, at: Vec3, axis: Vec3, radius: number, depth: number): number {
  let n = 0;
  const P = m.positions;
  for (let i = 0; i < P.length; i += 3) {
    const d = [P[i] - at[0], P[i + 1] - at[1], P[i + 2] - at[2]];
    const along = d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2];
    const off = Math.hypot(d[0] - along * axis[0], d[1] - along * axis[1], d[2] - along * axis[2]);
    if (-along < 6 && -along > depth && off < radius) n++;
  }
  return n;
}

test('a hollow ball, drained from below: one 3 mm hole through the 4 mm wall at the lowest point, closed, no void left', async () => {
  const wasm = await loadManifold();
  const m = hollowBall();
  const before = checkMesh(m);
  assert.equal(classifyShells(m).voids, 1);
  const r = drainHoles(wasm, m, { diameterMm: 3, down: [0, 0, -1] });
  assert.equal(r.holes.length, 1);
  const h = r.holes[0];
  assert.equal(h.cut, true, h.why);
  assert.ok(Math.abs(h.at[2] + 12) < 0.3 && Math.hypot(h.at[0], h.at[1]) < 0.6, `opens at ${h.at}`);
  assert.ok(Math.abs(h.wallMm - 4) < 0.4, `wall ${h.wallMm} mm`);
  assert.deepEqual([r.voidsBefore, r.voidsAfter], [1, 0]);
  const after = checkMesh(r.mesh);
  assertPrintable(after, 'drained ball');
  const shells = classifyShells(r.mesh);
  assert.deepEqual([shells.solids, shells.voids, shells.inverted], [1, 0, 0]);
  // the plug removed: π · 1.5² · 4 mm (a 32-gon; the walls' curvature adds a little)
  const plug = before.volumeMm3 - after.volumeMm3;
  assert.ok(Math.abs(plug / (Math.PI * 1.5 ** 2 * 4) - 1) < 0.1, `plug ${plug} mm³`);
  // nothing of the wall is left in the hole (from half a millimetre in, through the 4 mm wall)
  assert.equal(nearAxis(r.mesh, h.at, h.axis, 1.2, 0.5), 0);
});

test('"down" on the bed need not be the scan\'s: drained along +x, the hole opens at x = 12', async () => {
  const wasm = await loadManifold();
  const r = drainHoles(wasm, hollowBall(), { diameterMm: 2, down: [1, 0, 0] });
  assert.equal(r.holes[0].cut, true);
  assert.ok(Math.abs(r.holes[0].at[0] - 12) < 0.3, `${r.holes[0].at}`);
  assert.equal(nearAxis(r.mesh, r.holes[0].at, r.holes[0].axis, 0.7, 0.5), 0);
  assertPrintable(checkMesh(r.mesh), 'drained along x');
});

test('a clicked hole goes straight in until it meets the cavity; a click with no cavity behind it is refused', async () => {
  const wasm = await loadManifold();
  const r = drainHoles(wasm, hollowBall(), { diameterMm: 3, clicks: [{ at: [0, -12, 0], inward: [0, 1, 0] }] });
  assert.equal(r.holes[0].kind, 'click');
  assert.equal(r.holes[0].cut, true, r.holes[0].why);
  assert.ok(Math.abs(r.holes[0].wallMm - 4) < 0.4, `wall ${r.holes[0].wallMm}`);
  assert.equal(r.voidsAfter, 0);
  assert.equal(nearAxis(r.mesh, r.holes[0].at, r.holes[0].axis, 1.2, 0.5), 0);
  assertPrintable(checkMesh(r.mesh), 'clicked hole');

  const solid = shape([40, 40, 40], (x, y, z) => ball(x, y, z, 8));
  const s = drainHoles(wasm, solid, { diameterMm: 3, clicks: [{ at: [8, 0, 0], inward: [-1, 0, 0] }] });
  assert.equal(s.holes[0].cut, false);
  assert.match(s.holes[0].why!, /no cavity/);
  assert.equal(s.mesh, solid, 'nothing cut: the same mesh');
});

test('two cavities get a hole each; a hole that would cut a piece off is refused and said', async () => {
  const wasm = await loadManifold();
  // a 36 × 16 × 16 box with two cavities of radius 5
  const two = shape([84, 44, 44], (x, y, z) => {
    const box = Math.max(Math.abs(x) - 18, Math.abs(y) - 8, Math.abs(z) - 8);
    return Math.max(box, -ball(x, y, z, 5, [-9, 0, 0]), -ball(x, y, z, 5, [9, 0, 0]));
  });
  const r = drainHoles(wasm, two, { diameterMm: 2, down: [0, 0, -1] });
  assert.equal(r.holes.filter((h) => h.cut).length, 2);
  assert.deepEqual([r.voidsBefore, r.voidsAfter], [2, 0]);
  assertPrintable(checkMesh(r.mesh), 'two holes');

  // a hollow ball with a bead hanging under it on a neck of 2 mm: a 3 mm hole straight down would
  // drill the neck away and leave the bead loose
  const bead = shape([48, 48, 72], (x, y, z) =>
    Math.min(Math.max(ball(x, y, z, 10), -ball(x, y, z, 6)), Math.max(Math.hypot(x, y) - 1, Math.abs(z + 12.5) - 3), ball(x, y, z, 2.5, [0, 0, -16])),
  );
  const before = classifyShells(bead);
  assert.deepEqual([before.solids, before.voids], [1, 1]);
  const b = drainHoles(wasm, bead, { diameterMm: 3, down: [0, 0, -1] });
  assert.equal(b.holes[0].cut, false);
  assert.match(b.holes[0].why!, /cut a piece off/);
  const after = classifyShells(b.mesh);
  assert.deepEqual([after.solids, after.voids], [1, 1], 'left as it was');
  // drained sideways instead, it works
  const side = drainHoles(wasm, bead, { diameterMm: 3, down: [1, 0, 0] });
  assert.equal(side.holes[0].cut, true, side.holes[0].why);
  assert.equal(side.voidsAfter, 0);
});

test('automatic holes skip voids under the minimum volume', async () => {
  const wasm = await loadManifold();
  const r = drainHoles(wasm, hollowBall(), { diameterMm: 3, down: [0, 0, -1], minVoidMm3: 3000 }); // the cavity is 2145 mm³
  assert.equal(r.holes.length, 0);
  assert.equal(r.voidsAfter, 1);
  assert.throws(() => drainHoles(wasm, hollowBall(), { diameterMm: 0, down: [0, 0, -1] }), RangeError);
});
