import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentSizes, keepLargestComponent } from './components';
import { rng } from './testVolumes';
import type { Vec3 } from './types';

function maskOf(dims: Vec3, inside: (i: number, j: number, k: number) => boolean): Uint8Array {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) m[i + dims[0] * (j + dims[1] * k)] = inside(i, j, k) ? 1 : 0;
  return m;
}

/** Reference: breadth-first search over face neighbours. */
function bfsSizes(mask: Uint8Array, [nx, ny, nz]: Vec3): number[] {
  const seen = new Uint8Array(mask.length);
  const sizes: number[] = [];
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || seen[s]) continue;
    let n = 0;
    const queue = [s];
    seen[s] = 1;
    while (queue.length) {
      const v = queue.pop()!;
      n++;
      const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
      const nb = [i > 0 && v - 1, i < nx - 1 && v + 1, j > 0 && v - nx, j < ny - 1 && v + nx, k > 0 && v - nx * ny, k < nz - 1 && v + nx * ny];
      for (const w of nb) if (w !== false && mask[w] && !seen[w]) (seen[w] = 1), queue.push(w);
    }
    sizes.push(n);
  }
  return sizes.sort((a, b) => b - a);
}

test('face connectivity: cubes touching along an edge or a corner are separate pieces', () => {
  assert.deepEqual(componentSizes(maskOf([4, 4, 4], (i, j) => (i === 1 && j === 1) || (i === 2 && j === 2)), [4, 4, 4]), [4, 4]);
  assert.deepEqual(componentSizes(maskOf([3, 3, 3], (i, j, k) => (i === 0 && j === 0 && k === 0) || (i === 1 && j === 1 && k === 1)), [3, 3, 3]), [1, 1]);
  // A U shape joined only through the slice below is one piece.
  const u = maskOf([5, 3, 3], (i, _j, k) => (k === 0 && i <= 4) || (k > 0 && (i === 0 || i === 4)));
  assert.deepEqual(componentSizes(u, [5, 3, 3]), [5 * 3 + 2 * 3 * 2]);
});

test('random masks: sizes equal a breadth-first-search reference', () => {
  for (const [seed, density] of [[1, 0.2], [2, 0.31], [3, 0.5], [4, 0.7]] as const) {
    const r = rng(seed);
    const dims: Vec3 = [40, 37, 33];
    const mask = maskOf(dims, () => r() < density);
    assert.deepEqual(componentSizes(mask, dims), bfsSizes(mask, dims), `seed ${seed}`);
  }
});

test('keepLargestComponent keeps exactly the largest piece', () => {
  const dims: Vec3 = [20, 10, 10];
  const mask = maskOf(dims, (i, j, k) => (i < 5 && j < 5 && k < 5) || (i > 10 && j > 2 && k > 2) || (i === 8 && j === 8 && k === 8));
  const big = mask.slice();
  const stats = keepLargestComponent(mask, dims);
  assert.deepEqual(stats, { kept: 9 * 7 * 7, removed: 125 + 1, pieces: 3 });
  for (let v = 0; v < mask.length; v++) {
    const i = v % 20;
    assert.equal(mask[v], big[v] && i > 10 ? 1 : 0);
  }
  assert.deepEqual(keepLargestComponent(new Uint8Array(8), [2, 2, 2]), { kept: 0, removed: 0, pieces: 0 });
});
