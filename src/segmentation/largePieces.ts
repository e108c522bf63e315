// "Keep only the largest piece" drops the table and loose fragments, but a skeleton can break into a
// few big pieces at a threshold (at 300 HU on a 3 mm scan, the spine and each hip come apart where
// bone is thin): keeping only the largest then prints a fraction of what the user sees in the scan.
// When the pieces it removed are big next to the one it kept, the app says so and offers to keep
// every piece above a volume instead (which still drops the fragments).
import type { MaskEditStats } from '../../workers/core/maskEdits';

/** A removed piece counts as large from this share of the kept piece's voxels. */
export const LARGE_SHARE = 0.25;

export interface LargePiecesLeftOut {
  /** the large pieces left out, mL, largest first */
  piecesMl: number[];
  /** a "remove pieces smaller than" volume (mL) that keeps them all: half the smallest, rounded down to 1, 2 or 5 × 10ⁿ */
  minPieceMl: number;
}

/** Large pieces "keep only the largest piece" left out of these stats (null: none, or the box is not ticked). */
export function largePiecesLeftOut(stats: MaskEditStats | null, voxelMl: number, keepLargest: boolean): LargePiecesLeftOut | null {
  if (!keepLargest || !stats?.nextLargest || stats.kept === 0) return null;
  const big = stats.nextLargest.filter((v) => v >= LARGE_SHARE * stats.kept);
  if (big.length === 0) return null;
  const piecesMl = big.map((v) => v * voxelMl);
  return { piecesMl, minPieceMl: niceBelow(piecesMl[piecesMl.length - 1] / 2) };
}

/** The largest of 1, 2 and 5 × 10ⁿ at or below x (x > 0). */
export function niceBelow(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  const m = x / e;
  const nice = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return +(nice * e).toPrecision(12);
}

/** "72.7, 62.3 and 50.5 mL" */
export function listMl(ml: number[]): string {
  const f = ml.map((v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)));
  return (f.length > 1 ? `${f.slice(0, -1).join(', ')} and ${f[f.length - 1]}` : f[0]) + ' mL';
}
