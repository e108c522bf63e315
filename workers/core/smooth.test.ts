import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { buildVertexNeighbours, taubinSmooth } from './smooth';
import { BONE, volumeFrom } from './testVolumes';
import type { Mesh, Vec3 } from './types';
import { assertPrintable } from './testAssert';


const relChange = (after: number, before: number) => (after - before) / before;

const within = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) / expected < tol,
    `${what}: ${actual.toFixed(1)} vs ${expected.toFixed(1)} (tolerance ${tol * 100} %)`,
  );

/** Centre of a `volumeFrom` grid in mesh coordinates (origin 0, identity direction). */
const gridCentre = (dims: Vec3, spacing: Vec3): Vec3 => [0, 1, 2].map((a) => ((dims[a] - 1) / 2) * spacing[a]) as Vec3;

function radialRms(mesh: Mesh, c: Vec3, r: number): number {
  const P = mesh.positions;
  let s = 0;
  for (let o = 0; o < P.length; o += 3) s += (Math.hypot(P[o] - c[0], P[o + 1] - c[1], P[o + 2] - c[2]) - r) ** 2;
  return Math.sqrt(s / (P.length / 3));
}

/** Smooths, checks the result is still a printable closed mesh with the same topology; returns both reports. */
function smoothAndCheck(mesh: Mesh, what: string, options?: Parameters<typeof taubinSmooth>[1]) {
  const before = checkMesh(mesh);
  assertPrintable(before, `${what} before`);
  const out = taubinSmooth(mesh, options);
  assert.equal(out.indices, mesh.indices, `${what}: indices shared`);
  assert.equal(out.positions.length, mesh.positions.length);
  assert.ok(out.positions instanceof Float32Array);
  assert.notEqual(out.positions, mesh.positions);
  const after = checkMesh(out);
  assertPrintable(after, `${what} after`);
  assert.equal(after.shells, before.shells, `${what}: shells`);
  assert.equal(after.eulerCharacteristic, before.eulerCharacteristic, `${what}: Euler characteristic`);
  const change = relChange(after.volumeMm3, before.volumeMm3);
  console.log(`  ${what}: ${before.vertices} vertices, volume ${before.volumeMm3.toFixed(0)} → ${after.volumeMm3.toFixed(0)} mm³ (${(change * 100).toFixed(3)} %)`);
  return { out, before, after, change };
}

// ---- adjacency ----

test('buildVertexNeighbours: tetrahedron has 3 sorted neighbours per vertex, octahedron 4', () => {
  const tet = new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]);
  const t = buildVertexNeighbours(tet, 4);
  assert.equal(t.offsets.length, 5);
  assert.equal(t.neighbours.length, 12);
  for (let v = 0; v < 4; v++) {
    const row = Array.from(t.neighbours.subarray(t.offsets[v], t.offsets[v + 1]));
    assert.deepEqual(row, [0, 1, 2, 3].filter((u) => u !== v), `tet vertex ${v}`);
  }

  // Octahedron: 0/1 = ±x, 2/3 = ±y, 4/5 = ±z; each vertex is adjacent to all but its opposite.
  const oct = new Uint32Array([0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5]);
  const o = buildVertexNeighbours(oct, 6);
  assert.equal(o.neighbours.length, 24);
  for (let v = 0; v < 6; v++) {
    const row = Array.from(o.neighbours.subarray(o.offsets[v], o.offsets[v + 1]));
    const opposite = v ^ 1;
    assert.deepEqual(row, [0, 1, 2, 3, 4, 5].filter((u) => u !== v && u !== opposite), `oct vertex ${v}`);
  }
});

test('buildVertexNeighbours: isolated vertices get empty rows, open meshes work', () => {
  // Two triangles sharing edge 1-2, vertex 4 unused.
  const n = buildVertexNeighbours(new Uint32Array([0, 1, 2, 2, 1, 3]), 5);
  const rows = [0, 1, 2, 3, 4].map((v) => Array.from(n.neighbours.subarray(n.offsets[v], n.offsets[v + 1])));
  assert.deepEqual(rows, [[1, 2], [0, 2, 3], [0, 1, 3], [1, 2], []]);
});

// ---- smoothing ----

test('taubinSmooth: iterations 0 returns a copy; one uniform step moves a vertex to the expected place', () => {
  const tet: Mesh = {
    positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    indices: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]),
  };
  const copy = taubinSmooth(tet, { iterations: 0 });
  assert.notEqual(copy.positions, tet.positions);
  assert.deepEqual(Array.from(copy.positions), Array.from(tet.positions));
  assert.equal(copy.indices, tet.indices);

  // λ = 0.5 then μ = 0 (Jacobi): vertex 0 → 0.5·(1/3,1/3,1/3); vertex 1 → (1,0,0) + 0.5·((0,1/3,1/3) − (1,0,0)).
  const one = taubinSmooth(tet, { iterations: 1, lambda: 0.5, mu: 0 });
  const p = Array.from(one.positions);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  [1 / 6, 1 / 6, 1 / 6, 0.5, 1 / 6, 1 / 6].forEach((x, i) => close(p[i], x));
  assert.deepEqual(Array.from(tet.positions), [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1], 'input untouched');
});

const R_SPHERE = 20;
const SPHERE_DIMS: Vec3 = [48, 48, 48];
const sphereMesh = () =>
  marchingCubes(volumeFrom(SPHERE_DIMS, [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - R_SPHERE), BONE);

test('sphere r = 20 mm, 1 mm grid: 25 Taubin iterations keep the volume and reduce the staircase', () => {
  const mesh = sphereMesh();
  const { out, after, change } = smoothAndCheck(mesh, 'sphere');
  assert.equal(after.eulerCharacteristic, 2);
  assert.equal(after.shells, 1);
  assert.ok(Math.abs(change) < 0.01, `volume change ${(change * 100).toFixed(3)} %`);
  within(after.volumeMm3, (4 / 3) * Math.PI * R_SPHERE ** 3, 0.01, 'smoothed sphere volume');

  const c = gridCentre(SPHERE_DIMS, [1, 1, 1]);
  const rmsBefore = radialRms(mesh, c, R_SPHERE);
  const rmsAfter = radialRms(out, c, R_SPHERE);
  console.log(`  sphere radial RMS error: ${rmsBefore.toFixed(4)} → ${rmsAfter.toFixed(4)} mm`);
  assert.ok(rmsAfter < rmsBefore, `radial RMS ${rmsAfter} should drop below ${rmsBefore}`);
});

test('contrast: plain Laplacian (λ = μ = 0.5) shrinks the same sphere by more than 2 %', () => {
  const { change } = smoothAndCheck(sphereMesh(), 'sphere, Laplacian', { lambda: 0.5, mu: 0.5 });
  assert.ok(change < -0.02, `Laplacian volume change ${(change * 100).toFixed(3)} % should be below −2 %`);
});

test('sphere on an anisotropic grid (0.7, 0.7, 2.5 mm): volume change < 1 %', () => {
  const spacing: Vec3 = [0.7, 0.7, 2.5];
  const mesh = marchingCubes(volumeFrom([66, 66, 22], spacing, (x, y, z) => Math.hypot(x, y, z) - R_SPHERE), BONE);
  const { change, after } = smoothAndCheck(mesh, 'anisotropic sphere');
  assert.equal(after.eulerCharacteristic, 2);
  assert.ok(Math.abs(change) < 0.01, `volume change ${(change * 100).toFixed(3)} %`);
});

test('torus R = 20, r = 7: genus kept (Euler 0), volume within 1 % of 2π²Rr², change < 1 %', () => {
  const R = 20, a = 7;
  const mesh = marchingCubes(volumeFrom([64, 64, 22], [1, 1, 1], (x, y, z) => Math.hypot(Math.hypot(x, y) - R, z) - a), BONE);
  const { before, after, change } = smoothAndCheck(mesh, 'torus');
  assert.equal(before.eulerCharacteristic, 0);
  assert.equal(after.eulerCharacteristic, 0);
  assert.ok(Math.abs(change) < 0.01, `volume change ${(change * 100).toFixed(3)} %`);
  within(after.volumeMm3, 2 * Math.PI ** 2 * R * a * a, 0.01, 'smoothed torus volume');
});

test('ellipsoid shell (30, 22, 18 mm, 4 mm thick): two closed shells, volume change < 1 %', () => {
  const outer: Vec3 = [30, 22, 18], inner: Vec3 = [26, 18, 14];
  const ell = (p: number[], s: Vec3) => (Math.hypot(p[0] / s[0], p[1] / s[1], p[2] / s[2]) - 1) * Math.min(...s);
  const mesh = marchingCubes(
    volumeFrom([66, 50, 42], [1, 1, 1], (x, y, z) => Math.max(ell([x, y, z], outer), -ell([x, y, z], inner))),
    BONE,
  );
  const { after, change } = smoothAndCheck(mesh, 'ellipsoid shell');
  assert.equal(after.shells, 2);
  assert.equal(after.eulerCharacteristic, 4, 'two spheres');
  assert.ok(Math.abs(change) < 0.01, `volume change ${(change * 100).toFixed(3)} %`);
});
