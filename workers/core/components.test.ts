import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  componentSizes,
  doubleThreshold,
  fillCavities,
  keepLargestComponent,
  keepPiecesWithSeeds,
  mm3ToVoxels,
  removeSmallPieces,
  MASK_FILLED,
} from './components';
import type { CropBox } from './maskOps';
import { makeHeadPhantom, SKULL_INNER, SKULL_OUTER, skullShellVolumeMm3, TABLE } from './phantom';
import { thresholdMask } from './threshold';
import { rng } from './testVolumes';
import type { ThresholdRange, Vec3, Volume } from './types';

/** Filled voxels carry MASK_FILLED, kept ones 1: compare as set / not set. */
const binary = (m: Uint8Array) => m.map((x) => (x ? 1 : 0));

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
  const { largest, nextLargest, ...stats } = keepLargestComponent(mask, dims);
  assert.deepEqual(stats, { kept: 9 * 7 * 7, removed: 125 + 1, pieces: 3 });
  assert.deepEqual(largest && { voxels: largest.voxels, min: largest.min, max: largest.max }, { voxels: 9 * 7 * 7, min: [11, 3, 3], max: [19, 9, 9] });
  assert.deepEqual(nextLargest.map((p) => p.voxels), [125, 1]);
  for (let v = 0; v < mask.length; v++) {
    const i = v % 20;
    assert.equal(mask[v], big[v] && i > 10 ? 1 : 0);
  }
  assert.deepEqual(keepLargestComponent(new Uint8Array(8), [2, 2, 2]), { kept: 0, removed: 0, pieces: 0, largest: null, nextLargest: [] });
});

test('keepLargestComponent lists the largest pieces it removed, largest first, at most three', () => {
  // cubes of side 1…6 along x, one voxel apart (and a second cube of side 4: ties keep both)
  const sides = [3, 1, 6, 4, 2, 5, 4];
  const starts: number[] = [];
  let x = 0;
  for (const s of sides) {
    starts.push(x);
    x += s + 1;
  }
  const dims: Vec3 = [x, 6, 6];
  const mask = maskOf(dims, (i, j, k) => sides.some((s, n) => i >= starts[n] && i < starts[n] + s && j < s && k < s));
  const big = mask.slice();
  const stats = keepLargestComponent(mask, dims);
  assert.equal(stats.kept, 216);
  assert.deepEqual(stats.nextLargest.map((p) => p.voxels), [125, 64, 64]);
  assert.equal(stats.removed, 27 + 1 + 64 + 8 + 125 + 64);
  // each piece's box, and its seed: a voxel of it, which keeps exactly that piece
  const boxOf = (n: number) => ({ min: [starts[n], 0, 0], max: [starts[n] + sides[n] - 1, sides[n] - 1, sides[n] - 1] });
  assert.deepEqual([stats.largest!, ...stats.nextLargest].map((p) => ({ min: p.min, max: p.max })), [boxOf(2), boxOf(5), boxOf(3), boxOf(6)]);
  for (const [n, p] of [[2, stats.largest!], [5, stats.nextLargest[0]], [6, stats.nextLargest[2]]] as const) {
    const one = big.slice();
    assert.equal(keepPiecesWithSeeds(one, dims, [p.seed]).kept, sides[n] ** 3);
  }
  // one piece: nothing else was removed
  assert.deepEqual(keepLargestComponent(maskOf([3, 3, 3], () => true), [3, 3, 3]).nextLargest, []);
});

const idx = ([nx, ny]: Vec3, i: number, j: number, k: number) => i + nx * (j + ny * k);
const count = (m: Uint8Array) => m.reduce((a, b) => a + (b ? 1 : 0), 0);
const ball = (c: Vec3, r: number) => (i: number, j: number, k: number) => (i - c[0]) ** 2 + (j - c[1]) ** 2 + (k - c[2]) ** 2 <= r * r;

/** Reference for fillCavities: background voxels reached from the border (of the box) by face steps. */
function bfsFill(mask: Uint8Array, [nx, ny, nz]: Vec3, box: CropBox): Uint8Array {
  const out = mask.slice();
  const inBox = (i: number, j: number, k: number) =>
    i >= box.min[0] && i <= box.max[0] && j >= box.min[1] && j <= box.max[1] && k >= box.min[2] && k <= box.max[2];
  const reach = new Uint8Array(mask.length);
  const stack: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (!inBox(i, j, k)) (out[v] = 0), (reach[v] = 1);
      }
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (reach[v] || mask[v]) continue;
        const border = [[i - 1, j, k], [i + 1, j, k], [i, j - 1, k], [i, j + 1, k], [i, j, k - 1], [i, j, k + 1]].some(
          ([a, b, c]) => a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz || !inBox(a, b, c),
        );
        if (border) (reach[v] = 1), stack.push(v);
      }
  while (stack.length) {
    const v = stack.pop()!;
    const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
    const nb = [i > 0 && v - 1, i < nx - 1 && v + 1, j > 0 && v - nx, j < ny - 1 && v + nx, k > 0 && v - nx * ny, k < nz - 1 && v + nx * ny];
    for (const w of nb) if (w !== false && !mask[w] && !reach[w]) (reach[w] = 1), stack.push(w);
  }
  for (let v = 0; v < mask.length; v++) if (!reach[v]) out[v] = 1;
  return out;
}

// ---------------------------------------------------------------------------------------- seeds

test('keepPiecesWithSeeds keeps exactly the pieces holding a seed', () => {
  const dims: Vec3 = [32, 16, 16];
  const inA = ball([8, 8, 8], 5), inB = ball([23, 8, 8], 5);
  const both = maskOf(dims, (i, j, k) => inA(i, j, k) || inB(i, j, k));
  const a = maskOf(dims, inA), b = maskOf(dims, inB);
  const na = count(a), nb = count(b);
  assert.ok(na > 400 && na === nb);

  let m = both.slice();
  const s1 = keepPiecesWithSeeds(m, dims, [idx(dims, 8, 8, 8)]);
  assert.deepEqual(s1, { kept: na, removed: nb, pieces: 2, seedsHit: 1 });
  assert.deepEqual(m, a);

  m = both.slice();
  // a seed on each ball, one on the background (ignored), one out of range (ignored), one repeated
  const s2 = keepPiecesWithSeeds(m, dims, [idx(dims, 4, 8, 8), idx(dims, 26, 9, 7), 0, -5, 1e9, idx(dims, 26, 9, 7)]);
  assert.deepEqual(s2, { kept: na + nb, removed: 0, pieces: 2, seedsHit: 3 });
  assert.deepEqual(m, both);

  m = both.slice();
  const s3 = keepPiecesWithSeeds(m, dims, [idx(dims, 15, 8, 8), idx(dims, 0, 0, 0)]);
  assert.deepEqual(s3, { kept: 0, removed: na + nb, pieces: 2, seedsHit: 0 });
  assert.equal(count(m), 0);

  // Seeds at the first and last voxel of a run (run lookup edges), and a typed-array seed list.
  m = both.slice();
  const s4 = keepPiecesWithSeeds(m, dims, Int32Array.of(idx(dims, 28, 8, 8)));
  assert.equal(s4.seedsHit, 1);
  assert.deepEqual(m, b);
  m = both.slice();
  assert.equal(keepPiecesWithSeeds(m, dims, [idx(dims, 3, 8, 8)]).seedsHit, 1);
  assert.deepEqual(m, a);
});

test('keepPiecesWithSeeds: voxels touching only along an edge are separate pieces', () => {
  const dims: Vec3 = [3, 3, 3];
  const m = maskOf(dims, (i, j, k) => k === 1 && ((i === 0 && j === 0) || (i === 1 && j === 1)));
  const s = keepPiecesWithSeeds(m, dims, [idx(dims, 1, 1, 1)]);
  assert.deepEqual(s, { kept: 1, removed: 1, pieces: 2, seedsHit: 1 });
  assert.equal(m[idx(dims, 0, 0, 1)], 0);
});

test('phantom at 300 HU: a seed on the skull drops the table and keeps the whole skull', () => {
  const phantom = makeHeadPhantom();
  const { dims, spacing, origin } = phantom;
  const vox = (x: number, y: number, z: number) =>
    idx(dims, Math.round((x - origin[0]) / spacing[0]), Math.round((y - origin[1]) / spacing[1]), Math.round((z - origin[2]) / spacing[2]));
  const mask = thresholdMask(phantom, { lower: 300, upper: 32767 });
  const before = mask.slice();
  const tableSeed = vox(0, (TABLE.y0 + TABLE.y1) / 2, 0);
  assert.equal(mask[tableSeed], 1);
  const vertex = vox(0, -10, 5 + (SKULL_OUTER[2] + SKULL_INNER[2]) / 2);
  const stats = keepPiecesWithSeeds(mask, dims, [vertex]);
  assert.equal(stats.pieces, 2);
  assert.equal(stats.seedsHit, 1);
  assert.equal(mask[tableSeed], 0, 'table gone');
  assert.ok(stats.removed > 0);
  // every voxel at or below the table top is gone, every voxel above it is unchanged
  const [nx, ny, nz] = dims;
  const jTable = Math.floor((TABLE.y0 - 2 - origin[1]) / spacing[1]);
  let tableLeft = 0, skullChanged = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = idx(dims, i, j, k);
        if (j >= jTable) tableLeft += mask[v];
        else if (mask[v] !== before[v]) skullChanged++;
      }
  assert.equal(tableLeft, 0);
  assert.equal(skullChanged, 0);
  // Volume of the kept piece vs the analytic shell. Partial-volume voxels straddle the boundary, whose
  // true position is at half-max (500 HU): counting the kept voxels at ≥ 500 HU matches within 1 %, and
  // the 300-HU count itself over-counts by the boundary voxels with 30–50 % bone (≈ +6 %).
  const voxMm3 = spacing[0] * spacing[1] * spacing[2];
  const analytic = skullShellVolumeMm3();
  let halfMax = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v] && phantom.data[v] >= 500) halfMax++;
  const rel300 = (stats.kept * voxMm3 - analytic) / analytic, rel500 = (halfMax * voxMm3 - analytic) / analytic;
  console.log(`  skull: kept ${stats.kept} voxels at 300 HU (${(100 * rel300).toFixed(2)} %), ${halfMax} at ≥ 500 HU (${(100 * rel500).toFixed(2)} %)`);
  assert.ok(Math.abs(rel500) < 0.01, `half-max ${rel500}`);
  assert.ok(rel300 > 0 && rel300 < 0.08, `300 HU ${rel300}`);
  // The same phantom seeded on the table keeps the table only.
  const t = thresholdMask(phantom, { lower: 300, upper: 32767 });
  const ts = keepPiecesWithSeeds(t, dims, [tableSeed]);
  assert.equal(ts.kept + ts.removed, stats.kept + stats.removed);
  assert.equal(ts.kept, stats.removed);
  assert.equal(t[vertex], 0);
});

// ---------------------------------------------------------------------------------- small pieces

test('removeSmallPieces keeps exactly the pieces at or above the size', () => {
  const dims: Vec3 = [40, 8, 8];
  // cubes of side 1…5 (1, 8, 27, 64, 125 voxels), 2 voxels apart along x
  const starts = [1, 4, 8, 14, 22];
  const inCube = (i: number, j: number, k: number) => starts.some((s, n) => i >= s && i < s + n + 1 && j >= 1 && j < 2 + n && k >= 1 && k < 2 + n);
  const base = maskOf(dims, inCube);
  assert.deepEqual(componentSizes(base, dims), [125, 64, 27, 8, 1]);
  for (const [min, sizes] of [[0, [125, 64, 27, 8, 1]], [1, [125, 64, 27, 8, 1]], [2, [125, 64, 27, 8]], [27, [125, 64, 27]], [28, [125, 64]], [126, []]] as const) {
    const m = base.slice();
    const s = removeSmallPieces(m, dims, min);
    assert.deepEqual(componentSizes(m, dims), sizes, `min ${min}`);
    const kept = sizes.reduce((a: number, b: number) => a + b, 0);
    assert.deepEqual(s, { kept, removed: 225 - kept, pieces: 5 }, `min ${min}`);
    for (let v = 0; v < m.length; v++) assert.ok(m[v] <= base[v]);
  }
});

test('mm3ToVoxels: anisotropic spacing, exact multiples are not rounded up', () => {
  assert.equal(mm3ToVoxels(10, [0.5, 0.5, 2]), 20);
  assert.equal(mm3ToVoxels(10.01, [0.5, 0.5, 2]), 21);
  assert.equal(mm3ToVoxels(0.27, [0.3, 0.3, 0.3]), 10); // 0.27 / 0.027 = 10.000000000000002 in floating point
  assert.equal(mm3ToVoxels(1, [0.9, 0.9, 1.25]), 1);
  assert.equal(mm3ToVoxels(0, [1, 1, 1]), 0);
  // a 20-voxel piece (10 mm³) survives a 10 mm³ limit, a 19-voxel piece does not
  const dims: Vec3 = [30, 3, 3];
  const m = maskOf(dims, (i, j, k) => j === 1 && k === 1 && ((i >= 1 && i < 21) || (i >= 22 && i < 41)));
  assert.deepEqual(componentSizes(m, dims), [20, 8]); // (the second run is cut at the volume edge: 8 voxels)
  const m2 = maskOf([45, 3, 3], (i, j, k) => j === 1 && k === 1 && ((i >= 1 && i < 21) || (i >= 22 && i < 41)));
  const s = removeSmallPieces(m2, [45, 3, 3], mm3ToVoxels(10, [0.5, 0.5, 2]));
  assert.deepEqual(s, { kept: 20, removed: 19, pieces: 2 });
});

// ------------------------------------------------------------------------------ double threshold

function volumeOf(dims: Vec3, hu: (i: number, j: number, k: number) => number): Volume {
  const data = new Int16Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[idx(dims, i, j, k)] = hu(i, j, k);
  return { dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
}

/** dicom2stl / ITK DoubleThreshold: narrow marker, geodesic dilation (face neighbours) inside the wide mask. */
function geodesicReference(vol: Volume, narrow: ThresholdRange, wide: ThresholdRange): Uint8Array {
  const [nx, ny, nz] = vol.dims;
  const inR = (v: number, r: ThresholdRange) => v >= r.lower && v <= r.upper;
  const w = Uint8Array.from(vol.data, (v) => (inR(v, wide) ? 1 : 0));
  let m = Uint8Array.from(vol.data, (v, p) => (inR(v, narrow) && w[p] ? 1 : 0));
  for (;;) {
    const next = m.slice();
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const v = i + nx * (j + ny * k);
          if (m[v] || !w[v]) continue;
          if ((i > 0 && m[v - 1]) || (i < nx - 1 && m[v + 1]) || (j > 0 && m[v - nx]) || (j < ny - 1 && m[v + nx]) || (k > 0 && m[v - nx * ny]) || (k < nz - 1 && m[v + nx * ny]))
            next[v] = 1;
        }
    if (next.every((x, p) => x === m[p])) return m;
    m = next;
  }
}

test('doubleThreshold keeps wide-band pieces touching the narrow band, drops wide-only ones', () => {
  const dims: Vec3 = [40, 12, 8];
  // bar A (y 1..3): a gradient 100 → 490 HU along x, so its right end is in the narrow band;
  // bar B (y 6..8): 100 → 295 HU, wide band only; bar C (y 10): narrow values but outside the wide band
  const vol = volumeOf(dims, (i, j, k) => {
    if (k < 2 || k > 5 || i < 1 || i > 39) return -1000;
    if (j >= 1 && j <= 3) return 100 + 10 * (i - 1);
    if (j >= 6 && j <= 8) return 100 + 5 * (i - 1);
    if (j === 10) return 2000;
    return -1000;
  });
  const narrow = { lower: 400, upper: 3000 }, wide = { lower: 100, upper: 1000 };
  const out = new Uint8Array(vol.data.length);
  const s = doubleThreshold(vol, narrow, wide, out);
  assert.deepEqual(s, { kept: 39 * 3 * 4, removed: 39 * 3 * 4, pieces: 2 });
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) assert.equal(out[idx(dims, i, j, k)], k >= 2 && k <= 5 && i >= 1 && j >= 1 && j <= 3 ? 1 : 0);
  // narrow alone would give only the end of bar A
  assert.ok(count(thresholdMask(vol, { lower: 400, upper: 1000 })) < s.kept / 2);
  assert.deepEqual(out, geodesicReference(vol, narrow, wide));
});

test('doubleThreshold equals the geodesic-dilation reference on random smooth volumes', () => {
  for (const seed of [5, 6, 7]) {
    const r = rng(seed);
    const dims: Vec3 = [24, 20, 14];
    const blobs = Array.from({ length: 12 }, () => [r() * 24, r() * 20, r() * 14, 2 + r() * 4, 200 + r() * 900]);
    const vol = volumeOf(dims, (i, j, k) => {
      let v = -200 + 150 * r();
      for (const [x, y, z, rad, hu] of blobs) if ((i - x) ** 2 + (j - y) ** 2 + (k - z) ** 2 < rad * rad) v = Math.max(v, hu - 60 * Math.hypot(i - x, j - y, k - z));
      return Math.round(v);
    });
    const narrow = { lower: 700, upper: 32767 }, wide = { lower: 150, upper: 32767 };
    const out = new Uint8Array(vol.data.length);
    const s = doubleThreshold(vol, narrow, wide, out);
    const ref = geodesicReference(vol, narrow, wide);
    assert.deepEqual(out, ref, `seed ${seed}`);
    assert.ok(s.kept > 0 && s.removed > 0, `seed ${seed}: both kept and removed pieces (${s.kept}, ${s.removed})`);
    // With a crop: the same as the reference on the volume blanked outside the box.
    const crop: CropBox = { min: [3, 2, 1], max: [17, 15, 11] };
    const inBox = (i: number, j: number, k: number) => i >= 3 && i <= 17 && j >= 2 && j <= 15 && k >= 1 && k <= 11;
    const blank = volumeOf(dims, (i, j, k) => (inBox(i, j, k) ? vol.data[idx(dims, i, j, k)] : -1000));
    const outC = new Uint8Array(vol.data.length).fill(7);
    doubleThreshold(vol, narrow, wide, outC, crop);
    assert.deepEqual(outC, geodesicReference(blank, narrow, wide), `seed ${seed} cropped`);
  }
});

// ---------------------------------------------------------------------------------- cavities

test('fillCavities fills a hollow ball to the solid ball, with exactly its interior', () => {
  const dims: Vec3 = [30, 28, 26];
  const c: Vec3 = [14.5, 13.2, 12.7];
  const solid = maskOf(dims, ball(c, 11));
  const interior = maskOf(dims, ball(c, 8));
  const shell = maskOf(dims, (i, j, k) => ball(c, 11)(i, j, k) && !ball(c, 8)(i, j, k));
  const m = shell.slice();
  assert.deepEqual(fillCavities(m, dims), { filled: count(interior), cavities: 1 });
  assert.deepEqual(binary(m), solid);
  assert.deepEqual(fillCavities(m, dims), { filled: 0, cavities: 0 }, 'idempotent');
  // a ball floating inside the cavity: the air between is still enclosed
  const nested = maskOf(dims, (i, j, k) => shell[idx(dims, i, j, k)] === 1 || ball(c, 4)(i, j, k));
  assert.deepEqual(fillCavities(nested, dims), { filled: count(interior) - count(maskOf(dims, ball(c, 4))), cavities: 1 });
  assert.deepEqual(binary(nested), solid);
});

test('fillCavities leaves a shell with a tunnel to the outside open', () => {
  const dims: Vec3 = [30, 28, 26];
  const c: Vec3 = [14.5, 13.2, 12.7];
  const tunnel = (i: number, j: number, k: number) => i >= 14 && Math.abs(j - 13) <= 1 && Math.abs(k - 13) <= 1;
  const m = maskOf(dims, (i, j, k) => ball(c, 11)(i, j, k) && !ball(c, 8)(i, j, k) && !tunnel(i, j, k));
  const before = m.slice();
  assert.deepEqual(fillCavities(m, dims), { filled: 0, cavities: 0 });
  assert.deepEqual(m, before);
  // a tunnel only one voxel wide, closed at the face but open along an edge, does not let air out:
  // background connectivity is face connectivity too
  const d3: Vec3 = [5, 5, 5];
  const cube = maskOf(d3, (i, j, k) => !(i === 2 && j === 2 && k === 2) && !(i === 3 && j === 3 && k === 2) && i >= 1 && i <= 3 && j >= 1 && j <= 3 && k >= 1 && k <= 3);
  // (3,3,2) is a notch on the cube's vertical edge, touching the centre (2,2,2) only along an edge
  assert.deepEqual(fillCavities(cube, d3), { filled: 1, cavities: 1 });
  assert.equal(cube[idx(d3, 2, 2, 2)], MASK_FILLED);
  assert.equal(cube[idx(d3, 3, 3, 2)], 0);
});

test('fillCavities with a crop box: a cavity cut by the box counts as outside', () => {
  const dims: Vec3 = [30, 28, 26];
  const c: Vec3 = [14.5, 13.2, 12.7];
  const shell = maskOf(dims, (i, j, k) => ball(c, 11)(i, j, k) && !ball(c, 8)(i, j, k));
  const interior = count(maskOf(dims, ball(c, 8)));
  // a box holding the whole ball, the shell touching its faces: the cavity is still enclosed
  const around: CropBox = { min: [3, 2, 1], max: [26, 24, 24] };
  let m = shell.slice();
  assert.deepEqual(fillCavities(m, dims, around), { filled: interior, cavities: 1 });
  assert.deepEqual(binary(m), maskOf(dims, ball(c, 11)));
  // a box cutting through the cavity: it opens onto the outside, nothing is filled; the rest is cleared
  const cut: CropBox = { min: [0, 0, 0], max: [14, 27, 25] };
  m = shell.slice();
  assert.deepEqual(fillCavities(m, dims, cut), { filled: 0, cavities: 0 });
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) assert.equal(m[idx(dims, i, j, k)], i <= 14 ? shell[idx(dims, i, j, k)] : 0);
});

test('fillCavities equals a flood-fill reference on random masks, with and without crop', () => {
  for (const [seed, density] of [[11, 0.45], [12, 0.6], [13, 0.7]] as const) {
    const r = rng(seed);
    const dims: Vec3 = [21, 18, 15];
    const mask = maskOf(dims, () => r() < density);
    for (const box of [{ min: [0, 0, 0], max: [20, 17, 14] }, { min: [2, 3, 1], max: [15, 16, 9] }, { min: [5, 0, 4], max: [5, 17, 14] }] as CropBox[]) {
      const m = mask.slice();
      const s = fillCavities(m, dims, box);
      const ref = bfsFill(mask, dims, box);
      assert.deepEqual(binary(m), ref, `seed ${seed} box ${JSON.stringify(box)}`);
      let filled = 0;
      for (let v = 0; v < m.length; v++) if (m[v] && !mask[v]) filled++;
      assert.equal(s.filled, filled);
    }
  }
});

test('keepLargestComponent with a crop: the largest piece inside the box wins, outside is cleared', () => {
  const dims: Vec3 = [30, 10, 10];
  const big = (i: number, j: number, k: number) => i >= 15 && i < 28 && j >= 1 && j < 9 && k >= 1 && k < 9; // 13·8·8
  const small = (i: number, j: number, k: number) => i >= 1 && i < 5 && j >= 1 && j < 5 && k >= 1 && k < 5; // 64
  const dot = (i: number, j: number, k: number) => i === 8 && j === 5 && k === 5;
  const m = maskOf(dims, (i, j, k) => big(i, j, k) || small(i, j, k) || dot(i, j, k));
  const s = keepLargestComponent(m, dims, { min: [0, 0, 0], max: [16, 9, 9] });
  // inside the box: small (64), dot (1), and a 2-voxel-thick slab of big (2·8·8 = 128)
  assert.deepEqual({ ...s, largest: undefined, nextLargest: s.nextLargest.map((p) => p.voxels) }, { kept: 128, removed: 65, pieces: 3, largest: undefined, nextLargest: [64, 1] });
  assert.equal(count(m), 128);
  for (let v = 0; v < m.length; v++) if (m[v]) assert.ok(v % 30 === 15 || v % 30 === 16);
});

test('masks at any byte offset, with long runs and values other than 1 (word skipping)', () => {
  const dims: Vec3 = [45, 13, 11];
  const r = rng(99);
  // blocky mask: long runs of set and unset voxels along x, some voxels 128 or 255 (any non-zero is set)
  const ref = new Uint8Array(dims[0] * dims[1] * dims[2]);
  let on = 0;
  for (let v = 0; v < ref.length; v++) {
    if (r() < 0.08) on ^= 1;
    ref[v] = on ? (r() < 0.1 ? 128 : r() < 0.1 ? 255 : 1) : 0;
  }
  const binary = ref.map((x) => (x ? 1 : 0));
  for (let off = 0; off < 8; off++) {
    const buf = new Uint8Array(ref.length + 16);
    const m = buf.subarray(off, off + ref.length);
    m.set(ref);
    assert.deepEqual(componentSizes(m, dims), bfsSizes(binary, dims), `offset ${off}`);
    const f = m.slice(); // (a copy: offset 0)
    fillCavities(m, dims);
    fillCavities(f, dims);
    assert.deepEqual(m.map((x) => (x ? 1 : 0)), bfsFill(binary, dims, { min: [0, 0, 0], max: [44, 12, 10] }), `offset ${off}`);
    assert.deepEqual(m, f);
  }
  // a tiny mask at the end of its buffer
  const tiny = new Uint8Array(5).subarray(3);
  tiny.set([1, 1]);
  assert.deepEqual(componentSizes(tiny, [2, 1, 1]), [2]);
});
