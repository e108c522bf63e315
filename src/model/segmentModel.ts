// A model made of segments, seen as one: the segments' meshes merged (each stays its own closed shell)
// and their reports summed. The merged mesh has no vertex shared between segments, so every count of
// its check (vertices, triangles, open and non-manifold edges, shells, volume, area, V − E + F) is the
// sum of the segments' own: no second check of the whole is needed.
import type { MeshReport } from '../../workers/core/meshCheck';
import type { Deviation, HollowStats, MeshResult } from '../../workers/core/pipeline';
import type { SegmentMeshResult, SegmentMeshes } from '../../workers/core/segmentPipeline';
import type { Vec3 } from '../../workers/core/types';
import { mergeMeshes } from '../../workers/core/writers';

/** The report of several meshes taken together, from their own reports. */
export function sumReports(reports: MeshReport[]): MeshReport {
  const sum = (f: (r: MeshReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  const nonEmpty = reports.filter((r) => r.vertices > 0);
  const bbox = nonEmpty.length
    ? {
        min: [0, 1, 2].map((a) => Math.min(...nonEmpty.map((r) => r.bbox.min[a]))) as Vec3,
        max: [0, 1, 2].map((a) => Math.max(...nonEmpty.map((r) => r.bbox.max[a]))) as Vec3,
      }
    : { min: [0, 0, 0] as Vec3, max: [0, 0, 0] as Vec3 };
  return {
    vertices: sum((r) => r.vertices),
    triangles: sum((r) => r.triangles),
    boundaryEdges: sum((r) => r.boundaryEdges),
    nonManifoldEdges: sum((r) => r.nonManifoldEdges),
    nonManifoldVertices: sum((r) => r.nonManifoldVertices),
    inconsistentEdges: sum((r) => r.inconsistentEdges),
    shells: sum((r) => r.shells),
    degenerateTriangles: sum((r) => r.degenerateTriangles),
    volumeMm3: sum((r) => r.volumeMm3),
    areaMm2: sum((r) => r.areaMm2),
    bbox,
    eulerCharacteristic: sum((r) => r.eulerCharacteristic),
    closed: reports.every((r) => r.closed),
    manifold: reports.every((r) => r.manifold),
    oriented: reports.every((r) => r.oriented),
  };
}

/** The whole of a segments model as one MeshResult (merged mesh, summed report, the largest deviation). */
export function wholeOf(r: SegmentMeshes): MeshResult {
  const parts: SegmentMeshResult[] = r.results;
  return {
    mesh: mergeMeshes(parts.map((p) => p.mesh)),
    report: sumReports(parts.map((p) => p.report)),
    components: null,
    hollow: sumHollow(parts.map((p) => p.hollow)),
    trianglesIsosurface: parts.reduce((s, p) => s + p.trianglesIsosurface, 0),
    deviation: largestDeviation(parts.map((p) => p.deviation)),
    stages: r.stages,
  };
}

/** The segments' deviations as one: the largest, and their measuring times summed (they ran in workers side by side). */
export async function largestDeviation(deviations: Promise<Deviation>[]): Promise<Deviation> {
  const all = await Promise.all(deviations);
  return { mm: all.reduce((m, d) => Math.max(m, d.mm), 0), ms: all.reduce((s, d) => s + d.ms, 0) };
}

/** What hollowing did to the segments together (null when none was hollowed): every figure summed. */
export function sumHollow(stats: (HollowStats | null)[]): HollowStats | null {
  const h = stats.filter((x): x is HollowStats => x !== null);
  if (!h.length) return null;
  const sum = (f: (x: HollowStats) => number) => h.reduce((s, x) => s + f(x), 0);
  return {
    voxelsBefore: sum((x) => x.voxelsBefore),
    voxelsRemoved: sum((x) => x.voxelsRemoved),
    solidBeforeMm3: sum((x) => x.solidBeforeMm3),
    solidAfterMm3: sum((x) => x.solidAfterMm3),
    savedMm3: sum((x) => x.savedMm3),
    cavities: sum((x) => x.cavities),
    crumbVoxels: sum((x) => x.crumbVoxels),
    drains: h.flatMap((x) => x.drains),
    volumeBeforeMm3: sum((x) => x.volumeBeforeMm3),
  };
}
