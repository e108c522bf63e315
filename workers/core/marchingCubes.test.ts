import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes, marchSlab, splitSlabs, stitchSlabs } from './marchingCubes';
import { fillCavities, MASK_FILLED } from './components';

const thresholdMaskOf = (v: Volume) => thresholdMask(v, BONE);
import { keepLargestComponent } from './components';
import { caseLoops, EDGE_CORNERS, TRI_EDGES, TRI_OFFSETS } from './mcTable';
import { checkMesh } from './meshCheck';
import { makeHeadPhantom } from './phantom';
import { thresholdMask } from './threshold';
import { BONE, binaryVolume, rng, volumeFrom } from './testVolumes';
import type { Mesh, Vec3, Volume } from './types';
import { assertPrintable } from './testAssert';


const within = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) / expected < tol, `${what}: ${actual.toFixed(1)} vs ${expected.toFixed(1)} (tolerance ${tol * 100} %)`);

test('the case table: every one of the 256 configurations closes into loops', () => {
  for (let c = 0; c < 256; c++) {
    const loops = caseLoops(c);
    const edges = loops.flat();
    assert.equal(new Set(edges).size, edges.length, `case ${c}: an edge in two loops`);
    const crossing = edges.length;
    assert.equal(TRI_OFFSETS[c + 1] - TRI_OFFSETS[c], 3 * (crossing - 2 * loops.length), `case ${c}: triangle count`);
  }
});

test('every single 2×2×2 configuration gives a closed, outward, manifold surface', () => {
  for (let c = 0; c < 256; c++) {
    const v = binaryVolume([2, 2, 2], (i, j, k) => ((c >> (i + 2 * j + 4 * k)) & 1) === 1);
    const r = checkMesh(marchingCubes(v, BONE));
    if (c === 0) assert.equal(r.triangles, 0);
    else assertPrintable(r, `config ${c}`);
  }
});

test('sphere on an anisotropic grid: closed 2-manifold, Euler 2, volume within 2 %', () => {
  const r = 20;
  const v = volumeFrom([60, 54, 46], [0.8, 0.9, 1.1], (x, y, z) => Math.hypot(x, y, z) - r);
  const rep = checkMesh(marchingCubes(v, BONE));
  assertPrintable(rep, 'sphere');
  assert.equal(rep.shells, 1);
  assert.equal(rep.eulerCharacteristic, 2);
  within(rep.volumeMm3, (4 / 3) * Math.PI * r ** 3, 0.02, 'sphere volume');
  within(rep.areaMm2, 4 * Math.PI * r ** 2, 0.05, 'sphere area');
});

test('torus: genus 1 (Euler characteristic 0), closed, volume within 2 %', () => {
  const R = 18, a = 6;
  const v = volumeFrom([78, 78, 24], [0.7, 0.7, 0.8], (x, y, z) => Math.hypot(Math.hypot(x, y) - R, z) - a);
  const rep = checkMesh(marchingCubes(v, BONE));
  assertPrintable(rep, 'torus');
  assert.equal(rep.eulerCharacteristic, 0);
  assert.equal(rep.shells, 1);
  within(rep.volumeMm3, 2 * Math.PI ** 2 * R * a * a, 0.02, 'torus volume');
});

test('hollow ellipsoid shell: two shells (outer and cavity), volume = outer − inner within 3 %', () => {
  const outer: Vec3 = [24, 18, 15], inner: Vec3 = [18, 12, 9];
  const ell = (p: number[], a: Vec3) => (Math.hypot(p[0] / a[0], p[1] / a[1], p[2] / a[2]) - 1) * Math.min(...a);
  const v = volumeFrom([64, 50, 42], [0.8, 0.8, 0.8], (x, y, z) => Math.max(ell([x, y, z], outer), -ell([x, y, z], inner)));
  const rep = checkMesh(marchingCubes(v, BONE));
  assertPrintable(rep, 'shell');
  assert.equal(rep.shells, 2);
  const vol = (a: Vec3) => (4 / 3) * Math.PI * a[0] * a[1] * a[2];
  within(rep.volumeMm3, vol(outer) - vol(inner), 0.03, 'shell volume');
});

test('adversarial volumes are closed, manifold and outward', () => {
  const cases: [string, Volume, number?][] = [
    ['single voxel', binaryVolume([5, 5, 5], (i, j, k) => i === 2 && j === 2 && k === 2), 1],
    ['edge-touching voxels', binaryVolume([5, 5, 5], (i, j, k) => k === 2 && ((i === 1 && j === 1) || (i === 2 && j === 2))), 2],
    ['corner-touching voxels', binaryVolume([5, 5, 5], (i, j, k) => (i === 1 && j === 1 && k === 1) || (i === 2 && j === 2 && k === 2)), 2],
    ['checkerboard', binaryVolume([9, 8, 7], (i, j, k) => (i + j + k) % 2 === 0)],
    ['voxels on the border', binaryVolume([6, 6, 6], (i, j, k) => i === 0 || j === 5 || (k === 0 && i === 3))],
    ['full volume', binaryVolume([4, 3, 5], () => true), 1],
  ];
  for (const seed of [1, 2, 3]) {
    for (const density of [0.3, 0.5, 0.7]) {
      const r = rng(seed * 100 + density * 10);
      cases.push([`noise seed ${seed} density ${density}`, binaryVolume([30, 28, 26], () => r() < density)]);
    }
  }
  for (const [name, v, shells] of cases) {
    const rep = checkMesh(marchingCubes(v, BONE));
    assertPrintable(rep, name);
    if (shells !== undefined) assert.equal(rep.shells, shells, `${name}: shells`);
  }
});

const sameMesh = (a: Mesh, b: Mesh) => {
  assert.deepEqual(a.positions, b.positions);
  assert.deepEqual(a.indices, b.indices);
};

test('slabs stitched in any split equal the single-slab mesh exactly', () => {
  const r = rng(42);
  const noise = binaryVolume([24, 22, 31], () => r() < 0.5);
  const sphere = volumeFrom([40, 40, 40], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 15);
  for (const v of [noise, sphere]) {
    const whole = marchingCubes(v, BONE);
    for (const parts of [2, 3, 7, 32]) {
      const slabs = splitSlabs(v.dims[2], parts).map((z) => marchSlab(v, BONE, null, z));
      sameMesh(stitchSlabs(slabs), whole);
    }
    // uneven hand-made split
    const uneven: [number, number][] = [[0, 1], [1, 9], [9, 10], [10, v.dims[2] + 1]];
    sameMesh(stitchSlabs(uneven.map((z) => marchSlab(v, BONE, null, z))), whole);
  }
});

test('a slab sized from a hint and kept as views equals the grown, copied one; the hint spares the doublings', () => {
  const sphere = volumeFrom([64, 64, 64], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 28);
  const z: [number, number] = [0, 65];
  const grown = marchSlab(sphere, BONE, null, z);
  const vertices = grown.positions.length / 3;
  assert.ok(3 * vertices > 1 << 15, 'big enough to grow from the default size');
  for (const opts of [{ views: true }, { vertices }, { views: true, vertices }, { views: true, vertices: vertices / 3 }]) {
    const slab = marchSlab(sphere, BONE, null, z, opts);
    assert.deepEqual(slab.positions, grown.positions, JSON.stringify(opts));
    assert.deepEqual(slab.indices, grown.indices, JSON.stringify(opts));
    assert.deepEqual([slab.bottom, slab.top], [grown.bottom, grown.top]);
    if (!opts.views) assert.equal(slab.positions.buffer.byteLength, slab.positions.byteLength, 'an exact copy');
  }
  // with the right hint the arrays never grew: still the size the hint asked for
  const hinted = marchSlab(sphere, BONE, null, z, { views: true, vertices });
  assert.equal(hinted.positions.buffer.byteLength, 4 * (3 * vertices + 15));
});

test('patient coordinates: an oblique, slice-flipped volume is placed exactly, never mirrored', () => {
  // A blob at high i, low j, mid k. Direction: rotated 30° about z, and slices stacked along
  // −cross(dirI, dirJ) (as when DICOM slices are sorted head to foot): a left-handed index frame.
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const dirI = [c, s, 0], dirJ = [-s, c, 0], dirK = [0, 0, -1];
  const v = binaryVolume([12, 10, 8], (i, j, k) => i >= 8 && i <= 9 && j >= 1 && j <= 2 && k >= 3 && k <= 5);
  const vol: Volume = { ...v, spacing: [0.5, 0.7, 2], origin: [10, -20, 30], direction: [...dirI, ...dirJ, ...dirK] };
  const rep = checkMesh(marchingCubes(vol, BONE));
  assertPrintable(rep, 'oblique blob');
  // Expected: patient position of the blob's centre voxel (8.5, 1.5, 4) and of its extreme corners.
  const at = (i: number, j: number, k: number) =>
    [0, 1, 2].map((a) => vol.origin[a] + i * 0.5 * dirI[a] + j * 0.7 * dirJ[a] + k * 2 * dirK[a]);
  const centre = at(8.5, 1.5, 4);
  const mid = rep.bbox.min.map((m, a) => (m + rep.bbox.max[a]) / 2);
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(mid[a] - centre[a]) < 0.05, `centre axis ${a}: ${mid[a]} vs ${centre[a]}`);
  // z extent: slices 3…5 ± half a voxel of interpolation, mapped to z = 30 − 2k
  assert.ok(Math.abs(rep.bbox.max[2] - (30 - 2 * 2.5)) < 0.01 && Math.abs(rep.bbox.min[2] - (30 - 2 * 5.5)) < 0.01);
  // Mirroring would put the blob at the mirrored x: make sure it is on the +i side, which is +x·cos30°.
  assert.ok(centre[0] > vol.origin[0] + 3, 'blob on the high-i side');
});

test('upper threshold and mask restrict the surface', () => {
  // Two cubes: one at 500 HU, one at 1500 HU.
  const v = binaryVolume([12, 6, 6], (i, j, k) => j >= 1 && j <= 4 && k >= 1 && k <= 4 && ((i >= 1 && i <= 4) || (i >= 7 && i <= 10)));
  for (let q = 0; q < v.data.length; q++) if (v.data[q] > 0 && q % 12 >= 7) v.data[q] = 1500;
  for (let q = 0; q < v.data.length; q++) if (v.data[q] > 0 && q % 12 <= 4) v.data[q] = 500;
  const both = checkMesh(marchingCubes(v, { lower: 300, upper: 3000 }));
  const low = checkMesh(marchingCubes(v, { lower: 300, upper: 1000 }));
  assert.equal(both.shells, 2);
  assert.equal(low.shells, 1);
  assert.ok(low.bbox.max[0] < 6, 'only the 500 HU cube');
  const mask = new Uint8Array(v.data.length);
  for (let q = 0; q < mask.length; q++) mask[q] = q % 12 >= 7 && v.data[q] > 0 ? 1 : 0;
  const masked = checkMesh(marchingCubes(v, { lower: 300, upper: 3000 }, mask));
  assert.equal(masked.shells, 1);
  assert.ok(masked.bbox.min[0] > 6, 'only the masked cube');
  assertPrintable(masked, 'masked');
});

test('an upper threshold at the volume maximum does not move the surface (edges use the bound they cross)', () => {
  const v = volumeFrom([40, 40, 40], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 14);
  let max = -32768;
  for (const x of v.data) max = Math.max(max, x);
  const open = marchingCubes(v, { lower: 0, upper: 32767 });
  const atMax = marchingCubes(v, { lower: 0, upper: max });
  assert.deepEqual(atMax.positions, open.positions);
  assert.deepEqual(atMax.indices, open.indices);
});

// ---------------------------------------------------------------------------------------------
// The kernel is optimised (bit planes, word-wide skipping, vertices created in a precomputed order);
// this straightforward version (the original kernel, verbatim in behaviour) pins its output bit for
// bit: positions, vertex order, triangle order and the slab boundary lists.
function referenceMarchSlab(vol: Volume, range: { lower: number; upper: number }, mask: Uint8Array | null, layers: [number, number]) {
  const [nx, ny, nz] = vol.dims;
  const data = vol.data;
  const W = nx + 2, H = ny + 2, planeSize = W * H;
  const lo = range.lower - 0.5, hi = range.upper + 0.5;
  const [si, sj, sk] = vol.spacing;
  const d = vol.direction;
  const m = [d[0] * si, d[1] * si, d[2] * si, d[3] * sj, d[4] * sj, d[5] * sj, d[6] * sk, d[7] * sk, d[8] * sk];
  const [ox, oy, oz] = vol.origin;
  const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[3] * (m[1] * m[8] - m[2] * m[7]) + m[6] * (m[1] * m[5] - m[2] * m[4]);
  const flip = det < 0;
  const axisOf = EDGE_CORNERS.map(([a, b]) => Math.log2(a ^ b));
  const DX = EDGE_CORNERS.map(([a]) => a & 1), DY = EDGE_CORNERS.map(([a]) => (a >> 1) & 1), DZ = EDGE_CORNERS.map(([a]) => (a >> 2) & 1);
  const plane = () => ({ v: new Float32Array(planeSize), ins: new Uint8Array(planeSize), x: new Int32Array(planeSize), y: new Int32Array(planeSize) });
  let B = plane(), T = plane();
  const zC = new Int32Array(planeSize);
  const pos: number[] = [], idx: number[] = [];
  const fill = (z: number, p: ReturnType<typeof plane>) => {
    p.v.fill(NaN);
    p.ins.fill(0);
    p.x.fill(-1);
    p.y.fill(-1);
    if (z < 0 || z >= nz) return;
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const s = x + nx * (y + ny * z), q = (y + 1) * W + x + 1;
        p.v[q] = data[s];
        p.ins[q] = (data[s] > lo && data[s] < hi && (mask === null || mask[s] !== 0)) || (mask !== null && mask[s] === MASK_FILLED) ? 1 : 0;
      }
  };
  const vertex = (e: number, px: number, py: number, cz: number): number => {
    const axis = axisOf[e], dx = DX[e], dy = DY[e], dz = DZ[e];
    const cache = axis === 0 ? (dz ? T.x : B.x) : axis === 1 ? (dz ? T.y : B.y) : zC;
    const key = axis === 0 ? (py + dy) * W + px : axis === 1 ? py * W + px + dx : (py + dy) * W + px + dx;
    if (cache[key] >= 0) return cache[key];
    const pa = (py + dy) * W + px + dx;
    const pb = axis === 0 ? pa + 1 : axis === 1 ? pa + W : pa;
    const va = (dz ? T : B).v[pa], vb = (axis === 2 || dz ? T : B).v[pb];
    const aInside = (dz ? T : B).ins[pa] === 1;
    const vin = aInside ? va : vb, vout = aInside ? vb : va;
    let f = 0.5;
    if (vin > lo && vin < hi) {
      if (vout < lo) f = (vin - lo) / (vin - vout);
      else if (vout > hi) f = (hi - vin) / (vout - vin);
    }
    const t = aInside ? f : 1 - f;
    const i = px - 1 + dx + (axis === 0 ? t : 0), j = py - 1 + dy + (axis === 1 ? t : 0), k = cz + dz + (axis === 2 ? t : 0);
    pos.push(ox + m[0] * i + m[3] * j + m[6] * k, oy + m[1] * i + m[4] * j + m[7] * k, oz + m[2] * i + m[5] * j + m[8] * k);
    return (cache[key] = pos.length / 3 - 1);
  };
  const boundary = (p: ReturnType<typeof plane>) => {
    const pairs: number[] = [];
    for (let k = 0; k < planeSize; k++) {
      if (p.x[k] >= 0) pairs.push(2 * k, p.x[k]);
      if (p.y[k] >= 0) pairs.push(2 * k + 1, p.y[k]);
    }
    return Int32Array.from(pairs);
  };
  const [l0, l1] = layers;
  let bottom = new Int32Array(0);
  for (let l = l0; l < l1; l++) {
    const cz = l - 1;
    if (l === l0) fill(cz, B);
    else [B, T] = [T, B];
    fill(cz + 1, T);
    zC.fill(-1);
    for (let py = 0; py < H - 1; py++)
      for (let px = 0; px < W - 1; px++) {
        const p = py * W + px;
        const c = B.ins[p] | (B.ins[p + 1] << 1) | (B.ins[p + W] << 2) | (B.ins[p + W + 1] << 3) |
          (T.ins[p] << 4) | (T.ins[p + 1] << 5) | (T.ins[p + W] << 6) | (T.ins[p + W + 1] << 7);
        for (let t = TRI_OFFSETS[c]; t < TRI_OFFSETS[c + 1]; t += 3) {
          const a = vertex(TRI_EDGES[t], px, py, cz), b = vertex(TRI_EDGES[t + 1], px, py, cz), cc = vertex(TRI_EDGES[t + 2], px, py, cz);
          idx.push(a, flip ? cc : b, flip ? b : cc);
        }
      }
    if (l === l0) bottom = boundary(B);
  }
  const top = l1 > l0 ? boundary(T) : new Int32Array(0);
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx), bottom, top, planeKeys: 2 * planeSize };
}

function assertSameSlab(got: ReturnType<typeof marchSlab>, want: ReturnType<typeof referenceMarchSlab>, what: string) {
  assert.equal(got.positions.length, want.positions.length, `${what}: vertex count`);
  assert.equal(got.indices.length, want.indices.length, `${what}: triangle count`);
  for (let i = 0; i < want.positions.length; i++) {
    if (!Object.is(got.positions[i], want.positions[i])) assert.fail(`${what}: position ${i}: ${got.positions[i]} vs ${want.positions[i]}`);
  }
  assert.deepEqual(got.indices, want.indices, `${what}: indices`);
  assert.deepEqual(got.bottom, want.bottom, `${what}: bottom boundary`);
  assert.deepEqual(got.top, want.top, `${what}: top boundary`);
  assert.equal(got.planeKeys, want.planeKeys);
}

/** The same voxels at a typed-array offset that defeats the two-voxels-per-load path. */
function unaligned(v: Volume): Volume {
  const data = new Int16Array(v.data.length + 1).subarray(1);
  data.set(v.data);
  return { ...v, data };
}

test('the optimised kernel reproduces the straightforward one bit for bit', () => {
  const r = rng(7);
  const noise = (dims: Vec3, lo: number, hi: number): Volume => {
    const v = binaryVolume(dims, () => false);
    for (let q = 0; q < v.data.length; q++) v.data[q] = Math.round(lo + r() * (hi - lo));
    return v;
  };
  const c = Math.cos(0.4), s = Math.sin(0.4);
  const oblique = (v: Volume): Volume => ({ ...v, spacing: [0.7, 0.8, 1.3], origin: [-12.5, 40.25, 7], direction: [c, s, 0, -s, c, 0, 0, 0, -1] });
  const sphere = volumeFrom([40, 36, 30], [0.9, 1, 1.2], (x, y, z) => Math.hypot(x, y, z) - 12);
  const sphereMask = new Uint8Array(sphere.data.length);
  for (let q = 0; q < sphereMask.length; q++) sphereMask[q] = q % 40 < 23 || (q >> 7) % 3 === 0 ? 1 : 0; // cuts through it
  const phantom = makeHeadPhantom({ dims: [64, 64, 40] });
  const phantomMask = thresholdMask(phantom, { lower: 300, upper: 32767 });
  keepLargestComponent(phantomMask, phantom.dims);
  const wide = noise([64, 5, 6], -33000, 33000); // word boundaries, extreme values
  const cases: [string, Volume, { lower: number; upper: number }, Uint8Array | null][] = [
    ['noise 32×29×23', noise([32, 29, 23], -1000, 1500), { lower: 0, upper: 800 }, null],
    ['noise, odd width', noise([33, 17, 9], -1000, 1500), { lower: 300, upper: 32767 }, null],
    ['noise, unaligned', unaligned(noise([34, 12, 8], -1000, 1500)), { lower: -200, upper: 200 }, null],
    ['noise, random mask', noise([36, 20, 11], -1000, 1500), { lower: 0, upper: 32767 }, Uint8Array.from({ length: 36 * 20 * 11 }, () => (r() < 0.6 ? 1 + Math.floor(r() * 255) : 0))],
    ['noise, fractional and out-of-range bounds', noise([40, 9, 7], -2000, 2000), { lower: -40000.3, upper: 299.7 }, null],
    ['wide values', wide, { lower: -32768, upper: 32767 }, null],
    ['wide values, narrow range', wide, { lower: 5, upper: 5 }, null],
    ['empty range', wide, { lower: 10, upper: 9 }, null],
    ['sphere with a mask', sphere, BONE, sphereMask],
    ['sphere with a mask, oblique flipped frame', oblique(sphere), { lower: -300, upper: 700 }, sphereMask],
    ['phantom', phantom, { lower: 300, upper: 32767 }, null],
    ['phantom, keep-largest mask', phantom, { lower: 300, upper: 32767 }, phantomMask],
    ['phantom, bounded range, oblique', oblique(phantom), { lower: 20, upper: 60 }, null],
  ];
  for (const [name, v, range, mask] of cases) {
    const nz = v.dims[2];
    const splits: [number, number][][] = [[[0, nz + 1]], splitSlabs(nz, 3), [[0, 1], [1, 2], [2, nz], [nz, nz + 1]], [[nz, nz]]];
    for (const split of splits) {
      for (const z of split) assertSameSlab(marchSlab(v, range, mask, z), referenceMarchSlab(v, range, mask, z), `${name} [${z}]`);
    }
  }
});

test('a filled cavity (mask value MASK_FILLED) counts as inside whatever its value: a hollow ball meshes solid', () => {
  // a 6-voxel-thick shell of bone around air; the air is a closed cavity
  const v = binaryVolume([40, 40, 40], (i, j, k) => {
    const r = Math.hypot(i - 19.5, j - 19.5, k - 19.5);
    return r <= 15 && r > 9;
  });
  const mask = thresholdMaskOf(v);
  const hollow = checkMesh(marchingCubes(v, BONE, mask));
  assert.equal(hollow.shells, 2, 'outer and inner surface');
  const filled = fillCavities(mask, v.dims);
  assert.ok(filled.filled > 0);
  const solid = checkMesh(marchingCubes(v, BONE, mask));
  assertPrintable(solid, 'filled');
  assert.equal(solid.shells, 1);
  const outer = checkMesh(marchingCubes(binaryVolume([40, 40, 40], (i, j, k) => Math.hypot(i - 19.5, j - 19.5, k - 19.5) <= 15), BONE));
  assert.ok(Math.abs(solid.volumeMm3 - outer.volumeMm3) < 1e-6 * outer.volumeMm3, `${solid.volumeMm3} vs solid ball ${outer.volumeMm3}`);
});
