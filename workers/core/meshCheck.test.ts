import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMesh } from './meshCheck';
import type { Mesh } from './types';

const mesh = (p: number[], t: number[]): Mesh => ({ positions: new Float32Array(p), indices: new Uint32Array(t) });
const TET_P = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
const TET_T = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];

test('a tetrahedron is closed, manifold, oriented, with volume 1/6', () => {
  const r = checkMesh(mesh(TET_P, TET_T));
  assert.deepEqual([r.closed, r.manifold, r.oriented, r.shells, r.eulerCharacteristic], [true, true, true, 1, 2]);
  assert.ok(Math.abs(r.volumeMm3 - 1 / 6) < 1e-7);
  assert.deepEqual(r.bbox, { min: [0, 0, 0], max: [1, 1, 1] });
});

test('a missing face leaves 3 boundary edges', () => {
  const r = checkMesh(mesh(TET_P, TET_T.slice(0, 9)));
  assert.equal(r.boundaryEdges, 3);
  assert.equal(r.closed, false);
  assert.equal(r.nonManifoldVertices, 0);
});

test('two tetrahedra sharing only a vertex: that vertex is non-manifold, two shells', () => {
  const p = [...TET_P, -1, 0, 0, 0, -1, 0, 0, 0, -1];
  // second tetrahedron uses vertex 0 and new vertices 4, 5, 6 (mirrored, so wind it the other way)
  const t = [...TET_T, 0, 5, 4, 0, 4, 6, 0, 6, 5, 4, 5, 6];
  const r = checkMesh(mesh(p, t));
  assert.equal(r.nonManifoldVertices, 1);
  assert.equal(r.boundaryEdges, 0);
  assert.equal(r.shells, 2);
  assert.equal(r.manifold, false);
});

test('three triangles on one edge make a non-manifold edge', () => {
  const r = checkMesh(mesh([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1], [0, 1, 2, 1, 0, 3, 0, 1, 4]));
  assert.equal(r.nonManifoldEdges, 1);
  assert.equal(r.manifold, false);
});

test('one flipped face is inconsistent; a repeated vertex is degenerate', () => {
  const t = [...TET_T];
  [t[10], t[11]] = [t[11], t[10]];
  const r = checkMesh(mesh(TET_P, t));
  assert.equal(r.inconsistentEdges, 3);
  assert.equal(r.oriented, false);
  assert.equal(checkMesh(mesh(TET_P, [0, 1, 1])).degenerateTriangles, 1);
});
