// The stages after a segment's isosurface, in one worker: smoothing (Taubin) → volume (the surface
// offset back to the label map's voxel volume, for segments without an HU band; see volumeMatch.ts)
// → decimation (closed edge collapse, which keeps that volume exactly) → deviation → check.
// The same as refine.ts with the volume stage between smoothing and decimation.
import { decimate } from './decimate';
import { meshDeviation } from './deviation';
import { checkMesh } from './meshCheck';
import type { RefineOptions, RefineResult } from './refine';
import { taubinSmooth } from './smooth';
import type { Mesh } from './types';
import { matchVolume } from './volumeMatch';

/** A segment's refined mesh (a worker's answer: its deviation measured, a number, not a promise). */
export interface SegmentRefineResult extends Omit<RefineResult, 'deviation'> {
  /** how far decimation moved the surface (mm; see Deviation.mm), 0 when nothing was removed */
  deviationMm: number;
  /** how far the volume stage moved the surface along its normals (mm), 0 when it did not run */
  offsetMm: number;
}

/**
 * Refines a segment's isosurface. With `targetMm3` (the voxel volume of a segment meshed as a binary
 * surface) the surface is offset, by at most `maxOffsetMm`, to enclose that volume before decimation.
 */
export function refineSegmentMesh(mesh: Mesh, opts: RefineOptions, targetMm3: number | null, maxOffsetMm: number): SegmentRefineResult {
  const stages: { name: string; ms: number }[] = [];
  const trianglesIn = mesh.indices.length / 3;
  let t = performance.now();
  if (opts.smoothing > 0) {
    mesh = taubinSmooth(mesh, { iterations: opts.smoothing });
    stages.push({ name: 'smoothing', ms: performance.now() - t });
  }
  let offsetMm = 0;
  if (targetMm3 !== null) {
    t = performance.now();
    const m = matchVolume(mesh, targetMm3, maxOffsetMm);
    mesh = m.mesh;
    offsetMm = m.offsetMm;
    stages.push({ name: 'volume', ms: performance.now() - t });
  }
  let deviationMm = 0;
  const d = opts.detail;
  if (d.kind === 'full' && opts.smoothing > 0) {
    // no reduction, but vertices smoothing pulled onto one point still merge (see refine.ts)
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
  return { mesh, report, trianglesIn, deviationMm, stages, offsetMm };
}
