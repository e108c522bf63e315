// Non-shrinking mesh smoothing (Taubin λ/μ) for the closed, welded meshes that marching cubes makes.
//
// Why Taubin: plain Laplacian (umbrella) smoothing, p += λ·(mean(neighbours) − p), is a low-pass
// filter whose transfer function f(k) = 1 − λk is < 1 at every frequency k > 0, so besides removing the
// voxel staircase it also damps the lowest frequencies: the whole mesh shrinks a little every pass
// (a sphere loses several per cent of its volume in 25 iterations). Taubin (1995) alternates a
// shrinking step (λ > 0) with an inflating step (μ < −λ), giving per iteration
//   f(k) = (1 − λk)(1 − μk),
// which is ≈ 1 in the pass band k < k_PB and falls off above it, where
//   k_PB = 1/λ + 1/μ.
// With λ = 0.5, μ = −0.53: k_PB = 2 − 1.887 ≈ 0.113, so the low frequencies (overall shape, hence
// volume) pass almost unchanged, while the high frequencies of the staircase (k up to 2 for the
// umbrella operator) are attenuated. k is in units of the uniform Laplacian's eigenvalues (0..2).

import { barrier, barrierState } from './barrier';
import { Arena, plainMemory, typed, type Alloc } from './memory';
import { prefixSums } from './prefixSums';
import { splitRange } from './split';
import type { Mesh } from './types';

export interface TaubinOptions {
  /** λ/μ iteration pairs; dicom2stl's default is 25 */
  iterations?: number;
  /** the shrinking step, 0 < λ < 1 */
  lambda?: number;
  /** the inflating step, μ < −λ for a positive pass band */
  mu?: number;
  /** neighbour weights; only uniform (umbrella) for now */
  weights?: 'uniform';
}

/**
 * CSR adjacency of unique edge neighbours: the neighbours of vertex v are
 * `neighbours[offsets[v − v0] .. offsets[v − v0 + 1])`, sorted ascending, without duplicates or v
 * itself, for the vertices v of `range` [v0, v1) (all by default). Typed arrays only: degrees are
 * counted from the directed half-edges (both directions, so open meshes work too), the rows are
 * filled, then each row is insertion-sorted and deduplicated in place and the rows are compacted
 * towards the front of the buffer. With `blocks` (SmoothJob.blocks), only the triangles of blocks that
 * reach into the range are read: the same rows, from less reading.
 */
export function buildVertexNeighbours(
  indices: Uint32Array,
  vertexCount: number,
  range: [number, number] = [0, vertexCount],
  alloc: Alloc = plainMemory,
  blocks: Int32Array | null = null,
): { offsets: Uint32Array; neighbours: Uint32Array } {
  const nh = indices.length - (indices.length % 3);
  const [v0, v1] = range;
  const n = v1 - v0;
  const start = typed(Uint32Array, alloc, n + 1);
  const spans = blockSpans(nh / 3, v0, v1, blocks);
  // Every edge of every triangle, both ways (a closed mesh lists each neighbour twice, deduped
  // below); only the rows in range count.
  for (let q = 0; q < spans.length; q += 2) countEdgeEnds(indices, spans[q], spans[q + 1], v0, n, start);
  prefixSums(start);
  const buf = typed(Uint32Array, alloc, start[n]);
  const fill = typed(Uint32Array, alloc, n);
  fill.set(start.subarray(0, n));
  for (let q = 0; q < spans.length; q += 2) fillEdgeEnds(indices, spans[q], spans[q + 1], v0, n, fill, buf);
  const offsets = typed(Uint32Array, alloc, n + 1);
  const w = sortRows(start, buf, n, offsets);
  return { offsets, neighbours: buf.subarray(0, w) };
}

// buildVertexNeighbours' loops, each a function of its own: V8 compiles a hot loop of a long function
// by compiling that whole function again (on-stack replacement), once per loop, in every fresh worker.

/** start[r + 1] += the edge ends of triangles' indices [from, to) at row r (vertex v0 + r, r < n). */
function countEdgeEnds(indices: Uint32Array, from: number, to: number, v0: number, n: number, start: Uint32Array): void {
  // ((x − v0) >>> 0 < n tests v0 ≤ x < v1)
  for (let t = from; t < to; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    const ra = (a - v0) >>> 0, rb = (b - v0) >>> 0, rc = (c - v0) >>> 0;
    if (a !== b) {
      if (ra < n) start[ra + 1]++;
      if (rb < n) start[rb + 1]++;
    }
    if (b !== c) {
      if (rb < n) start[rb + 1]++;
      if (rc < n) start[rc + 1]++;
    }
    if (c !== a) {
      if (rc < n) start[rc + 1]++;
      if (ra < n) start[ra + 1]++;
    }
  }
}

/** Each edge end of triangles' indices [from, to) into its row of buf, at fill[row] (moved on). */
function fillEdgeEnds(indices: Uint32Array, from: number, to: number, v0: number, n: number, fill: Uint32Array, buf: Uint32Array): void {
  for (let t = from; t < to; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    const ra = (a - v0) >>> 0, rb = (b - v0) >>> 0, rc = (c - v0) >>> 0;
    if (a !== b) {
      if (ra < n) buf[fill[ra]++] = b;
      if (rb < n) buf[fill[rb]++] = a;
    }
    if (b !== c) {
      if (rb < n) buf[fill[rb]++] = c;
      if (rc < n) buf[fill[rc]++] = b;
    }
    if (c !== a) {
      if (rc < n) buf[fill[rc]++] = a;
      if (ra < n) buf[fill[ra]++] = c;
    }
  }
}

/** Sorts and dedupes each row, writing it compacted (w never overtakes the row being read); offsets; the entries kept. */
function sortRows(start: Uint32Array, buf: Uint32Array, n: number, offsets: Uint32Array): number {
  let w = 0;
  for (let v = 0; v < n; v++) {
    const s = start[v];
    const e = start[v + 1];
    for (let i = s + 1; i < e; i++) {
      const x = buf[i];
      let j = i - 1;
      while (j >= s && buf[j] > x) {
        buf[j + 1] = buf[j];
        j--;
      }
      buf[j + 1] = x;
    }
    offsets[v] = w;
    for (let i = s; i < e; i++) {
      const x = buf[i];
      if (w === offsets[v] || buf[w - 1] !== x) buf[w++] = x;
    }
  }
  offsets[n] = w;
  return w;
}

/** Triangles per block of SmoothJob.blocks. */
const BLOCK = 4096;

/**
 * The smallest and largest vertex of each block of BLOCK triangles, for blocks [b0, b1) (two entries
 * a block; an empty block gets an empty span).
 */
function spanBlocks(indices: Uint32Array, blocks: Int32Array, b0: number, b1: number): void {
  for (let b = b0; b < b1; b++) spanBlock(indices, blocks, b);
}

/**
 * Block b's span. A function of its own, called per block: as the inner loop of spanBlocks it ran in
 * the page from code compiled for that loop, left at every block (172 deoptimisations a build).
 */
function spanBlock(indices: Uint32Array, blocks: Int32Array, b: number): void {
  const nh = indices.length - (indices.length % 3);
  let lo = 0x7fffffff, hi = -1;
  for (let i = 3 * BLOCK * b, end = Math.min(nh, 3 * BLOCK * (b + 1)); i < end; i++) {
    const v = indices[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  blocks[2 * b] = lo;
  blocks[2 * b + 1] = hi;
}

/**
 * The index ranges [from, to) of `indices` to read for the vertices [v0, v1): the runs of blocks whose
 * vertices reach into it (all of them without `blocks`). Marching cubes makes its triangles slab by
 * slab with their vertices, so a thread's vertex range is met by about its share of the blocks.
 */
function blockSpans(triangles: number, v0: number, v1: number, blocks: Int32Array | null): number[] {
  if (!blocks) return [0, 3 * triangles];
  const spans: number[] = [];
  for (let b = 0; b < blocks.length / 2; b++) {
    if (blocks[2 * b + 1] < v0 || blocks[2 * b] >= v1) continue;
    const from = 3 * BLOCK * b, to = Math.min(3 * triangles, 3 * BLOCK * (b + 1));
    if (spans.length && spans[spans.length - 1] === from) spans[spans.length - 1] = to;
    else spans.push(from, to);
  }
  return spans;
}

/**
 * Taubin λ/μ smoothing with uniform (umbrella) weights. Returns a new mesh with new positions that
 * shares `indices` with the input (topology never changes). Each iteration is one λ step then one μ
 * step of p += f·(mean(neighbours) − p), computed in Float64 and double-buffered (every vertex of a
 * step reads the previous step's positions). Isolated vertices stay where they are.
 */
export function taubinSmooth(mesh: Mesh, options: TaubinOptions = {}): Mesh {
  const nv = (mesh.positions.length / 3) | 0;
  const out = new Float32Array(mesh.positions.length);
  taubinSmoothPart(smoothJob(mesh, out, options, 1, plainMemory), 0);
  return { positions: nv === 0 ? mesh.positions.slice() : out, indices: mesh.indices };
}

/**
 * One smoothing shared by `threads` threads: each smooths a range of vertices, writing `out` (may be
 * `positions` itself) for its range. Every step of every vertex is the same float operations in the
 * same order whatever the thread count, so the result equals taubinSmooth's bit for bit.
 */
export interface SmoothJob {
  positions: Float32Array;
  indices: Uint32Array;
  out: Float32Array;
  /** the two position buffers of the double-buffered steps, 3 × vertex count each */
  a: Float64Array;
  b: Float64Array;
  /** barrier state (see barrier.ts) */
  sync: Int32Array;
  /** the smallest and largest vertex of each block of BLOCK triangles (so a thread reads only the triangles near its vertices) */
  blocks: Int32Array;
  /** iterations done, for a progress display (thread 0 stores it after each one) */
  progress: Int32Array;
  /** memory each thread may use for its neighbour lists (about 32 bytes per triangle in all), or none */
  scratch: Uint8Array[];
  threads: number;
  iterations: number;
  lambda: number;
  mu: number;
}

/**
 * The job for `threads` threads, its buffers from `alloc` (shared memory for several threads). The
 * caller may add `scratch` memory for the threads' neighbour lists (see neighbourBytes).
 */
export function smoothJob(mesh: Mesh, out: Float32Array, options: TaubinOptions, threads: number, alloc: Alloc): SmoothJob {
  const { iterations = 25, lambda = 0.5, mu = -0.53 } = options;
  const n = mesh.positions.length;
  return {
    positions: mesh.positions,
    indices: mesh.indices,
    out,
    a: typed(Float64Array, alloc, n),
    b: typed(Float64Array, alloc, n),
    sync: barrierState(alloc),
    blocks: typed(Int32Array, alloc, 2 * Math.ceil((mesh.indices.length - (mesh.indices.length % 3)) / 3 / BLOCK)),
    progress: typed(Int32Array, alloc, 1),
    scratch: [],
    threads,
    iterations,
    lambda,
    mu,
  };
}

/** Scratch bytes a thread's neighbour lists usually take, for `triangles` and `vertices` over `threads`. */
export const neighbourBytes = (triangles: number, vertices: number, threads: number): number =>
  Math.ceil((4 * (7.5 * triangles + 3 * vertices)) / threads) + 1024;

/** Thread `thread`'s share of a SmoothJob: its vertex range, meeting the others between steps. */
export function taubinSmoothPart(job: SmoothJob, thread: number): void {
  const { positions, indices, out, a, b, sync, threads, iterations, lambda, mu } = job;
  const nv = (positions.length / 3) | 0;
  const [v0, v1] = splitRange(nv, threads)[thread] ?? [nv, nv];
  const arena = new Arena(plainMemory);
  if (job.scratch[thread]) arena.giveBack(job.scratch[thread]);
  // (one thread reads every triangle anyway: no blocks)
  if (threads > 1) {
    const nb = job.blocks.length / 2;
    const [b0, b1] = splitRange(nb, threads)[thread] ?? [nb, nb];
    spanBlocks(indices, job.blocks, b0, b1);
    barrier(sync, threads);
  }
  const { offsets, neighbours } = buildVertexNeighbours(indices, nv, [v0, v1], arena.alloc, threads > 1 ? job.blocks : null);
  timesThree(neighbours); // (each neighbour as the place of its x in the position buffers)
  copyInto(positions, a, 3 * v0, 3 * v1);
  barrier(sync, threads);
  for (let it = 0; it < iterations; it++) {
    umbrellaStep(a, b, offsets, neighbours, v0, v1, lambda);
    barrier(sync, threads);
    umbrellaStep(b, a, offsets, neighbours, v0, v1, mu);
    barrier(sync, threads);
    if (thread === 0) Atomics.store(job.progress, 0, it + 1);
  }
  copyInto(a, out, 3 * v0, 3 * v1);
}

/** to[i] = from[i] for i in [i0, i1) (a function of its own: see buildVertexNeighbours'). */
function copyInto(from: ArrayLike<number>, to: Float32Array | Float64Array, i0: number, i1: number): void {
  for (let i = i0; i < i1; i++) to[i] = from[i];
}

function timesThree(a: Uint32Array): void {
  for (let i = 0; i < a.length; i++) a[i] *= 3;
}

/**
 * One Jacobi umbrella step over vertices [v0, v1): dst = (1 − f)·src + f·mean(neighbours in src), with
 * `neighbours` holding 3 × each neighbour's index (the place of its x in src).
 */
function umbrellaStep(
  src: Float64Array,
  dst: Float64Array,
  offsets: Uint32Array,
  neighbours: Uint32Array,
  v0: number,
  v1: number,
  f: number,
): void {
  const keep = 1 - f;
  for (let v = v0, o = 3 * v0, s = offsets[0]; v < v1; v++, o += 3) {
    const e = offsets[v - v0 + 1];
    if (e === s) {
      dst[o] = src[o];
      dst[o + 1] = src[o + 1];
      dst[o + 2] = src[o + 2];
      continue;
    }
    let sx = 0, sy = 0, sz = 0;
    for (let i = s; i < e; i++) {
      const n = neighbours[i];
      sx += src[n];
      sy += src[n + 1];
      sz += src[n + 2];
    }
    const g = f / (e - s);
    dst[o] = keep * src[o] + g * sx;
    dst[o + 1] = keep * src[o + 1] + g * sy;
    dst[o + 2] = keep * src[o + 2] + g * sz;
    s = e;
  }
}
