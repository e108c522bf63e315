// 3D connected components of a binary mask with face connectivity (6-neighbourhood), over runs:
// runs of set voxels along x are labelled and joined to overlapping runs in the row before (y − 1)
// and the slice before (z − 1) with union-find. Memory grows with the number of runs, not voxels.
//
// Every operation here works on the runs of one labelling (`label`): keep the largest piece, keep the
// pieces holding seed voxels, drop pieces under a size, dicom2stl's double threshold (wide-band pieces
// that hold a narrow-band voxel), and cavity filling (labelling the background instead).
//
// Crop boxes (see maskOps.ts): with a `crop`, only voxels inside it are read; every voxel outside it is
// background in the result (set to 0), and for fillCavities the space outside the box is "outside".
// Voxel counts in the returned stats are counted inside the box.
import { clampCrop, zeroOutsideCrop, type CropBox } from './maskOps';
import { thresholdMask } from './threshold';
import type { ThresholdRange, Vec3, Volume } from './types';

export { mm3ToVoxels } from './maskOps';

export interface ComponentStats {
  /** voxels kept */
  kept: number;
  /** voxels removed */
  removed: number;
  /** pieces found before removal */
  pieces: number;
}

/** A piece of a mask: its voxels, one voxel of it (a seed that keeps it: keepPiecesWithSeeds) and its box. */
export interface PieceInfo {
  voxels: number;
  /** linear index of a voxel of the piece */
  seed: number;
  /** bounding box, voxel indices, inclusive */
  min: Vec3;
  max: Vec3;
}

export interface LargestStats extends ComponentStats {
  /** the piece kept (null: the mask was empty) */
  largest: PieceInfo | null;
  /** the largest pieces removed, largest first (at most NEXT_LARGEST): when they are big too, "keep
   *  only the largest piece" leaves out part of what the user wants (a skeleton that breaks into a few
   *  pieces at the threshold) and the app says so */
  nextLargest: PieceInfo[];
}

/** How many of the removed pieces LargestStats lists. */
export const NEXT_LARGEST = 3;

export interface SeedStats extends ComponentStats {
  /** seeds that fell on a set voxel (inside the crop box); seeds on background are ignored */
  seedsHit: number;
}

export interface FillStats {
  /** background voxels set (enclosed cavities) */
  filled: number;
  /** enclosed background pieces filled */
  cavities: number;
}

interface Runs {
  x0: Int32Array; // first voxel index of the run (linear)
  len: Int32Array;
  /** runs of row r (r = y + ny*z) are rowStart[r] … rowStart[r+1]−1 (rows outside the crop are empty) */
  rowStart: Int32Array;
  count: number;
}

/** 8 bytes of 1 read as one float64 (0x0101010101010101): a word of eight set voxels of a 0/1 mask. */
const ONES = new Float64Array(new Uint8Array(8).fill(1).buffer)[0];

/**
 * Runs along x of set voxels (or of background voxels, `background`), limited to the crop box. Long
 * stretches of background or of set voxels are skipped eight voxels at a time through a float64 view of
 * the mask (a word equal to 0 is eight zero bytes, or −0 — checked; a word equal to ONES is eight 1s).
 */
function findRuns(mask: Uint8Array, dims: Vec3, crop: CropBox, background: boolean): Runs {
  const [nx, ny, nz] = dims;
  const rows = ny * nz;
  const [cx0, cy0, cz0] = crop.min, [cx1, cy1, cz1] = crop.max;
  // mask index a0 starts the first whole 8-byte word; word q covers mask[a0 + 8q … a0 + 8q + 7]
  const a0 = (8 - (mask.byteOffset & 7)) & 7;
  const words = mask.length >= a0 + 8 ? new Float64Array(mask.buffer, mask.byteOffset + a0, (mask.length - a0) >> 3) : new Float64Array(0);
  const skipWord = background ? ONES : 0; // words made only of what is not a run
  const runWord = background ? 0 : ONES; // words made only of run voxels
  const isRun = (v: number) => (v === 0) === background;
  let cap = 1 << 16;
  let x0 = new Int32Array(cap);
  let len = new Int32Array(cap);
  const rowStart = new Int32Array(rows + 1);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = n;
    const y = r % ny, z = (r - y) / ny;
    if (y < cy0 || y > cy1 || z < cz0 || z > cz1) continue;
    const base = r * nx;
    const xe = base + cx1 + 1;
    if (n + ((xe - base - cx0 + 1) >> 1) > cap) {
      // room for every run this row can hold
      cap = Math.max(cap * 2, n + nx);
      const a = new Int32Array(cap), b = new Int32Array(cap);
      a.set(x0);
      b.set(len);
      x0 = a;
      len = b;
    }
    let p = base + cx0;
    while (p < xe) {
      // skip voxels outside runs, word by word when aligned
      while (p < xe && !isRun(mask[p])) {
        p++;
        if (((p - a0) & 7) === 0 && p >= a0) {
          let q = (p - a0) >> 3;
          while (p + 8 <= xe && words[q] === skipWord && (background || mask[p + 7] === 0)) (p += 8), q++;
        }
      }
      if (p === xe) break;
      const s = p;
      while (p < xe && isRun(mask[p])) {
        p++;
        if (((p - a0) & 7) === 0 && p >= a0) {
          let q = (p - a0) >> 3;
          while (p + 8 <= xe && words[q] === runWord && (!background || mask[p + 7] === 0)) (p += 8), q++;
        }
      }
      x0[n] = s;
      len[n] = p - s;
      n++;
    }
  }
  rowStart[rows] = n;
  return { x0, len, rowStart, count: n };
}

/** mask[from … to−1] = value; short runs by hand (cheaper than a fill call). */
function setRange(mask: Uint8Array, from: number, to: number, value: number): void {
  if (to - from > 32) mask.fill(value, from, to);
  else for (let p = from; p < to; p++) mask[p] = value;
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** Union-find roots for every run, joining runs that share a face. Every root is its piece's first run. */
function joinRuns(runs: Runs, dims: Vec3, crop: CropBox): Int32Array {
  const [nx, ny] = dims;
  const { x0, len, rowStart, count } = runs;
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const joinRows = (ra: number, rb: number, shift: number) => {
    // runs of row ra overlap runs of row rb (x ranges compared after removing the row offset)
    let i = rowStart[ra], j = rowStart[rb];
    const ie = rowStart[ra + 1], je = rowStart[rb + 1];
    while (i < ie && j < je) {
      const as = x0[i] - shift, ae = as + len[i];
      const bs = x0[j], be = bs + len[j];
      if (as < be && bs < ae) {
        const pa = find(parent, i), pb = find(parent, j);
        if (pa !== pb) parent[pa] < pb ? (parent[pb] = pa) : (parent[pa] = pb);
      }
      if (ae < be) i++;
      else j++;
    }
  };
  for (let z = crop.min[2]; z <= crop.max[2]; z++) {
    for (let y = crop.min[1]; y <= crop.max[1]; y++) {
      const r = y + ny * z;
      if (rowStart[r] === rowStart[r + 1]) continue;
      if (y > crop.min[1]) joinRows(r, r - 1, nx);
      if (z > crop.min[2]) joinRows(r, r - ny, nx * ny);
    }
  }
  // Roots are always the smallest run index of their piece, so one forward pass resolves every run.
  for (let i = 0; i < count; i++) parent[i] = parent[parent[i]];
  return parent;
}

/** One labelling: the runs, the root run of each, and the voxel count per root. */
interface Labels {
  runs: Runs;
  root: Int32Array;
  /** voxels of the piece whose root is run i (0 for non-roots) */
  size: Float64Array;
  pieces: number;
  total: number;
}

function label(mask: Uint8Array, dims: Vec3, crop: CropBox, background = false): Labels {
  const runs = findRuns(mask, dims, crop, background);
  const root = joinRuns(runs, dims, crop);
  const size = new Float64Array(runs.count);
  let pieces = 0, total = 0;
  for (let i = 0; i < runs.count; i++) {
    size[root[i]] += runs.len[i];
    total += runs.len[i];
    if (root[i] === i) pieces++;
  }
  return { runs, root, size, pieces, total };
}

/** Clears every run whose root is not marked in `keep`; returns the stats. */
function keepRoots(mask: Uint8Array, lab: Labels, keep: Uint8Array): ComponentStats {
  const { runs, root } = lab;
  let kept = 0;
  for (let i = 0; i < runs.count; i++) {
    if (keep[root[i]]) kept += runs.len[i];
    else setRange(mask, runs.x0[i], runs.x0[i] + runs.len[i], 0);
  }
  return { kept, removed: lab.total - kept, pieces: lab.pieces };
}

/** Clamped crop, with the mask cleared outside it (nothing to do without a crop). */
function prepare(mask: Uint8Array, dims: Vec3, crop: CropBox | undefined): CropBox {
  const box = clampCrop(crop, dims);
  if (crop) zeroOutsideCrop(mask, dims, box);
  return box;
}

/** Voxel count of every piece, largest first. */
export function componentSizes(mask: Uint8Array, dims: Vec3, crop?: CropBox): number[] {
  const lab = label(mask, dims, clampCrop(crop, dims));
  const out: number[] = [];
  for (let i = 0; i < lab.runs.count; i++) if (lab.root[i] === i) out.push(lab.size[i]);
  return out.sort((a, b) => b - a);
}

/** Keeps only the largest face-connected piece of `mask` (in place). Ties: the piece met first. */
export function keepLargestComponent(mask: Uint8Array, dims: Vec3, crop?: CropBox): LargestStats {
  const lab = label(mask, dims, prepare(mask, dims, crop));
  if (lab.runs.count === 0) return { kept: 0, removed: 0, pieces: 0, largest: null, nextLargest: [] };
  // the largest piece, then the next NEXT_LARGEST by size (a piece's size is at its root run; other runs hold 0)
  const top: number[] = [];
  for (let i = 0; i < lab.runs.count; i++) {
    if (lab.root[i] !== i) continue;
    let at = top.length;
    while (at > 0 && lab.size[top[at - 1]] < lab.size[i]) at--;
    if (at <= NEXT_LARGEST) {
      top.splice(at, 0, i);
      if (top.length > NEXT_LARGEST + 1) top.pop();
    }
  }
  const info = piecesInfo(lab, dims, top);
  const keep = new Uint8Array(lab.runs.count);
  keep[top[0]] = 1;
  return { ...keepRoots(mask, lab, keep), largest: info[0], nextLargest: info.slice(1) };
}

/** Size, a seed voxel and the bounding box of the pieces whose root runs are `roots`. */
function piecesInfo(lab: Labels, [nx, ny]: Vec3, roots: number[]): PieceInfo[] {
  const slot = new Int8Array(lab.runs.count).fill(-1); // (roots.length ≤ NEXT_LARGEST + 1)
  roots.forEach((r, i) => (slot[r] = i));
  const out: PieceInfo[] = roots.map((r) => ({ voxels: lab.size[r], seed: lab.runs.x0[r], min: [Infinity, Infinity, Infinity], max: [-1, -1, -1] }));
  const { runs, root } = lab;
  for (let i = 0; i < runs.count; i++) {
    const s = slot[root[i]];
    if (s < 0) continue;
    const v = runs.x0[i], x = v % nx, row = (v - x) / nx, y = row % ny, z = (row - y) / ny;
    const p = out[s];
    if (x < p.min[0]) p.min[0] = x;
    if (x + runs.len[i] - 1 > p.max[0]) p.max[0] = x + runs.len[i] - 1;
    if (y < p.min[1]) p.min[1] = y;
    if (y > p.max[1]) p.max[1] = y;
    if (z < p.min[2]) p.min[2] = z;
    if (z > p.max[2]) p.max[2] = z;
  }
  return out;
}

/** Index of the run holding voxel `v`, or −1 when `v` is not in a run. */
function runAt(runs: Runs, nx: number, v: number): number {
  const r = Math.floor(v / nx);
  let lo = runs.rowStart[r], hi = runs.rowStart[r + 1] - 1;
  // last run starting at or before v
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs.x0[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo <= hi && runs.x0[lo] <= v && v < runs.x0[lo] + runs.len[lo] ? lo : -1;
}

/**
 * Keeps every face-connected piece that holds at least one seed (linear voxel index i + nx*(j + ny*k)),
 * in place. Seeds on background voxels, outside the volume or outside the crop box are ignored; with no
 * seed hitting, the mask ends empty.
 */
export function keepPiecesWithSeeds(mask: Uint8Array, dims: Vec3, seeds: ArrayLike<number>, crop?: CropBox): SeedStats {
  const lab = label(mask, dims, prepare(mask, dims, crop));
  const keep = new Uint8Array(lab.runs.count);
  const n = mask.length;
  let seedsHit = 0;
  for (let s = 0; s < seeds.length; s++) {
    const v = seeds[s];
    if (!Number.isInteger(v) || v < 0 || v >= n || mask[v] === 0) continue;
    const run = runAt(lab.runs, dims[0], v);
    if (run < 0) continue;
    seedsHit++;
    keep[lab.root[run]] = 1;
  }
  return { ...keepRoots(mask, lab, keep), seedsHit };
}

/**
 * Removes every face-connected piece of fewer than `minVoxels` voxels, in place. For a size in mm³ use
 * `mm3ToVoxels(mm3, spacing)`.
 */
export function removeSmallPieces(mask: Uint8Array, dims: Vec3, minVoxels: number, crop?: CropBox): ComponentStats {
  const lab = label(mask, dims, prepare(mask, dims, crop));
  const keep = new Uint8Array(lab.runs.count);
  for (let i = 0; i < lab.runs.count; i++) if (lab.root[i] === i && lab.size[i] >= minVoxels) keep[i] = 1;
  return keepRoots(mask, lab, keep);
}

/**
 * dicom2stl's double threshold (ITK DoubleThresholdImageFilter, face connectivity): `out` becomes the
 * voxels in the `wide` band that are face-connected, through wide-band voxels, to a voxel in the
 * `narrow` band. Narrow-band voxels outside the wide band are not included (narrow ⊆ wide is the
 * normal use). `stats.pieces` counts the pieces of the wide band.
 */
export function doubleThreshold(
  vol: Pick<Volume, 'data' | 'dims'>,
  narrow: ThresholdRange,
  wide: ThresholdRange,
  out: Uint8Array,
  crop?: CropBox,
): ComponentStats {
  const box = clampCrop(crop, vol.dims);
  thresholdMask(vol, wide, out, [0, vol.dims[2]], crop);
  const lab = label(out, vol.dims, box);
  const { runs, root } = lab;
  const keep = new Uint8Array(runs.count);
  const d = vol.data, lo = narrow.lower, hi = narrow.upper;
  for (let i = 0; i < runs.count; i++) {
    const r = root[i];
    if (keep[r]) continue;
    for (let p = runs.x0[i], e = p + runs.len[i]; p < e; p++) {
      const v = d[p];
      if (v >= lo && v <= hi) {
        keep[r] = 1;
        break;
      }
    }
  }
  return keepRoots(out, lab, keep);
}

/**
 * Mask value of a voxel that fillCavities added: it counts as inside whatever its value (marrow,
 * air in a sinus), where a voxel set to 1 counts only if its value is in the threshold range.
 */
export const MASK_FILLED = 2;

/**
 * Fills enclosed cavities in place: sets (to MASK_FILLED) every background voxel that is not face-connected, through
 * background, to the border of the volume (or of the crop box: the space outside the box counts as
 * outside, so a cavity cut open by the box stays empty). Voxels outside the crop box are set to 0.
 */
export function fillCavities(mask: Uint8Array, dims: Vec3, crop?: CropBox): FillStats {
  const box = prepare(mask, dims, crop);
  const lab = label(mask, dims, box, true);
  const { runs, root } = lab;
  const [nx, ny] = dims;
  const [cx0, cy0, cz0] = box.min, [cx1, cy1, cz1] = box.max;
  const outside = new Uint8Array(runs.count);
  for (let r = 0, rows = runs.rowStart.length - 1; r < rows; r++) {
    const rs = runs.rowStart[r], re = runs.rowStart[r + 1];
    if (rs === re) continue;
    const y = r % ny, z = (r - y) / ny;
    if (y === cy0 || y === cy1 || z === cz0 || z === cz1) {
      for (let i = rs; i < re; i++) outside[root[i]] = 1;
      continue;
    }
    // only the first and last run of a row can touch the box's x faces
    const base = r * nx;
    if (runs.x0[rs] === base + cx0) outside[root[rs]] = 1;
    if (runs.x0[re - 1] + runs.len[re - 1] === base + cx1 + 1) outside[root[re - 1]] = 1;
  }
  let filled = 0, cavities = 0;
  for (let i = 0; i < runs.count; i++) {
    if (outside[root[i]]) continue;
    if (root[i] === i) cavities++;
    setRange(mask, runs.x0[i], runs.x0[i] + runs.len[i], MASK_FILLED);
    filled += runs.len[i];
  }
  return { filled, cavities };
}
