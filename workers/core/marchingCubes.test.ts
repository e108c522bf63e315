import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes, marchSlab, splitSlabs, stitchSlabs } from './marchingCubes';
import { caseLoops, TRI_OFFSETS } from './mcTable';
import { checkMesh, type MeshReport } from './meshCheck';
import { BONE, binaryVolume, rng, volumeFrom } from './testVolumes';
import type { Mesh, Vec3, Volume } from './types';

function assertPrintable(r: MeshReport, what: string) {
  assert.equal(r.boundaryEdges, 0, `${what}: boundary edges`);
  assert.equal(r.nonManifoldEdges, 0, `${what}: non-manifold edges`);
  assert.equal(r.nonManifoldVertices, 0, `${what}: non-manifold vertices`);
  assert.equal(r.inconsistentEdges, 0, `${what}: inconsistent winding`);
  assert.equal(r.degenerateTriangles, 0, `${what}: degenerate triangles`);
  assert.ok(r.volumeMm3 > 0, `${what}: volume positive (outward)`);
}

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
