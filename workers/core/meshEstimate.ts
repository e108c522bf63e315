// A model's size before it is built: the isosurface's vertices and triangles from the voxels alone,
// and the memory the build needs for them, so that a model the tab cannot hold is refused before
// its mesh exists.
//
//   1. crossings: marching cubes (marchingCubes.ts) puts one vertex on every grid edge between an
//      inside and an outside voxel (the grid padded by background), welded by edge, and every such
//      edge belongs to a cell that makes triangles. So counting those edges gives the vertex count
//      exactly. A closed 2-manifold has T = 2(V − χ) triangles, where χ = 2 per piece − 2 per handle
//      is tiny against V for a real surface: T ≈ 2V.
//   2. peak bytes: the arrays each stage holds at once for V vertices and T triangles (the stages'
//      own allocations, see buildBytes), so a build can be refused, or made at half resolution.
import type { Detail } from './refine';
import { partitionCount } from './decimate';
import { planeClassifier } from './marchingCubes';
import type { ThresholdRange, Volume } from './types';

/** What an isosurface will be, and what building the model from it takes. */
export interface MeshEstimate {
  /** vertices of the isosurface (exact when every slice was counted) */
  vertices: number;
  /** triangles of the isosurface, 2 × vertices (see the header) */
  triangles: number;
  /** most bytes the build holds at once besides the volume (see buildBytes) */
  peakBytes: number;
}

/**
 * Grid edges between an inside and an outside voxel that slices [z0, z1) own: the edges along x and y
 * in the slice (to the padding around it too), and along z to the slice below (slice 0: to the
 * padding), plus, with the last slice, those to the padding above it. Every crossed edge is owned by
 * one slice, so counts over a split of the slices add up. Inside as marching cubes has it (its own
 * classifier: planeClassifier). With `perSlice` (nz long), each slice's count is added to its entry
 * too (the padding above with the last slice).
 */
export function countCrossings(
  vol: Volume,
  range: ThresholdRange,
  mask: Uint8Array | null,
  zRange: [number, number] = [0, vol.dims[2]],
  perSlice?: Int32Array,
): number {
  const [, ny, nz] = vol.dims;
  const z0 = Math.max(0, zRange[0]), z1 = Math.min(nz, zRange[1]);
  if (z1 <= z0) return 0;
  const { WK, words, classify } = planeClassifier(vol, range, mask);
  let cur = new Int32Array(words), below = new Int32Array(words);
  let anyCur = new Int32Array(ny + 2), anyBelow = new Int32Array(ny + 2);
  classify(z0 - 1, below, anyBelow);
  let count = 0;
  for (let z = z0; z <= z1; z++) {
    // (past the last slice only its edges to the padding above are counted)
    if (z === z1 && z1 < nz) break;
    classify(z, cur, anyCur);
    const own = ownEdges(cur, below, anyCur, anyBelow, WK, ny);
    if (perSlice) perSlice[Math.min(z, nz - 1)] += own; // (the padding above counts with the last slice)
    count += own;
    [cur, below] = [below, cur];
    [anyCur, anyBelow] = [anyBelow, anyCur];
  }
  return count;
}

/**
 * The slices whose crossings the slab of cell layers [l0, l1) is counted by (layer l lies between
 * slices l − 1 and l): over splitSlabs' slabs they split the slices [0, nz), so the counts add up to
 * the whole volume's.
 */
export const slabSlices = ([l0, l1]: [number, number], nz: number): [number, number] => [Math.min(l0, nz), Math.min(l1, nz)];

/**
 * About how many vertices that slab makes, from the crossings of its slices: one more layer's worth
 * besides, for the slice below it, whose vertices it makes too (the plane it shares with the slab
 * below). Sizes its arrays ahead (see the pipeline).
 */
export const slabVertices = (crossings: number, [l0, l1]: [number, number]): number => (crossings * (l1 - l0 + 1)) / Math.max(1, l1 - l0);

/** Bits set in a 32-bit word. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Crossed edges a slice's bit plane owns (see countCrossings): along x in each row (a row's bits past
 * nx are 0, so the last transition is there), along y between each row and the one before (the
 * padding rows too), along z to the plane below. Rows empty in both planes and around are skipped.
 */
function ownEdges(cur: Int32Array, below: Int32Array, anyCur: Int32Array, anyBelow: Int32Array, WK: number, ny: number): number {
  let count = 0;
  for (let r = 1; r <= ny + 1; r++) if (anyCur[r] !== 0 || anyCur[r - 1] !== 0 || anyBelow[r] !== 0) count += ownRow(cur, below, r * WK, WK);
  return count;
}

/**
 * Row r's crossed edges (its words from k0). A function of its own, called per row: as the inner loop
 * of ownEdges (called per slice) it ran in the page from code compiled for that loop, left at every row.
 */
function ownRow(cur: Int32Array, below: Int32Array, k0: number, WK: number): number {
  let count = 0, carry = 0;
  for (let k = k0; k < k0 + WK; k++) {
    const w = cur[k];
    count += bitCount(w ^ ((w << 1) | carry)) + bitCount(w ^ cur[k - WK]) + bitCount(w ^ below[k]);
    carry = w >>> 31;
  }
  return count;
}

/** How a build is made, as far as its memory goes. */
export interface BuildShape {
  /** voxels of the volume meshed (the mask takes one byte each) */
  voxels: number;
  /** whether a mask is made (keep largest, seeds, cavities, crop: see needsMask) */
  mask: boolean;
  smoothing: number;
  detail: Detail;
  /** threads sharing smoothing and decimation */
  threads: number;
}

/**
 * Most bytes a build holds at once for an isosurface of V vertices and T triangles, besides the
 * volume. The build's shared arrays come from an Arena (memory.ts) that reuses what earlier stages
 * gave back and never frees, so its footprint is replayed here: the same allocations, in the same
 * order, sizes from the code of each stage (pipeline.ts, refine.ts, decimate.ts with its smoothing,
 * deviation.ts), the same first fit. To that each moment adds the plain memory workers hold then:
 *   isosurface and stitch: the slabs (a mesh: 12 bytes per vertex and per triangle);
 *   decimation: per-thread marks and the compaction's map (4 V each), the decimated mesh;
 *   deviation and check: the decimated mesh, the grid's fill counts (8 T), the decimated surface's
 *     grid (24 bytes a triangle) and the check's edge tables (about 64 bytes a triangle).
 * A build in a MemoryReserve (reserve.ts) holds its whole arena from the start: beside the slabs too.
 */
export function buildBytes(V: number, T: number, shape: BuildShape): number {
  return buildMemory(V, T, shape).peak;
}

/**
 * Bytes of the build's arena: the mask and every array of the stages that its arena (memory.ts) takes
 * as new memory, reusing what earlier stages gave back (see buildBytes). A MemoryReserve (reserve.ts)
 * of this size holds them all.
 */
export function arenaBytes(V: number, T: number, shape: BuildShape): number {
  return buildMemory(V, T, shape).arena;
}

/** buildBytes and arenaBytes in one replay. */
function buildMemory(V: number, T: number, shape: BuildShape): { peak: number; arena: number } {
  const d = shape.detail;
  const keep = d.kind === 'fraction' ? d.keep : d.kind === 'full' ? 1 : TOLERANCE_KEEPS;
  const mesh = (v: number, t: number) => 12 * v + 12 * t;
  const kept = mesh(keep * V, keep * T);
  const check = (v: number, t: number) => 64 * t + 9 * v;
  const arena = new ArenaModel();
  let peak = 0;
  const moment = (plain: number) => (peak = Math.max(peak, arena.footprint + plain));
  // with a MemoryReserve (reserve.ts) the whole arena is in memory from the start, beside the slabs
  const done = () => ({ peak: Math.max(peak, arena.footprint + mesh(V, T)), arena: arena.footprint });

  const mask = shape.mask ? arena.fresh(shape.voxels) : null;
  moment(mesh(V, T)); // isosurface: the mask and the slabs
  if (mask) arena.giveBack(mask);
  arena.alloc(12 * V); // stitch: the joined mesh
  arena.alloc(12 * T);
  moment(mesh(V, T));
  if (d.kind === 'full' && shape.smoothing === 0) {
    moment(mesh(V, T) + check(V, T)); // a plain copy of the mesh, and its check
    return done();
  }
  // decimation (decimateJob's arrays, in its order), smoothing first inside it (its neighbour lists
  // in Q's memory, its two buffers P and N); refine.ts gives back the ones marked
  const given: Block[] = [];
  for (const a of decimateJobArrays(V, T, partitionCount(T), shape.threads)) {
    const b = arena.alloc(a.bytes);
    if (a.givenBack) given.push(b);
  }
  moment(4 * V + kept); // compact's renumbering, and the decimated mesh
  arena.giveBack(...given);
  if (d.kind === 'full') {
    moment(kept + check(V, T)); // the check of the cleaned-up mesh
    return done();
  }
  arena.alloc(12 * keep * V); // the decimated copy the deviation and the check share
  arena.alloc(12 * keep * T);
  arena.alloc(24 * T); // the full surface's triangle grid (gridBytes)
  for (let i = 0; i < shape.threads; i++) arena.alloc(4 * T); // triangle stamps
  moment(kept + 8 * T + 24 * keep * T + check(keep * V, keep * T));
  return done();
}

/**
 * The arrays decimateJob (decimate.ts) makes for V vertices and T triangles, in its order, with the
 * ones refine.ts gives back once the decimation is done; the small ones (a few words, the per-thread
 * counts) left out.
 */
export function decimateJobArrays(V: number, T: number, partitions: number, threads: number): { name: string; bytes: number; givenBack: boolean }[] {
  const a = (name: string, bytes: number, givenBack: boolean) => ({ name, bytes, givenBack });
  return [
    a('outList', 12 * T, true),
    a('outStart', 4 * (V + 1), true),
    a('P', 24 * V, true),
    a('Q', 80 * V, true),
    a('N', 24 * V, true),
    a('I', 12 * T, true),
    a('opp', 12 * T, true),
    a('vOut', 4 * V, true),
    a('locked', V, false),
    a('moved', 4 * V, true),
    a('cheapest', 2 * V, false),
    a('deadTri', T, false),
    a('binOf', V, false),
    a('hist', 2 * partitions * 4 * 16385, false),
    a('marks', 4 * V * threads, true),
  ];
}

/** The share of the triangles a tolerance usually keeps (for its memory only: 0.1–1 mm keep 5–25 %). */
const TOLERANCE_KEEPS = 0.25;

/** An allocation of the model: its size. */
interface Block {
  bytes: number;
}

/** Memory.ts's Arena, counting bytes only: first fit in regions given back, else fresh memory. */
class ArenaModel {
  footprint = 0;
  private free: { left: number }[] = [];

  fresh(bytes: number): Block {
    this.footprint += bytes;
    return { bytes };
  }

  alloc(bytes: number): Block {
    const b = Math.ceil(bytes);
    for (const f of this.free)
      if (f.left >= b) {
        f.left -= Math.ceil(b / 8) * 8;
        return { bytes: b };
      }
    return this.fresh(b);
  }

  giveBack(...blocks: Block[]): void {
    // (as Arena: regions under 64 KiB are not worth keeping)
    for (const b of blocks) if (b.bytes >= 1 << 16) this.free.push({ left: b.bytes });
  }
}

/**
 * What a process grows by beyond the arrays buildBytes counts, measured (peak RSS of a fresh Node
 * process over a build with 2 workers, against buildBytes, on the head phantom at 256² × 160, 512² × 300
 * and 512² × 600 and the abdomen CT): garbage not yet collected, about a tenth, and each worker's heap
 * growing by about 12 MiB (compiled code, the slabs' growing buffers).
 */
const GARBAGE = 0.1;
const WORKER_GROWTH = 12 * 2 ** 20;

/** The estimate from a count of crossed edges (countCrossings over the whole volume). */
export function estimateFromCrossings(crossings: number, shape: BuildShape): MeshEstimate {
  const V = crossings, T = 2 * crossings;
  return { vertices: V, triangles: T, peakBytes: Math.round((1 + GARBAGE) * buildBytes(V, T, shape) + WORKER_GROWTH * shape.threads) };
}

/**
 * The size of a MemoryReserve for a build whose isosurface crosses `crossings` grid edges: its arena
 * (arenaBytes), and 1 % more for the rounding of a count to a mesh (T ≈ 2V, see the header).
 */
export function reserveBytes(crossings: number, shape: BuildShape): number {
  return Math.ceil(1.01 * arenaBytes(crossings, 2 * crossings, shape));
}
