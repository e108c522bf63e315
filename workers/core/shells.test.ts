import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyShells, Containment } from './shells';
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

/** An axis-aligned box [0, n]³ wound outward, each face split along a diagonal (on the +x face: y = z). */
function box(n: number): Mesh {
  const positions = new Float32Array([0, 0, 0, n, 0, 0, 0, n, 0, n, n, 0, 0, 0, n, n, 0, n, 0, n, n, n, n, n]);
  // corners: bit 0 = x, bit 1 = y, bit 2 = z
  const quads = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  return { positions, indices: new Uint32Array(quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d])) };
}

test('rays along +x: 1 inside a closed box, 0 outside, not trusted through its edges; the solid angles agree', () => {
  const m = box(10);
  const r = classifyShells(m);
  const c = new Containment(m, r.shellOfTriangle, r.shells);
  assert.equal(c.rayWinding(0, [3, 4.1, 6.3]), 1);
  assert.equal(c.rayWinding(0, [-3, 4.1, 6.3]), 0, 'from outside, before it: in and out again');
  assert.equal(c.rayWinding(0, [13, 4.1, 6.3]), 0);
  assert.equal(c.rayWinding(0, [3, 12, 6.3]), 0);
  // y = z is the diagonal of the +x face (and of the −x face): an edge in the ray's way
  assert.ok(Number.isNaN(c.rayWinding(0, [3, 5, 5])));
  // y = 10 runs along the box's top edge: from outside, a ray that grazes it
  assert.ok(Number.isNaN(c.rayWinding(0, [-3, 10, 4])) || c.rayWinding(0, [-3, 10, 4]) === 0);
  assert.ok(Math.abs(c.windingNumber(0, [3, 5, 5]) - 1) < 1e-9);
  assert.ok(Math.abs(c.windingNumber(0, [13, 5, 5])) < 1e-9);
  // the box turned inside out: −1 inside
  const flipped = new Uint32Array(m.indices);
  for (let t = 0; t < flipped.length; t += 3) [flipped[t + 1], flipped[t + 2]] = [flipped[t + 2], flipped[t + 1]];
  const f = { positions: m.positions, indices: flipped };
  const rf = classifyShells(f);
  assert.equal(new Containment(f, rf.shellOfTriangle, rf.shells).rayWinding(0, [3, 4.1, 6.3]), -1);
});

test('Swiss cheese: every cavity of a block is a void in it, every ball in a cavity a solid, as the solid angles say', () => {
  // a 40 mm block with 27 cavities on a grid, a ball in every other cavity; unsmoothed marching cubes, so
  // many vertices sit on grid lines and many rays run along the surfaces' edges
  const cavities: [number, number, number][] = [];
  for (const x of [-12, 0, 12]) for (const y of [-12, 0, 12]) for (const z of [-12, 0, 12]) cavities.push([x, y, z]);
  const m = mesh((x, y, z) => {
    let d = Math.max(Math.abs(x), Math.abs(y), Math.abs(z)) - 19;
    cavities.forEach(([cx, cy, cz], i) => {
      const r = Math.hypot(x - cx, y - cy, z - cz);
      d = Math.max(d, 4.5 - Math.max(Math.abs(x - cx), Math.abs(y - cy), Math.abs(z - cz)));
      if (i % 2 === 0) d = Math.min(d, r - 2.2);
    });
    return d;
  }, 48);
  const r = classifyShells(m);
  assert.deepEqual([r.solids, r.voids, r.inverted], [1 + 14, 27, 0]);
  const block = r.shells.reduce((b, s, i) => (s.volumeMm3 > r.shells[b].volumeMm3 ? i : b), 0);
  for (const s of r.shells) if (s.kind === 'void') assert.equal(s.inside, block);
});
