// The edits that turn a threshold mask into what gets printed, in one place so the pipeline, the
// workers and the tests agree on their order: choose pieces (seed voxels, or the largest), drop
// small pieces, then fill the enclosed cavities of what is left.
import { doubleThreshold, fillCavities, keepLargestComponent, keepPiecesWithSeeds, mm3ToVoxels, removeSmallPieces, type PieceInfo } from './components';
import { thresholdMask } from './threshold';
import type { CropBox } from './maskOps';
import type { ThresholdRange, Vec3, Volume } from './types';

export interface MaskEdits {
  /** keep only the largest face-connected piece (dicom2stl's connectivity filter) */
  keepLargest: boolean;
  /** keep the pieces containing these voxels (linear indices) instead; wins over keepLargest */
  seeds?: number[];
  /** drop pieces smaller than this many mm³ */
  minPieceMm3?: number;
  /** fill cavities no background path reaches from outside (marrow, sinuses) */
  fillCavities?: boolean;
  /** only voxels inside this box count */
  crop?: CropBox;
  /** dicom2stl's double threshold: keep the pieces of the range that touch this narrower band */
  seedBand?: ThresholdRange;
}

export interface MaskEditStats {
  /** pieces of the thresholded mask */
  pieces: number;
  /** voxels kept, and removed by the piece choices */
  kept: number;
  removed: number;
  /** seed voxels that landed on the mask (when seeds were given) */
  seedsHit?: number;
  /** voxels added by cavity filling */
  filled?: number;
  /** with "keep only the largest piece": the piece kept and the largest pieces it removed, largest first (see LargestStats) */
  largest?: PieceInfo | null;
  nextLargest?: PieceInfo[];
}

/** The user's choices about pieces, cavities and the crop box, as the app holds them. */
export interface PieceChoices {
  /** keep only the largest piece */
  keepLargest: boolean;
  /** fill enclosed cavities (print solid) */
  fillCavities: boolean;
  /** drop pieces smaller than this (mL), unless picks or "largest" already choose the pieces */
  minPieceMl: number;
  /** voxels (linear indices) picked in the slice views: keep the pieces through them */
  seeds: number[];
  /** a preset's narrow band, when it is a double threshold (dicom2stl's tissues) */
  seedBand?: ThresholdRange;
  /** only voxels inside this box print (null: the whole volume) */
  crop: CropBox | null;
}

/**
 * The mask edits that print what the user chose: picked pieces win over "largest", and "remove small
 * pieces" applies only when neither chooses the pieces (it would be moot or surprising then).
 */
export function maskEditsFor(c: PieceChoices): MaskEdits {
  return {
    keepLargest: c.keepLargest,
    fillCavities: c.fillCavities,
    minPieceMm3: c.keepLargest || c.seeds.length ? 0 : c.minPieceMl * 1000,
    seeds: c.seeds,
    seedBand: c.seedBand,
    crop: c.crop ?? undefined,
  };
}

/**
 * Whether a pick at voxel `v` lands on a piece: the voxel is in the threshold range (the wide band of
 * a double threshold) and inside the crop box. A pick that misses every piece would keep nothing.
 */
export function pickLands(vol: Pick<Volume, 'dims' | 'data'>, range: ThresholdRange, v: number, crop?: CropBox | null): boolean {
  const [nx, ny] = vol.dims;
  const value = vol.data[v];
  if (value === undefined || value < range.lower || value > range.upper) return false;
  if (!crop) return true;
  const ijk = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
  return ijk.every((c, a) => c >= crop.min[a] && c <= crop.max[a]);
}

/** Does this set of edits need a mask at all (else marching cubes thresholds on the fly)? */
export const needsMask = (e: MaskEdits): boolean =>
  e.keepLargest || (e.seeds?.length ?? 0) > 0 || (e.minPieceMm3 ?? 0) > 0 || !!e.fillCavities || !!e.crop || !!e.seedBand;

/** Applies the piece and cavity edits to a thresholded mask in place. */
export function applyMaskEdits(mask: Uint8Array, dims: Vec3, spacing: Vec3, e: MaskEdits): MaskEditStats {
  const stats: MaskEditStats = { pieces: 0, kept: 0, removed: 0 };
  if (e.seeds?.length) {
    const s = keepPiecesWithSeeds(mask, dims, e.seeds, e.crop);
    Object.assign(stats, { pieces: s.pieces, kept: s.kept, removed: s.removed, seedsHit: s.seedsHit });
  } else if (e.keepLargest) {
    const s = keepLargestComponent(mask, dims, e.crop);
    Object.assign(stats, { pieces: s.pieces, kept: s.kept, removed: s.removed, largest: s.largest, nextLargest: s.nextLargest });
  }
  if ((e.minPieceMm3 ?? 0) > 0) {
    const s = removeSmallPieces(mask, dims, mm3ToVoxels(e.minPieceMm3!, spacing), e.crop);
    if (!stats.pieces) stats.pieces = s.pieces;
    stats.kept = s.kept;
    stats.removed += s.removed;
  }
  if (e.fillCavities) stats.filled = fillCavities(mask, dims, e.crop).filled;
  return stats;
}

/** The same edits on a grid coarsened by integer factors `f` (seed voxels and crop box mapped). */
export function coarsenEdits(e: MaskEdits, dims: Vec3, f: Vec3, coarse: Vec3): MaskEdits {
  const seeds = e.seeds?.map((v) => {
    const i = v % dims[0], j = Math.floor(v / dims[0]) % dims[1], k = Math.floor(v / (dims[0] * dims[1]));
    return Math.floor(i / f[0]) + coarse[0] * (Math.floor(j / f[1]) + coarse[1] * Math.floor(k / f[2]));
  });
  const crop = e.crop && {
    min: e.crop.min.map((x, a) => Math.floor(x / f[a])) as Vec3,
    max: e.crop.max.map((x, a) => Math.floor(x / f[a])) as Vec3,
  };
  return { ...e, seeds, crop };
}

/**
 * The mask of what will print, in one thread (the pipeline splits the threshold over workers; the
 * result is the same): threshold (or double threshold) inside the crop box, then the edits.
 */
export function printMask(vol: Volume, range: ThresholdRange, e: MaskEdits, out: Uint8Array): MaskEditStats {
  if (e.seedBand) doubleThreshold(vol, e.seedBand, range, out, e.crop);
  else thresholdMask(vol, range, out, [0, vol.dims[2]], e.crop);
  return applyMaskEdits(out, vol.dims, vol.spacing, e);
}
