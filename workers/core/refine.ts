// The stages after the isosurface, run together in one worker so the mesh crosses threads once:
// smoothing (Taubin) → decimation (closed edge collapse) → deviation → check.
import { decimate } from './decimate';
import { meshDeviation } from './deviation';
import { checkMesh, type MeshReport } from './meshCheck';
import { taubinSmooth } from './smooth';
import type { Mesh } from './types';

/** How much of the full-resolution surface to keep. */
export type Detail =
  | { kind: 'full' }
  /** keep this fraction of the triangles (dicom2stl's default reduction of 90 % is keep 0.1) */
  | { kind: 'fraction'; keep: number }
  /** remove triangles while the surface stays within this distance of the full-resolution one */
  | { kind: 'tolerance'; mm: number };

export interface RefineOptions {
  /** Taubin λ/μ iterations; 0 turns smoothing off (dicom2stl's default is 25) */
  smoothing: number;
  detail: Detail;
}

export const DEFAULT_REFINE: RefineOptions = { smoothing: 25, detail: { kind: 'fraction', keep: 0.1 } };

export interface RefineResult {
  mesh: Mesh;
  report: MeshReport;
  trianglesIn: number;
  /**
   * How far decimation moved the surface (mm): the largest distance from a vertex of either mesh to
   * the other's surface, over up to 50,000 evenly spread vertices each way; 0 when nothing was removed.
   */
  deviationMm: number;
  stages: { name: string; ms: number }[];
}

export function refineMesh(mesh: Mesh, opts: RefineOptions): RefineResult {
  const stages: { name: string; ms: number }[] = [];
  const trianglesIn = mesh.indices.length / 3;
  let t = performance.now();
  if (opts.smoothing > 0) {
    mesh = taubinSmooth(mesh, { iterations: opts.smoothing });
    stages.push({ name: 'smoothing', ms: performance.now() - t });
  }
  let deviationMm = 0;
  const d = opts.detail;
  if (d.kind === 'full' && opts.smoothing > 0) {
    // no reduction, but the vertices smoothing pulled onto one point still merge (see decimate)
    t = performance.now();
    mesh = decimate(mesh, { targetTriangles: trianglesIn }).mesh;
    stages.push({ name: 'cleanup', ms: performance.now() - t });
  } else if (d.kind !== 'full') {
    t = performance.now();
    const r = decimate(mesh, d.kind === 'fraction' ? { targetTriangles: Math.round(trianglesIn * d.keep) } : { maxDeviationMm: d.mm });
    stages.push({ name: 'decimation', ms: performance.now() - t });
    t = performance.now();
    deviationMm = meshDeviation(mesh, r.mesh, 50_000).maxMm;
    stages.push({ name: 'deviation', ms: performance.now() - t });
    mesh = r.mesh;
  }
  t = performance.now();
  const report = checkMesh(mesh);
  stages.push({ name: 'check', ms: performance.now() - t });
  return { mesh, report, trianglesIn, deviationMm, stages };
}
