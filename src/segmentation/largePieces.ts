// "Keep only the largest piece" drops the table and loose fragments, but a skeleton can break into a
// few big pieces at a threshold (at 300 HU on a 3 mm scan, the spine and each hip come apart where
// bone is thin): keeping only the largest then prints a fraction of what the user sees in the scan.
// When the pieces it removed are big next to the one it kept, the app says so and offers to keep them
// too (as picks: one seed voxel in each, so exactly those pieces print). A flat piece (its thinnest
// side under a fifth of the next, like a CT table) is what the box is for, and is never offered.
import type { PieceInfo } from '../../workers/core/components';
import type { MaskEditStats } from '../../workers/core/maskEdits';
import type { Vec3 } from '../../workers/core/types';

/** A removed piece counts as large from this share of the kept piece's voxels. */
export const LARGE_SHARE = 0.25;
/** A piece whose bounding box's thinnest side is under this share of the next is flat (a table). */
export const FLAT = 0.2;

export interface LargePiecesLeftOut {
  /** the large pieces left out, mL, largest first */
  piecesMl: number[];
  /** picks that keep the kept piece and those: a voxel of each */
  seeds: number[];
}

/** Whether a piece's bounding box (voxel indices, `spacing` mm) is a slab. */
export function isFlat(p: Pick<PieceInfo, 'min' | 'max'>, spacing: Vec3): boolean {
  const sides = [0, 1, 2].map((a) => (p.max[a] - p.min[a] + 1) * spacing[a]).sort((a, b) => a - b);
  return sides[0] < FLAT * sides[1];
}

/** Large pieces "keep only the largest piece" left out of these stats (null: none, or the box is not ticked). */
export function largePiecesLeftOut(stats: MaskEditStats | null, spacing: Vec3, voxelMl: number, keepLargest: boolean): LargePiecesLeftOut | null {
  if (!keepLargest || !stats?.largest || !stats.nextLargest) return null;
  const big = stats.nextLargest.filter((p) => p.voxels >= LARGE_SHARE * stats.largest!.voxels && !isFlat(p, spacing));
  if (big.length === 0) return null;
  return { piecesMl: big.map((p) => p.voxels * voxelMl), seeds: [stats.largest.seed, ...big.map((p) => p.seed)] };
}

/** "73, 62 and 50 mL" */
export function listMl(ml: number[]): string {
  const f = ml.map((v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)));
  return (f.length > 1 ? `${f.slice(0, -1).join(', ')} and ${f[f.length - 1]}` : f[0]) + ' mL';
}
