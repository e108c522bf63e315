// Islands: the face-connected pieces of one segment (the connectivity components.ts and marching
// cubes use). Keep the piece under a voxel, remove the pieces under a volume, or split the segment into
// one segment per piece, largest first. Each works on the segment's bounding box only.
import { keepPiecesWithSeeds, mm3ToVoxels, removeSmallPieces } from './components';
import { commitMask, PatchRecorder, type LayerPatch } from './patch';
import { extractMask, type SegmentRef } from './segments';
import { boxDims, layerStats, valueBox } from './segmentStats';
import type { Vec3 } from './types';
import type { CropBox } from './maskOps';

/** The segment's box and its voxels there as a 0/1 mask, or null when it is empty. */
function segmentInBox(labels: Uint8Array, dims: Vec3, value: number): { box: CropBox; mask: Uint8Array } | null {
  const box = valueBox(layerStats(labels, dims), value);
  return box && { box, mask: extractMask(labels, dims, value, box) };
}

/** Keeps only the piece of the segment holding voxel `seed` (linear index); a seed off the segment changes nothing. */
export function keepIsland(labels: Uint8Array, target: SegmentRef, dims: Vec3, seed: number): LayerPatch | null {
  if (labels[seed] !== target.value) return null;
  const s = segmentInBox(labels, dims, target.value)!;
  const i = seed % dims[0], j = Math.floor(seed / dims[0]) % dims[1], k = Math.floor(seed / (dims[0] * dims[1]));
  const [bx, by] = boxDims(s.box);
  keepPiecesWithSeeds(s.mask, boxDims(s.box), [i - s.box.min[0] + bx * (j - s.box.min[1] + by * (k - s.box.min[2]))]);
  return commitMask(labels, target.layer, target.value, dims, s.box, s.mask);
}

/** Removes every piece of the segment smaller than `minMm3`. */
export function removeSmallIslands(labels: Uint8Array, target: SegmentRef, dims: Vec3, spacing: Vec3, minMm3: number): LayerPatch | null {
  const s = segmentInBox(labels, dims, target.value);
  if (!s) return null;
  removeSmallPieces(s.mask, boxDims(s.box), mm3ToVoxels(minMm3, spacing));
  return commitMask(labels, target.layer, target.value, dims, s.box, s.mask);
}

/**
 * Labels the face-connected pieces of a 0/1 mask: piece[v] = 1 … n for set voxels (0 elsewhere), pieces
 * numbered by size, largest first (ties: the one met first in memory order). Returns the sizes too.
 */
export function labelPieces(mask: Uint8Array, dims: Vec3): { piece: Int32Array; sizes: number[] } {
  const [nx, ny, nz] = dims;
  const slice = nx * ny;
  const piece = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || piece[start]) continue;
    const id = sizes.length + 1;
    let top = 0, size = 0;
    stack[top++] = start;
    piece[start] = id;
    while (top) {
      const p = stack[--top];
      size++;
      const i = p % nx, j = ((p - i) / nx) % ny, k = Math.floor(p / slice);
      const visit = (q: number) => {
        if (mask[q] && !piece[q]) (piece[q] = id), (stack[top++] = q);
      };
      if (i > 0) visit(p - 1);
      if (i < nx - 1) visit(p + 1);
      if (j > 0) visit(p - nx);
      if (j < ny - 1) visit(p + nx);
      if (k > 0) visit(p - slice);
      if (k < nz - 1) visit(p + slice);
    }
    sizes.push(size);
  }
  // renumber by size, largest first (stable: first met wins ties)
  const order = sizes.map((_, q) => q).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rank = new Int32Array(sizes.length + 1);
  order.forEach((q, r) => (rank[q + 1] = r + 1));
  for (let p = 0; p < piece.length; p++) if (piece[p]) piece[p] = rank[piece[p]];
  return { piece, sizes: order.map((q) => sizes[q]) };
}

export interface SplitPiece {
  /** label value the piece has now (the first keeps the segment's own) */
  value: number;
  voxels: number;
}

/**
 * Splits the segment into its pieces: the largest keeps the segment's value, the next ones get
 * `values[0]`, `values[1]`, … (free values of the same layer, from freeValues()); pieces beyond those
 * (or beyond `maxPieces`) stay with the segment. The pieces are disjoint, so sharing the layer is safe.
 */
export function splitIslands(labels: Uint8Array, target: SegmentRef, dims: Vec3, values: number[], maxPieces = 256): { patch: LayerPatch | null; pieces: SplitPiece[] } {
  const s = segmentInBox(labels, dims, target.value);
  if (!s) return { patch: null, pieces: [] };
  const { piece, sizes } = labelPieces(s.mask, boxDims(s.box));
  const parts = Math.min(sizes.length, values.length + 1, maxPieces);
  // value of each piece: its own up to `parts`, the segment's for the rest
  const valueOf = (id: number) => (id >= 2 && id <= parts ? values[id - 2] : target.value);
  const pieces: SplitPiece[] = [{ value: target.value, voxels: sizes.slice(0, 1).concat(sizes.slice(parts)).reduce((a, b) => a + b, 0) }];
  for (let id = 2; id <= parts; id++) pieces.push({ value: values[id - 2], voxels: sizes[id - 1] });
  const [nx, ny] = dims;
  const { box } = s;
  const rec = new PatchRecorder(labels, target.layer);
  let m = 0;
  for (let k = box.min[2]; k <= box.max[2]; k++)
    for (let j = box.min[1]; j <= box.max[1]; j++)
      for (let p = nx * (j + ny * k) + box.min[0], e = p + box.max[0] - box.min[0]; p <= e; p++, m++) if (piece[m]) rec.set(p, valueOf(piece[m]));
  return { patch: rec.finish(), pieces };
}
