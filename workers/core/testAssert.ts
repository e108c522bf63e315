// Shared assertions of the core's tests.
import assert from 'node:assert/strict';
import type { MeshReport } from './meshCheck';

/** What every stage must leave: closed, manifold, consistently wound outward, no zero-area triangle. */
export function assertPrintable(r: MeshReport, what: string) {
  assert.equal(r.boundaryEdges, 0, `${what}: boundary edges`);
  assert.equal(r.nonManifoldEdges, 0, `${what}: non-manifold edges`);
  assert.equal(r.nonManifoldVertices, 0, `${what}: non-manifold vertices`);
  assert.equal(r.inconsistentEdges, 0, `${what}: inconsistent winding`);
  assert.equal(r.degenerateTriangles, 0, `${what}: degenerate triangles`);
  assert.ok(r.volumeMm3 > 0, `${what}: volume positive (outward)`);
}
