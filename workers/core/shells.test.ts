import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyShells } from './shells';
import { marchingCubes } from './marchingCubes';
import { thresholdMask } from './threshold';
import { volumeFrom } from './testVolumes';
import type { Mesh } from './types';

const RANGE = { lower: 0, upper: 32767 };
const mesh = (sd: (x: number, y: number, z: number) => number, n = 48, s = 1): Mesh => {
  const vol = volumeFrom([n, n, n], [s, s, s], sd);
  return marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
};

test('a hollow sphere is 1 solid + 1 enclosed void inside it; volumes add up to the shell', () => {
  const m = mesh((x, y, z) => {
    const r = Math.hypot(x, y, z);
    return Math.max(r - 20, 12 - r); // shell between r = 12 and r = 20
  });
  const r = classifyShells(m);
  assert.equal(r.solids, 1);
  assert.equal(r.voids, 1);
  assert.equal(r.inverted, 0);
  const solid = r.shells.findIndex((s) => s.kind === 'solid');
  const hole = r.shells.find((s) => s.kind === 'void')!;
  assert.equal(hole.inside, solid);
  assert.ok(hole.volumeMm3 < 0);
  const analytic = (4 / 3) * Math.PI * (20 ** 3 - 12 ** 3);
  assert.ok(Math.abs(r.solidMm3 / analytic - 1) < 0.01, `${r.solidMm3} vs ${analytic}`);
  assert.equal(r.shellOfTriangle.length, m.indices.length / 3);
});

test('two separate spheres are 2 solids, no void; a ball inside a hollow sphere is a solid too', () => {
  const two = classifyShells(mesh((x, y, z) => Math.min(Math.hypot(x - 10, y, z) - 7, Math.hypot(x + 10, y, z) - 7)));
  assert.deepEqual([two.solids, two.voids, two.inverted], [2, 0, 0]);
  const nested = classifyShells(
    mesh((x, y, z) => {
      const r = Math.hypot(x, y, z);
      return Math.min(Math.max(r - 20, 12 - r), r - 6); // shell, and a ball of radius 6 in its cavity
    }),
  );
  assert.deepEqual([nested.solids, nested.voids, nested.inverted], [2, 1, 0]);
  const big = nested.shells.reduce((b, s, i) => (s.volumeMm3 > nested.shells[b].volumeMm3 ? i : b), 0);
  assert.equal(nested.shells.find((s) => s.kind === 'void')!.inside, big);
});

test('an inside-out sphere is reported as inverted, not as a void', () => {
  const m = mesh((x, y, z) => Math.hypot(x, y, z) - 10);
  const flipped = new Uint32Array(m.indices);
  for (let t = 0; t < flipped.length; t += 3) [flipped[t + 1], flipped[t + 2]] = [flipped[t + 2], flipped[t + 1]];
  const r = classifyShells({ positions: m.positions, indices: flipped });
  assert.deepEqual([r.solids, r.voids, r.inverted], [0, 0, 1]);
  assert.deepEqual(classifyShells({ positions: new Float32Array(0), indices: new Uint32Array(0) }).shells, []);
});
