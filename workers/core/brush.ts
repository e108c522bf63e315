// The sphere brush: paint a segment's value into, or erase it from, every voxel whose centre lies
// within `radiusMm` of a point, optionally only where the HU is in a band (3D Slicer's "masking by
// intensity"). Distances are in millimetres through the grid's full metric (spacing and direction,
// so anisotropic and sheared grids paint a true sphere); each row of the sphere is found by solving
// its quadratic, not by testing every voxel of the bounding box.
import { PatchRecorder, type LayerPatch } from './patch';
import type { SegmentRef } from './segments';
import type { ThresholdRange, Vec3, VolumeGeometry } from './types';

export interface BrushStroke {
  /** centre in voxel index coordinates (i, j, k; fractional allowed: a click between voxels) */
  centre: Vec3;
  radiusMm: number;
  /** erase the segment's voxels instead of painting */
  erase?: boolean;
  /** only voxels whose HU lies in this band change (needs `hu`) */
  huRange?: ThresholdRange;
}

/** The grid's metric: G = Mᵀ M with M = [dirI·si | dirJ·sj | dirK·sk], so |Δ|² mm² = Δᵀ G Δ for index offsets Δ. */
export function gridMetric(g: Pick<VolumeGeometry, 'spacing' | 'direction'>): number[] {
  const d = g.direction, s = g.spacing;
  const col = (a: number) => [d[3 * a] * s[a], d[3 * a + 1] * s[a], d[3 * a + 2] * s[a]];
  const c = [col(0), col(1), col(2)];
  const G: number[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) G.push(c[a][0] * c[b][0] + c[a][1] * c[b][1] + c[a][2] * c[b][2]);
  return G;
}

/** Inverse of a symmetric 3 × 3 matrix (row-major). */
function inverse3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * Paints (or erases) one dab of the brush into segment `target` of `labels` (the target's layer).
 * Painting takes voxels from other segments of the same layer; erasing clears only the target's voxels.
 * `hu` (the scan's values) is needed only with `huRange`.
 */
export function brush(labels: Uint8Array, target: SegmentRef, grid: Pick<VolumeGeometry, 'dims' | 'spacing' | 'direction'>, stroke: BrushStroke, hu?: Int16Array): LayerPatch | null {
  const [nx, ny, nz] = grid.dims;
  const G = gridMetric(grid);
  const Gi = inverse3(G);
  const r2 = stroke.radiusMm * stroke.radiusMm;
  const [ci, cj, ck] = stroke.centre;
  const band = stroke.huRange;
  if (band && !hu) throw new Error('brush: an HU band needs the scan values');
  const lo = band ? band.lower : 0, hi = band ? band.upper : 0;
  const erase = !!stroke.erase;
  const rec = new PatchRecorder(labels, target.layer);
  // extent of the ellipsoid Δᵀ G Δ ≤ r² along k and, per slice, along j
  const ek = stroke.radiusMm * Math.sqrt(Gi[8]);
  for (let k = Math.max(0, Math.ceil(ck - ek)); k <= Math.min(nz - 1, Math.floor(ck + ek)); k++) {
    const dk = k - ck;
    // j range: minimise over i the quadratic → the 2D ellipse of (Δi, Δj) at this Δk
    // Δᵀ G Δ = G00 Δi² + 2Δi(G01 Δj + G02 Δk) + G11 Δj² + 2 G12 Δj Δk + G22 Δk²; over Δi its minimum is
    // c(Δj) − (G01 Δj + G02 Δk)² / G00, a quadratic in Δj
    const qa = G[4] - (G[1] * G[1]) / G[0];
    const qb = G[5] * dk - (G[1] * G[2] * dk) / G[0];
    const qc = G[8] * dk * dk - (G[2] * dk) ** 2 / G[0] - r2;
    const dj = qb * qb - qa * qc;
    if (dj < 0) continue;
    const sj = Math.sqrt(dj);
    for (let j = Math.max(0, Math.ceil(cj + (-qb - sj) / qa)); j <= Math.min(ny - 1, Math.floor(cj + (-qb + sj) / qa)); j++) {
      const dJ = j - cj;
      const b = G[1] * dJ + G[2] * dk;
      const c = G[4] * dJ * dJ + 2 * G[5] * dJ * dk + G[8] * dk * dk - r2;
      const disc = b * b - G[0] * c;
      if (disc < 0) continue;
      const s = Math.sqrt(disc);
      const i0 = Math.max(0, Math.ceil(ci + (-b - s) / G[0])), i1 = Math.min(nx - 1, Math.floor(ci + (-b + s) / G[0]));
      const row = nx * (j + ny * k);
      for (let p = row + i0, e = row + i1; p <= e; p++) {
        if (band) {
          const v = hu![p];
          if (v < lo || v > hi) continue;
        }
        if (erase) {
          if (labels[p] === target.value) rec.set(p, 0);
        } else rec.set(p, target.value);
      }
    }
  }
  return rec.finish();
}
