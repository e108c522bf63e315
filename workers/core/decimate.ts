// Decimation that keeps a closed mesh closed: quadric-error edge collapse (Garland & Heckbert 1997)
// on a half-edge structure, where a collapse happens only if
//   • the link condition holds (the endpoints share exactly the two opposite vertices), which is what
//     keeps a 2-manifold a 2-manifold with the same topology (Dey et al. 1999);
//   • no surrounding triangle flips or degenerates when the vertex moves;
//   • the third vertex of each removed triangle keeps at least three neighbours (no tetrahedron
//     collapses to a sheet);
// and the merged vertex keeps the enclosed volume (Lindstrom & Turk 1998). Vertices on open,
// non-manifold or pinched parts of the input are never moved, so a mesh that is not closed comes out
// no worse than it went in. Pure functions over typed arrays; no per-vertex objects.
//
// Several threads can share one decimation (decimateThread): the mesh is cut into spatial partitions
// whose collapses never touch the same vertices or triangles, so they run side by side on shared
// memory, meeting at a barrier between passes; the result depends on the partition count only.
//
// The job can smooth the mesh first (smoothThread): Taubin smoothing (smooth.ts) over the same
// vertex order and half-edges the decimation builds anyway, so that smoothing needs no edge lists of
// its own; it writes the smoothed positions back into the input mesh as well.
//
// Where the job's arrays lie in one WebAssembly memory (a build's always do: see reserve.ts), the hot
// loops run as WebAssembly kernels compiled from C (wasm/: the umbrella step, the half-edges and
// quadrics, the collapser), which give the same bits as the JavaScript here.
import { barrier, barrierState } from './barrier';
import { emptyBox, growBox } from './bounds';
import { memoryOf, typed, type Alloc, type TypedArrayOf } from './memory';
import { growingMemory } from './reserve';
import { TAUBIN_DEFAULTS, umbrellaStep, type TaubinOptions } from './smooth';
import { splitRange } from './split';
import type { Mesh } from './types';
import { COLLAPSER_BYTES, kernelsFor, type Collapser, type HalfEdgeLoops } from './wasm/kernels';

export interface DecimateOptions {
  /** stop when this many triangles are left (or fewer) */
  targetTriangles?: number;
  /** stop before a collapse whose estimated error exceeds this distance (mm) */
  maxDeviationMm?: number;
  /**
   * Spatial partitions collapsed side by side (default: partitionCount(triangles)). The result
   * depends on this number, never on how many threads share the work.
   */
  partitions?: number;
  /**
   * The fewest edges a partition keeps: as the mesh shrinks, neighbouring partitions merge (default
   * 30,000; 0 keeps every partition to the end, as tests do).
   */
  partitionEdges?: number;
  /**
   * Look again at every vertex in every pass, also at one whose edges were all refused and near which
   * nothing changed since (see collapseEdges): slower, the same mesh; tests compare the two.
   */
  recheck?: boolean;
  /** Taubin smoothing before the decimation (see smoothThread); none by default */
  smoothing?: TaubinOptions;
}

export interface DecimateResult {
  mesh: Mesh;
  trianglesIn: number;
  trianglesOut: number;
  /**
   * The largest quadric error of any collapse made, as a distance (mm): the square root of the sum of
   * squared distances from the vertex to the original planes it stands for (plus the weak pull toward
   * its original vertices). A bound on the distance to any one of those planes, not to the surface:
   * use meshDeviation() for the measured distance between the two surfaces.
   */
  estimatedDeviationMm: number;
  /** how long each stage took (ms, as thread 0 saw it) */
  stages: { name: string; ms: number }[];
  /** vertices the passes did not look at again: all their edges refused before, nothing changed near them */
  skipped: number;
  /**
   * Stage 4's steps (see collapsePasses: the merges of coincident vertices, the costing, each pass),
   * as thread 0 saw them: the step's partitions, their times summed and the longest one's (ms). On
   * any number of threads a step takes at least its longest partition (the bench projects the
   * passes onto more workers from these).
   */
  steps: PartitionStep[];
}

/** One step of the collapse passes over its partitions (see DecimateResult.steps). */
export interface PartitionStep {
  partitions: number;
  workMs: number;
  longestMs: number;
}

/** Partitions for a mesh of `triangles`: one per 40,000 triangles, at most 16 (enough for 8 threads). */
export const partitionCount = (triangles: number): number => Math.max(1, Math.min(16, Math.floor(triangles / 40_000)));

/** Weight of the point term in the quadrics (see buildQuadrics). */
const W = 0.1;

const next = (h: number) => (h % 3 === 2 ? h - 2 : h + 1);
const prev = (h: number) => (h % 3 === 0 ? h + 2 : h - 1);

/**
 * Cost buckets: the top 14 bits of a non-negative float64 (exponent and 3 mantissa bits) order costs
 * exactly between buckets and to within 9 % inside one, so a histogram of them finds a quantile in
 * one pass.
 */
const BUCKETS = 1 << 14;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
function bucketOf(c: number): number {
  f64[0] = c;
  return u32[HI] >>> 17;
}

/** What topology() says of an edge. */
const ALLOWED = 0, REFUSED = 1, OUTSIDE = 2;

/** Figures per partition and pass, in DecimateJob.stats: */
const COLLAPSED = 0, WORST = 1, SKIPPED = 2, MS = 3, STATS = 4;
/** Entries of a cost histogram: every bucket, and one for a cost of +Infinity. */
const H = BUCKETS + 1;

/**
 * Everything a decimation works on, in memory every thread of it can reach (shared memory when
 * several threads share it). Vertices and triangles are renumbered along the mesh's longest axis into
 * 2 × partitions slabs of equal vertex counts ("bins"), so a partition is a range of vertices (and its
 * triangles lie together in memory).
 */
export interface DecimateJob {
  positions: Float32Array;
  indices: Uint32Array;
  target: number;
  /** squared distance (mm²) no collapse may exceed */
  maxCost: number;
  partitions: number;
  partitionEdges: number;
  recheck: boolean;
  threads: number;
  /** Taubin smoothing first (iterations 0: none; see smoothThread) */
  iterations: number;
  lambda: number;
  mu: number;
  /** smoothing iterations done, for a progress display; 1 in [1] once stages 1–2 ran (see smoothThread) */
  smoothed: Int32Array;
  /** vertex positions (renumbered), quadrics (10 per vertex), area-weighted normals */
  P: Float64Array;
  Q: Float64Array;
  N: Float64Array;
  /**
   * The WebAssembly memory every array the kernels work on lies in (the smoothing's step, the
   * half-edges and quadrics, the collapse passes: see wasm/kernels.ts), or null where they do not all
   * lie in one (then the same steps run as JavaScript, to the same bits).
   */
  memory: WebAssembly.Memory | null;
  /** corner → vertex (three per triangle, renumbered), opposite half-edge (−1: none) */
  I: Int32Array;
  opp: Int32Array;
  /**
   * outgoing half-edges per vertex (CSR); their memory then holds each edge's cost bucket (bucketOf
   * its cost rounded to float32), all the passes read of a cost
   */
  outStart: Int32Array;
  outList: Int32Array;
  bucket: Uint16Array;
  /**
   * outStart's memory once the quadrics are made, two halves: per vertex, the pass in which every edge
   * it may collapse was refused for a reason that holds until something around it changes (0: none),
   * and the last pass in which a collapse changed it or its fan (see collapseEdges)
   */
  refused: Uint16Array;
  touched: Uint16Array;
  /** one outgoing half-edge per live vertex (−1: gone) */
  vOut: Int32Array;
  /** vertices that never move: open, pinched or non-manifold parts of the input */
  locked: Uint8Array;
  /** the pass in which a vertex last moved; first (until the collapse passes) the new number of each vertex */
  moved: Int32Array;
  /**
   * the cheapest cost bucket of the edges a vertex may collapse in this pass (0xffff: none); before the
   * passes, 1 marks a vertex with a triangle of no area (where coincident vertices are: see mergeCoincident)
   */
  cheapest: Uint16Array;
  deadTri: Uint8Array;
  /** first vertex of each bin (2 × partitions + 1), and the bin of each vertex */
  binVertex: Int32Array;
  binOf: Uint8Array;
  /** per-thread counts (CELLS each) and bounding boxes (6 each) while ordering by slab */
  scratch: Int32Array;
  bounds: Float64Array;
  /**
   * Cost histogram of each bin (H entries each): the buckets of the edges that may collapse (both ends
   * free to move), counted in the bin of the vertex the edge belongs to (the start of its lower
   * half-edge). Kept current by every collapse, so a pass reads it without costing the edges again.
   */
  hist: Int32Array;
  /** the STATS figures of each partition of a pass */
  stats: Float64Array;
  /** per thread, a mark per vertex (topology's rings) and the state of its kernel collapser (COLLAPSER_BYTES) */
  marks: Int32Array;
  collapsers: Uint8Array;
  sync: Int32Array;
  /** tickets the threads draw partitions with (see collapsePasses) */
  tickets: Int32Array;
  /** triangles left, for a progress display (thread 0 stores it after each pass) */
  progress: Int32Array;
}

/** The job for `threads` threads, its buffers from `alloc` (shared memory for several threads). */
export function decimateJob(mesh: Mesh, options: DecimateOptions, threads: number, alloc: Alloc): DecimateJob {
  const nv = mesh.positions.length / 3;
  const ne = mesh.indices.length - (mesh.indices.length % 3);
  const nt = ne / 3;
  const partitions = Math.max(1, Math.min(127, Math.floor(options.partitions ?? partitionCount(nt))));
  const bins = 2 * partitions;
  const smoothing = { ...TAUBIN_DEFAULTS, iterations: 0, ...options.smoothing };
  // the arrays the kernels work on, in kernel memory (in this order: meshEstimate.ts decimateJobArrays)
  const k = <T>(Type: TypedArrayOf<T>, length: number) => typed(Type, alloc, length, true);
  const outList = k(Int32Array, ne), outStart = k(Int32Array, nv + 1);
  const smoothed = typed(Int32Array, alloc, 2);
  const P = k(Float64Array, 3 * nv), Q = k(Float64Array, 10 * nv), N = k(Float64Array, 3 * nv);
  const I = k(Int32Array, ne), opp = k(Int32Array, ne);
  const vOut = k(Int32Array, nv), locked = k(Uint8Array, nv), moved = k(Int32Array, nv), cheapest = k(Uint16Array, nv), deadTri = k(Uint8Array, nt);
  const binVertex = typed(Int32Array, alloc, bins + 1);
  const binOf = k(Uint8Array, nv);
  const scratch = typed(Int32Array, alloc, CELLS * threads), bounds = typed(Float64Array, alloc, 6 * threads);
  const hist = k(Int32Array, bins * H);
  const stats = typed(Float64Array, alloc, STATS * (partitions + 1));
  const marks = k(Int32Array, nv * threads), collapsers = k(Uint8Array, COLLAPSER_BYTES * threads);
  return {
    positions: mesh.positions,
    indices: mesh.indices,
    target: Math.max(4, Math.floor(options.targetTriangles ?? 0)),
    maxCost: options.maxDeviationMm === undefined ? Infinity : options.maxDeviationMm * options.maxDeviationMm,
    partitions,
    partitionEdges: options.partitionEdges ?? 30_000,
    recheck: options.recheck ?? false,
    threads,
    iterations: Math.max(0, Math.floor(smoothing.iterations)),
    lambda: smoothing.lambda,
    mu: smoothing.mu,
    smoothed,
    P,
    Q,
    N,
    memory: oneMemory([outList, outStart, P, Q, N, I, opp, vOut, locked, moved, cheapest, deadTri, binOf, hist, marks, collapsers]),
    I,
    opp,
    outStart,
    outList,
    bucket: new Uint16Array(outList.buffer, outList.byteOffset, ne),
    refused: new Uint16Array(outStart.buffer, outStart.byteOffset, nv),
    touched: new Uint16Array(outStart.buffer, outStart.byteOffset + 2 * nv, nv),
    vOut,
    locked,
    moved,
    cheapest,
    deadTri,
    binVertex,
    binOf,
    scratch,
    bounds,
    hist,
    stats,
    marks,
    collapsers,
    sync: barrierState(alloc),
    tickets: typed(Int32Array, alloc, 1),
    progress: typed(Int32Array, alloc, 1),
  };
}

/** The WebAssembly memory all of `arrays` lie in (each made on this thread), or null. */
function oneMemory(arrays: ArrayBufferView[]): WebAssembly.Memory | null {
  const memory = memoryOf(arrays[0].buffer);
  return memory && arrays.every((a) => memoryOf(a.buffer) === memory) ? memory : null;
}

/**
 * Decimation in this thread alone (see decimateThread for the stages), after the smoothing the
 * options ask for (see smoothThread), which is also written into `mesh.positions`. Its arrays from
 * `alloc`: by default one growing WebAssembly memory, where the kernels run.
 */
export function decimate(mesh: Mesh, options: DecimateOptions, alloc: Alloc = growingMemory()): DecimateResult {
  const job = decimateJob(mesh, options, 1, alloc);
  const smoothing = smoothThread(job, 0)!;
  const result = decimateThread(job, 0)!;
  return { ...result, stages: [...smoothing, ...result.stages] };
}

/** Stage timings as thread 0 saw them. */
type Stages = { name: string; ms: number }[];

/** A barrier of the job's threads, and a recorder of stage timings from now on. */
function meeting(job: DecimateJob): { sync: () => void; stages: Stages; done: (name: string) => void } {
  const stages: Stages = [];
  let t = performance.now();
  return {
    sync: () => barrier(job.sync, job.threads),
    stages,
    done: (name: string) => {
      const now = performance.now();
      stages.push({ name, ms: now - t });
      t = now;
    },
  };
}

/**
 * Stages 1 and 2 for thread `thread` of job.threads (every thread calls this once, before
 * decimateThread), then job.iterations of Taubin smoothing over them: the vertices' positions P (in
 * the new order) smoothed in place, and written back into the input mesh's positions (float32, in
 * its order) for whoever reads the smoothed mesh. Thread 0 returns its stage timings, the others null.
 *
 *   1. order by slab: vertices and triangles renumbered into bins along the longest axis (counting
 *      sorts over vertex, then triangle ranges);
 *   2. half-edges: outgoing lists, closed fans (vertex ranges), opposites (half-edge ranges);
 *   smoothing: each thread a range of vertices, double-buffered in P and N (free until stage 3),
 *      meeting between steps (see smooth.ts; the neighbours of a vertex are the ends of its outgoing
 *      half-edges, in their order). Every step of every vertex is the same float operations in the
 *      same order whatever the thread count, so the result depends on the mesh alone.
 */
export function smoothThread(job: DecimateJob, thread: number): Stages | null {
  const { sync, stages, done } = meeting(job);
  orderBySlab(job, thread, sync);
  sync();
  done('order by slab');
  buildHalfEdges(job, thread, sync);
  sync();
  done('half-edges');
  if (job.iterations > 0) {
    smooth(job, thread, sync);
    done('smoothing');
  }
  // from here on (collapse passes): the pass in which each vertex moved
  const [v0, v1] = share(job, job.moved.length, thread);
  job.moved.fill(0, v0, v1);
  if (thread === 0) job.smoothed[1] = 1;
  sync();
  return thread === 0 ? stages : null;
}

/**
 * Thread `thread` of job.threads: every thread calls this once, after smoothThread (which it runs
 * first when no one did); thread 0 returns the result, the others null.
 * The stages, each over the threads where it can be split:
 *   1–2. see smoothThread;
 *   3. quadrics (vertex ranges);
 *   4. collapse passes: in each pass every partition collapses its cheapest edges on its own, its
 *      border vertices locked; the partitions shift by half a partition every other pass so that no
 *      border stays locked; what they leave, thread 0 finishes over the whole mesh;
 *   5. compact (thread 0).
 */
export function decimateThread(job: DecimateJob, thread: number): DecimateResult | null {
  // (every thread reads the mark before the first barrier of smoothThread, and thread 0 sets it after)
  const before = job.smoothed[1] === 1 ? [] : (smoothThread(job, thread) ?? []);
  const { sync, stages, done } = meeting(job);
  stages.push(...before);
  buildQuadrics(job, thread);
  sync();
  done('quadrics');
  const [worst, skipped, steps] = collapsePasses(job, thread, sync);
  done('collapse passes');
  if (thread !== 0) return null;
  const result = compact(job, worst, skipped, stages, steps);
  done('compact');
  return result;
}

/** My share [from, to) of n items split evenly over the job's threads. */
const share = (job: DecimateJob, n: number, thread: number) => splitRange(n, job.threads)[thread] ?? [n, n];

/** Cells along the axis from which the bins are cut. */
const CELLS = 4096;

/**
 * Stage 1: bins of equal vertex counts along the longest axis of the bounding box (CELLS cells, then
 * cut at quantiles); vertices renumbered bin by bin, triangles bin by bin (of their centroid), both
 * keeping their order inside a bin (marching cubes' order is already spatial: cache-friendly). Each
 * thread takes a range of vertices, then of triangles (a counting sort whose per-thread counts keep
 * the order of one thread).
 */
function orderBySlab(job: DecimateJob, thread: number, sync: () => void): void {
  const { positions: X, indices, P, I, moved: newIndex, binVertex, scratch, bounds, threads } = job;
  const nv = X.length / 3, nt = I.length / 3, bins = binVertex.length - 1;
  const [v0, v1] = share(job, nv, thread);
  const [t0, t1] = share(job, nt, thread);
  const mine = scratch.subarray(CELLS * thread, CELLS * (thread + 1));
  bounds.set(emptyBox(), 6 * thread);
  growBox(X, v0, v1, bounds, 6 * thread);
  sync();
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let t = 0; t < threads; t++)
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c], bounds[6 * t + c]);
      hi[c] = Math.max(hi[c], bounds[6 * t + 3 + c]);
    }
  const ext = [0, 1, 2].map((c) => hi[c] - lo[c]);
  const axis = ext[0] >= ext[1] && ext[0] >= ext[2] ? 0 : ext[1] >= ext[2] ? 1 : 2;
  const cut = { axis, lo: lo[axis], scale: ext[axis] > 0 ? CELLS / ext[axis] : 0, binOfCell: new Int32Array(CELLS) };
  mine.fill(0);
  countCells(X, cut, v0, v1, mine);
  sync();
  for (let c = 0, acc = 0; c < CELLS; c++) {
    cut.binOfCell[c] = Math.min(bins - 1, Math.floor((acc * bins) / Math.max(1, nv)));
    for (let t = 0; t < threads; t++) acc += scratch[CELLS * t + c];
  }
  sync();
  /** Per-thread counts per bin (in `mine`) → where this thread's first item of each bin goes (and bin starts). */
  const starts = (first: Int32Array | null): Int32Array => {
    sync();
    const at = new Int32Array(bins);
    for (let b = 0, total = 0; b < bins; b++) {
      if (first) first[b] = total;
      for (let t = 0; t < threads; t++) {
        if (t === thread) at[b] = total;
        total += scratch[CELLS * t + b];
      }
      if (first && b === bins - 1) first[bins] = total;
    }
    sync(); // (scratch is counted again next)
    return at;
  };
  mine.fill(0);
  countVertexBins(X, cut, v0, v1, mine);
  placeVertices(X, P, newIndex, cut, v0, v1, starts(thread === 0 ? binVertex : null));
  mine.fill(0);
  countTriangleBins(X, indices, cut, t0, t1, mine);
  placeTriangles(X, indices, I, newIndex, cut, t0, t1, starts(null)); // (its barriers also see every newIndex written)
  sync();
  for (let b = 0; b < bins; b++) job.binOf.fill(b, Math.max(v0, binVertex[b]), Math.min(v1, binVertex[b + 1]));
}

// Stage 1's loops, each a function of its own: V8 compiles a hot loop inside a long function by
// compiling that whole function again (on-stack replacement), once per loop, on a fresh worker for
// every build; small functions compile once and quickly.

/** Where stage 1 cuts: CELLS cells along `axis` from `lo`, and the bin of each cell. */
interface Cut {
  axis: number;
  lo: number;
  scale: number;
  binOfCell: Int32Array;
}

const cellOf = (cut: Cut, x: number) => Math.min(CELLS - 1, Math.max(0, Math.floor((x - cut.lo) * cut.scale)));
const binOfVertex = (X: Float32Array, cut: Cut, v: number) => cut.binOfCell[cellOf(cut, X[3 * v + cut.axis])];
const binOfTriangle = (X: Float32Array, indices: Uint32Array, cut: Cut, t: number) =>
  cut.binOfCell[cellOf(cut, (X[3 * indices[3 * t] + cut.axis] + X[3 * indices[3 * t + 1] + cut.axis] + X[3 * indices[3 * t + 2] + cut.axis]) / 3)];

function countCells(X: Float32Array, cut: Cut, v0: number, v1: number, counts: Int32Array): void {
  for (let v = v0; v < v1; v++) counts[cellOf(cut, X[3 * v + cut.axis])]++;
}

function countVertexBins(X: Float32Array, cut: Cut, v0: number, v1: number, counts: Int32Array): void {
  for (let v = v0; v < v1; v++) counts[binOfVertex(X, cut, v)]++;
}

function countTriangleBins(X: Float32Array, indices: Uint32Array, cut: Cut, t0: number, t1: number, counts: Int32Array): void {
  for (let t = t0; t < t1; t++) counts[binOfTriangle(X, indices, cut, t)]++;
}

/** Vertices [v0, v1) to their places bin by bin (`at`: this thread's next place in each bin): P, and each one's new number. */
function placeVertices(X: Float32Array, P: Float64Array, newIndex: Int32Array, cut: Cut, v0: number, v1: number, at: Int32Array): void {
  for (let v = v0; v < v1; v++) {
    const n = at[binOfVertex(X, cut, v)]++;
    newIndex[v] = n;
    P[3 * n] = X[3 * v];
    P[3 * n + 1] = X[3 * v + 1];
    P[3 * n + 2] = X[3 * v + 2];
  }
}

/** Triangles [t0, t1) to their places bin by bin, with their vertices' new numbers. */
function placeTriangles(X: Float32Array, indices: Uint32Array, I: Int32Array, newIndex: Int32Array, cut: Cut, t0: number, t1: number, at: Int32Array): void {
  for (let t = t0; t < t1; t++) {
    const n = at[binOfTriangle(X, indices, cut, t)]++;
    I[3 * n] = newIndex[indices[3 * t]];
    I[3 * n + 1] = newIndex[indices[3 * t + 1]];
    I[3 * n + 2] = newIndex[indices[3 * t + 2]];
  }
}

/** Stage 2 and 3's loops as JavaScript (below), for a job whose arrays are not in one WebAssembly memory. */
const JS_LOOPS: HalfEdgeLoops = { countStarts, listStarts, fillLists, pairOpposites, closeFans, quadricsOf };

/** The job's stage 2 and 3 loops: the kernels' where its arrays lie in one WebAssembly memory (the same values). */
const loopsOf = (job: DecimateJob): HalfEdgeLoops => (job.memory ? kernelsFor(job.memory) : JS_LOOPS);

/** Groups of triangles counted side by side in stage 2: their counts take Q's memory (20 int32 per vertex). */
const COUNT_GROUPS = 20;

/**
 * Stage 2: outgoing half-edges per vertex (CSR), then opposites: u→v pairs with the only v→u; any
 * other case (open, non-manifold) locks both ends. A vertex whose triangles are not one closed fan
 * (open, pinched) is locked too: it stays where it is.
 */
function buildHalfEdges(job: DecimateJob, thread: number, sync: () => void): void {
  const { I, opp, outStart, outList, vOut, locked } = job;
  const nv = vOut.length, ne = I.length;
  // Each thread counts the half-edges of a range of triangles per vertex, in memory of its own (Q's,
  // free until stage 3); a vertex's list then takes the first range's half-edges, then the second's…,
  // so that it is in half-edge order whatever the thread count.
  const loops = loopsOf(job);
  const groups = Math.min(job.threads, COUNT_GROUPS);
  const counts = new Int32Array(job.Q.buffer, job.Q.byteOffset, groups * nv);
  const [t0, t1] = (thread < groups && splitRange(ne / 3, groups)[thread]) || [0, 0];
  const mine = counts.subarray(thread * nv, thread * nv + (thread < groups ? nv : 0));
  loops.countStarts(I, 3 * t0, 3 * t1, mine);
  sync();
  if (thread === 0) loops.listStarts(counts, groups, outStart);
  sync();
  loops.fillLists(I, 3 * t0, 3 * t1, mine, outList);
  sync();
  const [v0, v1] = share(job, nv, thread);
  // (the counts are spent: each thread tallies pairOpposites' ends in two words a vertex of Q's memory,
  // 20 words a vertex, so for up to ten threads)
  const words = 2 * nv, inQ = (thread + 1) * words <= 2 * job.Q.length;
  const tally = inQ ? new Int32Array(job.Q.buffer, job.Q.byteOffset + 4 * words * thread, words) : new Int32Array(words);
  tally.fill(0);
  (inQ ? loops : JS_LOOPS).pairOpposites(I, outStart, outList, opp, locked, v0, v1, tally);
  sync();
  loops.closeFans(outStart, outList, opp, vOut, locked, v0, v1);
}

// Stage 2's loops, each a function of its own (see stage 1's).

/** counts[v] += the half-edges [h0, h1) that start at v */
function countStarts(I: Int32Array, h0: number, h1: number, counts: Int32Array): void {
  for (let h = h0; h < h1; h++) counts[I[h]]++;
}

/** outStart from every group's counts, which become where each group's first half-edge of a vertex goes. */
function listStarts(counts: Int32Array, groups: number, outStart: Int32Array): void {
  const nv = outStart.length - 1;
  for (let v = 0, total = 0; v <= nv; v++) {
    outStart[v] = total;
    if (v < nv)
      for (let g = 0; g < groups; g++) {
        const k = counts[g * nv + v];
        counts[g * nv + v] = total;
        total += k;
      }
  }
}

/** The half-edges [h0, h1) into their start's list, at the places `at` (per vertex) moves on. */
function fillLists(I: Int32Array, h0: number, h1: number, at: Int32Array, outList: Int32Array): void {
  for (let h = h0; h < h1; h++) outList[at[I[h]]++] = h;
}

/**
 * Opposites, per vertex u of [v0, v1) over its own triangles: every half-edge ending at u is the one
 * before a half-edge starting at u (in its triangle), so the v→u to pair with u→v is found in u's
 * list. Anything else but exactly one v→u and one u→v locks both ends.
 * The ends are tallied per neighbour v in `tally` (two words a vertex, zero between vertices): in the
 * first, the half-edges u→v (bits 0–1) and v→u (bits 2–3), each count stopped at 2, so 5 means exactly
 * one of each; in the second, where in u's list the last v→u came from.
 */
function pairOpposites(I: Int32Array, outStart: Int32Array, outList: Int32Array, opp: Int32Array, locked: Uint8Array, v0: number, v1: number, tally: Int32Array): void {
  for (let u = v0; u < v1; u++) {
    const s = outStart[u], e = outStart[u + 1];
    for (let i = s; i < e; i++) {
      const h = outList[i];
      const to = 2 * I[next(h)], from = 2 * I[prev(h)];
      const t = tally[to];
      if ((t & 3) < 2) tally[to] = t + 1;
      const f = tally[from];
      if ((f & 12) < 8) tally[from] = f + 4;
      tally[from + 1] = i;
    }
    for (let i = s; i < e; i++) {
      const h = outList[i];
      const v = I[next(h)];
      if (tally[2 * v] === 5 && u !== v) opp[h] = prev(outList[tally[2 * v + 1]]);
      else {
        opp[h] = -1;
        locked[u] = locked[v] = 1;
      }
    }
    for (let i = s; i < e; i++) {
      const h = outList[i];
      tally[2 * I[next(h)]] = 0;
      tally[2 * I[prev(h)]] = 0;
    }
  }
}

/** One outgoing half-edge per vertex of [v0, v1) (−1: none); a vertex whose triangles are not one closed fan is locked. */
function closeFans(outStart: Int32Array, outList: Int32Array, opp: Int32Array, vOut: Int32Array, locked: Uint8Array, v0: number, v1: number): void {
  for (let v = v0; v < v1; v++) {
    const deg = outStart[v + 1] - outStart[v];
    if (deg === 0) {
      vOut[v] = -1;
      continue;
    }
    vOut[v] = outList[outStart[v]];
    if (locked[v]) continue;
    let e = vOut[v], steps = 0;
    do {
      const o = opp[prev(e)];
      if (o < 0) {
        steps = -1;
        break;
      }
      e = o;
      steps++;
    } while (e !== vOut[v] && steps <= deg);
    if (steps !== deg) locked[v] = 1;
  }
}

/**
 * The smoothing between stages 2 and 3 (see smoothThread), thread `thread`'s vertices. Its neighbour
 * lists take the memory of Q (free until stage 3: 80 bytes a vertex, about 28 used on a closed mesh)
 * unless they need more.
 */
function smooth(job: DecimateJob, thread: number, sync: () => void): void {
  const { P, N, Q } = job;
  const [v0, v1] = share(job, job.vOut.length, thread);
  const n = v1 - v0;
  const words = n + 1 + countNeighbours(job, v0, v1);
  const inQ = 4 * words <= 80 * n;
  const rows = inQ ? new Uint32Array(Q.buffer, Q.byteOffset + 80 * v0, words) : new Uint32Array(words);
  const offsets = rows.subarray(0, n + 1), neighbours = rows.subarray(n + 1);
  fillNeighbours(job, v0, v1, offsets, neighbours);
  // the kernel's step where P, N and the rows lie in its memory (the same bits as umbrellaStep)
  const step = inQ && job.memory ? kernelsFor(job.memory).umbrella : umbrellaStep;
  for (let it = 0; it < job.iterations; it++) {
    step(P, N, offsets, neighbours, v0, v1, job.lambda);
    sync();
    step(N, P, offsets, neighbours, v0, v1, job.mu);
    sync();
    if (thread === 0) Atomics.store(job.smoothed, 0, it + 1);
  }
  // the smoothed positions into the input mesh, in its order (float32), and P rounded as they are
  const [x0, x1] = share(job, job.moved.length, thread);
  writeBack(job.positions, P, job.moved, x0, x1);
}

// The smoothing's loops, each a function of its own (see stage 1's).

/**
 * The neighbours of a locked vertex v (open, pinched or non-manifold: its half-edges may not pair):
 * the other ends of every edge of its triangles, ascending, each once. (A vertex that is not locked
 * has one closed fan, where the ends of its outgoing half-edges are its neighbours, each once.)
 */
function lockedNeighbours(job: DecimateJob, v: number): Int32Array {
  const { I, outStart, outList } = job;
  const s = outStart[v], e = outStart[v + 1];
  const around = new Int32Array(2 * (e - s));
  let k = 0;
  for (let i = s; i < e; i++) {
    const h = outList[i];
    const b = I[next(h)], c = I[prev(h)];
    if (b !== v) around[k++] = b;
    if (c !== v) around[k++] = c;
  }
  const sorted = around.subarray(0, k).sort();
  let m = 0;
  for (let i = 0; i < k; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i];
  return sorted.subarray(0, m);
}

/** How many neighbours vertices [v0, v1) have in all. */
function countNeighbours(job: DecimateJob, v0: number, v1: number): number {
  const { outStart, locked } = job;
  let entries = 0;
  for (let v = v0; v < v1; v++) entries += locked[v] ? lockedNeighbours(job, v).length : outStart[v + 1] - outStart[v];
  return entries;
}

/** The neighbour rows of vertices [v0, v1): offsets[v − v0] where v's row starts, each neighbour as the place of its x in P (3 × its number). */
function fillNeighbours(job: DecimateJob, v0: number, v1: number, offsets: Uint32Array, neighbours: Uint32Array): void {
  const { I, outStart, outList, locked } = job;
  let w = 0;
  for (let v = v0; v < v1; v++) {
    offsets[v - v0] = w;
    if (locked[v]) for (const u of lockedNeighbours(job, v)) neighbours[w++] = 3 * u;
    else for (let i = outStart[v]; i < outStart[v + 1]; i++) neighbours[w++] = 3 * I[next(outList[i])];
  }
  offsets[v1 - v0] = w;
}

/**
 * X[v] = P[newIndex[v]] (xyz) for vertices [v0, v1) of the input, and P rounded to those float32
 * values: the file stores float32, so vertices that round to one point must be found as such (a
 * triangle of no area in P: see buildQuadrics and mergeCoincident).
 */
function writeBack(X: Float32Array, P: Float64Array, newIndex: Int32Array, v0: number, v1: number): void {
  for (let v = v0; v < v1; v++) {
    const n = 3 * newIndex[v];
    X[3 * v] = P[n];
    X[3 * v + 1] = P[n + 1];
    X[3 * v + 2] = P[n + 2];
    P[n] = X[3 * v];
    P[n + 1] = X[3 * v + 1];
    P[n + 2] = X[3 * v + 2];
  }
}

/**
 * Stage 3, per vertex over its outgoing half-edges (one per triangle, in triangle order): quadrics of
 * the planes of the original triangles, unweighted, so the error is a sum of squared distances (mm²)
 * and its square root bounds the distance to any one of those planes; and the area-weighted normal
 * of the original surface each vertex stands for. Plus a weak pull toward each original vertex
 * (|p − v|², weight W): planes alone cost nothing for sliding a vertex along a thin fin or spike,
 * which would shorten it unnoticed.
 */
function buildQuadrics(job: DecimateJob, thread: number): void {
  const { P, Q, N, I, outStart, outList, cheapest } = job;
  const [v0, v1] = share(job, job.vOut.length, thread);
  loopsOf(job).quadricsOf(P, Q, N, I, outStart, outList, cheapest, v0, v1, W);
}

/** Stage 3's loop over vertices [v0, v1) (see buildQuadrics), with the point term's weight W. */
function quadricsOf(P: Float64Array, Q: Float64Array, N: Float64Array, I: Int32Array, outStart: Int32Array, outList: Int32Array, cheapest: Uint16Array, v0: number, v1: number, W: number): void {
  for (let v = v0; v < v1; v++) {
    // (summed in locals, stored once: the loads of P may not move past stores into Q or N)
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0, q8 = 0, q9 = 0;
    let n0 = 0, n1 = 0, n2 = 0;
    for (let k = outStart[v]; k < outStart[v + 1]; k++) {
      const t = (outList[k] / 3) | 0;
      const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
      const ax = P[a], ay = P[a + 1], az = P[a + 2];
      const ux = P[b] - ax, uy = P[b + 1] - ay, uz = P[b + 2] - az;
      const wx = P[c] - ax, wy = P[c + 1] - ay, wz = P[c + 2] - az;
      let nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
      const l = Math.sqrt(nx * nx + ny * ny + nz * nz);
      if (l === 0) {
        cheapest[v] = 1;
        continue;
      }
      nx /= l;
      ny /= l;
      nz /= l;
      const d = -(nx * ax + ny * ay + nz * az);
      q0 += nx * nx;
      q1 += nx * ny;
      q2 += nx * nz;
      q3 += ny * ny;
      q4 += ny * nz;
      q5 += nz * nz;
      q6 += nx * d;
      q7 += ny * d;
      q8 += nz * d;
      q9 += d * d;
      n0 += nx * l;
      n1 += ny * l;
      n2 += nz * l;
    }
    const x = P[3 * v], y = P[3 * v + 1], z = P[3 * v + 2];
    const q = 10 * v;
    Q[q] = q0 + W;
    Q[q + 1] = q1;
    Q[q + 2] = q2;
    Q[q + 3] = q3 + W;
    Q[q + 4] = q4;
    Q[q + 5] = q5 + W;
    Q[q + 6] = q6 - W * x;
    Q[q + 7] = q7 - W * y;
    Q[q + 8] = q8 - W * z;
    Q[q + 9] = q9 + W * (x * x + y * y + z * z);
    // (N held the smoothing's other buffer: written whole)
    N[3 * v] = n0;
    N[3 * v + 1] = n1;
    N[3 * v + 2] = n2;
  }
}

/**
 * The edge operations over a job's arrays: costs, checks, collapse. One per thread (own scratch). The
 * kernels' collapser (wasm/collapse.c) does the same to the same bits; this one runs where the job's
 * arrays are not in one WebAssembly memory.
 */
function collapser(job: DecimateJob, mark: Int32Array): Collapser {
  const { P, Q, N, I, opp, vOut, locked, deadTri, moved, bucket, cheapest, hist, binOf, refused, touched, recheck } = job;
  const nv = vOut.length;
  let markId = 0;
  /**
   * the partition's vertices: [v0, v1). (Tested as w < v0 || w >= v1: the shorter (w − v0) >>> 0 ≥
   * span makes an unsigned number that V8's compiled code, having seen only small ones, leaves at the
   * first edge below v0 with a "lost precision" deoptimisation.)
   */
  let v0 = 0, v1 = nv;

  // Best position for an edge's merged quadric: minimise it, pulled gently toward the edge midpoint
  // so flat and cylindrical regions (singular quadrics) keep the vertex on the edge. With a plane
  // constraint g·p = h (the volume constraint below) the minimum moves along M⁻¹g to meet it.
  // Leaves the position in best[0..2] and the quadric's error there (≥ 0) in best[3]; with
  // `constrained`, meets the plane in vol[] (see volumePlane). Floats pass through these arrays, never
  // as arguments or results: a float passed to or returned from a call that is not inlined is a new
  // heap number each time (millions a decimation, 56 MB of garbage on the head CT).
  const best = new Float64Array(4);
  const vol = new Float64Array(4);
  const place = (a: number, b: number, constrained: boolean): void => {
    const qa = 10 * a, qb = 10 * b;
    const a11 = Q[qa] + Q[qb], a12 = Q[qa + 1] + Q[qb + 1], a13 = Q[qa + 2] + Q[qb + 2];
    const a22 = Q[qa + 3] + Q[qb + 3], a23 = Q[qa + 4] + Q[qb + 4], a33 = Q[qa + 5] + Q[qb + 5];
    const b1 = Q[qa + 6] + Q[qb + 6], b2 = Q[qa + 7] + Q[qb + 7], b3 = Q[qa + 8] + Q[qb + 8];
    const cc = Q[qa + 9] + Q[qb + 9];
    const mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
    const eps = 1e-3 * (a11 + a22 + a33) + 1e-12;
    const m11 = a11 + eps, m22 = a22 + eps, m33 = a33 + eps;
    const r1 = -b1 + eps * mx, r2 = -b2 + eps * my, r3 = -b3 + eps * mz;
    // symmetric inverse by cofactors
    const c11 = m22 * m33 - a23 * a23, c12 = a13 * a23 - a12 * m33, c13 = a12 * a23 - a13 * m22;
    const c22 = m11 * m33 - a13 * a13, c23 = a12 * a13 - m11 * a23, c33 = m11 * m22 - a12 * a12;
    const inv = 1 / (m11 * c11 + a12 * c12 + a13 * c13);
    let x = (c11 * r1 + c12 * r2 + c13 * r3) * inv;
    let y = (c12 * r1 + c22 * r2 + c23 * r3) * inv;
    let z = (c13 * r1 + c23 * r2 + c33 * r3) * inv;
    const gx = constrained ? vol[0] : 0, gy = constrained ? vol[1] : 0, gz = constrained ? vol[2] : 0;
    const gg = gx * gx + gy * gy + gz * gz;
    if (gg > 0) {
      const wx = (c11 * gx + c12 * gy + c13 * gz) * inv;
      const wy = (c12 * gx + c22 * gy + c23 * gz) * inv;
      const wz = (c13 * gx + c23 * gy + c33 * gz) * inv;
      const gw = gx * wx + gy * wy + gz * wz;
      if (gw > 1e-12 * gg) {
        const lambda = (vol[3] - (gx * x + gy * y + gz * z)) / gw;
        x += lambda * wx;
        y += lambda * wy;
        z += lambda * wz;
      }
    }
    best[0] = x;
    best[1] = y;
    best[2] = z;
    const e = a11 * x * x + 2 * a12 * x * y + 2 * a13 * x * z + a22 * y * y + 2 * a23 * y * z + a33 * z * z + 2 * (b1 * x + b2 * y + b3 * z) + cc;
    best[3] = e > 0 ? e : 0;
  };

  // Volume constraint (Lindstrom & Turk 1998): the merged vertex p must leave the volume enclosed by
  // the triangles around a and b unchanged. Relative to the edge midpoint m, the new fan encloses
  // (p − m)·G / 6 with G = Σ (x − m) × (y − m) over its triangles (p, x, y), so the constraint is the
  // plane G·p = 6·V_old + G·m. Fills vol[] with G and h.
  const volumePlane = (a: number, b: number, t0: number, t1: number) => {
    const mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
    let gx = 0, gy = 0, gz = 0, old6 = 0;
    for (let k = 0; k < 2; k++) {
      const v = k === 0 ? a : b;
      const px = P[3 * v] - mx, py = P[3 * v + 1] - my, pz = P[3 * v + 2] - mz;
      const e0 = vOut[v];
      let e = e0;
      do {
        const t = (e / 3) | 0;
        const x = 3 * I[next(e)], y = 3 * I[prev(e)];
        const xx = P[x] - mx, xy = P[x + 1] - my, xz = P[x + 2] - mz;
        const yx = P[y] - mx, yy = P[y + 1] - my, yz = P[y + 2] - mz;
        const cx = xy * yz - xz * yy, cy = xz * yx - xx * yz, cz = xx * yy - xy * yx;
        if (t !== t0 && t !== t1) {
          gx += cx;
          gy += cy;
          gz += cz;
          old6 += px * cx + py * cy + pz * cz;
        } else if (v === a) old6 += px * cx + py * cy + pz * cz;
        e = opp[prev(e)];
      } while (e !== e0);
    }
    vol[0] = gx;
    vol[1] = gy;
    vol[2] = gz;
    vol[3] = old6 + gx * mx + gy * my + gz * mz;
  };

  /** Where a collapse moves the vertex it keeps (for flips and collapse: see place on floats). */
  const to = new Float64Array(3);
  /** Would moving vertex v (one corner of each of its triangles) to `to` flip or flatten a triangle? */
  const flips = (v: number, t0: number, t1: number): boolean => {
    const px = to[0], py = to[1], pz = to[2];
    const e0 = vOut[v];
    let e = e0;
    do {
      const t = (e / 3) | 0;
      if (t !== t0 && t !== t1) {
        const b = 3 * I[next(e)], c = 3 * I[prev(e)], a = 3 * v;
        const bx = P[b], by = P[b + 1], bz = P[b + 2];
        const ux = P[c] - bx, uy = P[c + 1] - by, uz = P[c + 2] - bz;
        // old and new normals of (a, b, c): (b − a) × (c − a) = (c − b) × (a − b)
        const oax = P[a] - bx, oay = P[a + 1] - by, oaz = P[a + 2] - bz;
        const nax = px - bx, nay = py - by, naz = pz - bz;
        const ox = uy * oaz - uz * oay, oy = uz * oax - ux * oaz, oz = ux * oay - uy * oax;
        const nx = uy * naz - uz * nay, ny = uz * nax - ux * naz, nz = ux * nay - uy * nax;
        const dot = ox * nx + oy * ny + oz * nz;
        const nn = nx * nx + ny * ny + nz * nz;
        const oo = ox * ox + oy * oy + oz * oz;
        // reject flips, and turns of more than ~78° that fold thin features
        // (squared: dot ≤ 0.2·√(nn·oo), without the square root)
        if (dot <= 0 || dot * dot <= 0.04 * nn * oo || nn <= 1e-12 * (ux * ux + uy * uy + uz * uz) ** 2) return true;
        // Small turns add up over many collapses: the triangle must also still face the way the
        // original surface under its three vertices faced (within ~72°).
        const vb = I[next(e)], vc = I[prev(e)];
        const rx = N[3 * v] + N[3 * vb] + N[3 * vc], ry = N[3 * v + 1] + N[3 * vb + 1] + N[3 * vc + 1], rz = N[3 * v + 2] + N[3 * vb + 2] + N[3 * vc + 2];
        const facing = nx * rx + ny * ry + nz * rz;
        if (facing <= 0 || facing * facing <= 0.09 * nn * (rx * rx + ry * ry + rz * rz)) return true;
        // The file stores float32: the triangle must keep a non-zero area once rounded, or slicers
        // see two vertices merge (a degenerate facet).
        const f = Math.fround;
        const fbx = f(bx), fby = f(by), fbz = f(bz);
        const gx = f(P[c]) - fbx, gy = f(P[c + 1]) - fby, gz = f(P[c + 2]) - fbz;
        const hx = f(px) - fbx, hy = f(py) - fby, hz = f(pz) - fbz;
        // (one test, whose every operation runs each time: a chain of && ran its later tests only on a
        // rare first zero, compiled without feedback for them, so that zero threw the compiled code away)
        const kx = gy * hz - gz * hy, ky = gz * hx - gx * hz, kz = gx * hy - gy * hx;
        if (kx * kx + ky * ky + kz * kz === 0) return true;
      }
      e = opp[prev(e)];
    } while (e !== e0);
    return false;
  };
  /** more than three edges meet at v (its fan walked no further than the third step) */
  const moreThanThree = (v: number): boolean => {
    const e0 = vOut[v];
    let e = e0;
    for (let n = 0; n < 3; n++) {
      e = opp[prev(e)];
      if (e === e0) return false;
    }
    return true;
  };

  /**
   * The link condition (the rings of a and b meet only in c and d), enough neighbours for c and d, and
   * both rings inside the partition's vertices [v0, v1) (so no other thread touches them):
   * ALLOWED, REFUSED (by the mesh around the edge) or OUTSIDE (a ring leaves the partition).
   */
  const topology = (h: number): number => {
    const g = opp[h];
    const a = I[h], b = I[next(h)], c = I[prev(h)], d = I[prev(g)];
    // (c or d on an open or pinched part: their fans can't be walked, so leave them be)
    if (c === d || locked[c] || locked[d]) return REFUSED;
    markId++;
    let e = vOut[a];
    const ea = e;
    do {
      const w = I[next(e)];
      if (w < v0 || w >= v1) return OUTSIDE;
      mark[w] = markId;
      e = opp[prev(e)];
    } while (e !== ea);
    e = vOut[b];
    const eb = e;
    do {
      const w = I[next(e)];
      if (w < v0 || w >= v1) return OUTSIDE;
      // (a first: every compare here runs for c and d, so V8 has seen them all before a ring first fails)
      if (mark[w] === markId && w !== a && w !== c && w !== d) return REFUSED;
      e = opp[prev(e)];
    } while (e !== eb);
    return moreThanThree(c) && moreThanThree(d) ? ALLOWED : REFUSED;
  };

  /**
   * Was v or a neighbour touched in pass p or since? A collapse touches the vertex it keeps and that
   * vertex's ring: every vertex whose position, quadric, normal or fan it changed is one of them or has
   * one as a neighbour, and so does every vertex whose fan it changed. So within two steps of v (all
   * that v's edges are judged by) nothing changed if this says no.
   */
  const changedSince = (v: number, p: number): boolean => {
    if (touched[v] >= p) return true;
    const e0 = vOut[v];
    let e = e0;
    do {
      if (touched[I[next(e)]] >= p) return true;
      e = opp[prev(e)];
    } while (e !== e0);
    return false;
  };

  /** Collapses edge h: its end b merges into its start a, which moves to `to`; two triangles go. */
  const collapse = (h: number) => {
    const g = opp[h];
    const a = I[h], b = I[next(h)], c = I[prev(h)], d = I[prev(g)];
    const eb = vOut[b];
    let e = eb;
    do {
      I[e] = a;
      e = opp[prev(e)];
    } while (e !== eb);
    const h1 = next(h), h2 = prev(h), g1 = next(g), g2 = prev(g);
    const o1 = opp[h1], o2 = opp[h2], p1 = opp[g1], p2 = opp[g2];
    opp[o1] = o2;
    opp[o2] = o1;
    opp[p1] = p2;
    opp[p2] = p1;
    deadTri[(h / 3) | 0] = deadTri[(g / 3) | 0] = 1;
    vOut[a] = o2;
    vOut[c] = o1;
    vOut[d] = p1;
    vOut[b] = -1;
    P[3 * a] = to[0];
    P[3 * a + 1] = to[1];
    P[3 * a + 2] = to[2];
    for (let k = 0; k < 10; k++) Q[10 * a + k] += Q[10 * b + k];
    for (let k = 0; k < 3; k++) N[3 * a + k] += N[3 * b + k];
  };


  // The histograms and cheapest buckets follow every collapse of the passes: the edges around a and b
  // leave them before it, the edges around the merged vertex come back after it with their new costs
  // (no other edge's cost changes: a cost depends on its two ends only).
  /** Takes the edges of v (live and free to move) out of their bins' histograms, but for its edge to `skip`. */
  const unlist = (v: number, skip: number) => {
    const e0 = vOut[v];
    let e = e0;
    do {
      const w = I[next(e)];
      if (w !== skip && !locked[w]) {
        const g = opp[e];
        const o = e < g ? e : g;
        hist[H * binOf[I[o]] + bucket[o]]--;
      }
      e = opp[prev(e)];
    } while (e !== e0);
  };
  /**
   * Costs the edges of a (just kept by a collapse in pass `pass`) afresh and counts them in; a's
   * cheapest bucket, and a lower one for a neighbour that gained a cheaper edge. Marks a and its ring
   * touched in that pass (see changedSince).
   */
  const relist = (a: number, pass: number) => {
    const stamp = pass < 0xffff ? pass : 0xffff;
    touched[a] = stamp;
    const e0 = vOut[a];
    let e = e0, low = 0xffff;
    do {
      const w = I[next(e)];
      touched[w] = stamp;
      if (!locked[w]) {
        const g = opp[e];
        const o = e < g ? e : g;
        place(a, w, false); // (place is symmetric in its two ends)
        const k = (bucket[o] = bucketOf(Math.fround(best[3])));
        hist[H * binOf[I[o]] + k]++;
        if (o === e) {
          if (k < low) low = k;
        } else if (k < cheapest[w]) cheapest[w] = k;
      }
      e = opp[prev(e)];
    } while (e !== e0);
    cheapest[a] = low;
  };

  // Vertices that share one float32 position (smoothing can pull a tiny blob onto a point): merging
  // them changes no shape, and removes the zero-area triangles a slicer would reject.
  const f32 = Math.fround;
  const coincide = (a: number, b: number) =>
    f32(P[3 * a]) === f32(P[3 * b]) && f32(P[3 * a + 1]) === f32(P[3 * b + 1]) && f32(P[3 * a + 2]) === f32(P[3 * b + 2]);

  /** Merges vertex a with the first neighbour it coincides with, if the link condition allows; true if it did. (Per vertex: see collapseAround.) */
  const mergeAround = (a: number): boolean => {
    // (a's fan, walked as it is: nothing changes it before the one collapse, after which this returns)
    const e0 = vOut[a];
    let after = e0;
    do {
      const h = after;
      after = opp[prev(h)];
      if (opp[h] < h || deadTri[(h / 3) | 0]) continue;
      const b = I[next(h)];
      if (b < v0 || b >= v1 || locked[b] || !coincide(a, b) || topology(h) !== ALLOWED) continue;
      to[0] = P[3 * a];
      to[1] = P[3 * a + 1];
      to[2] = P[3 * a + 2];
      collapse(h);
      return true; // (a's fan changed)
    } while (after !== e0);
    return false;
  };

  // What collapseEdges is working with, and what it found (COLLAPSED, WORST, SKIPPED).
  let passNow = 0, limitNow = 0, maxCostNow = Infinity;
  /** the mark a vertex whose every edge was refused for lasting reasons gets in this pass (0: look again next pass) */
  let refuseNow = 0;
  const found = new Float64Array(3);

  /**
   * Vertex a's edges in the pass (see collapseEdges), in fan order: collapses the first that every
   * check allows and returns true; else marks a refused, or not, and returns false. A function of its
   * own, called per vertex: as the body of collapseEdges' loop it was compiled for that loop while it
   * ran (on-stack replacement), and in the browser compiled again and again (11 compiles of 60–150 ms
   * in one build of the head CT) as paths that had not run yet came up.
   */
  const collapseAround = (a: number): boolean => {
    const pass = passNow, limit = limitNow;
    // (a's fan, walked as it is: the checks change nothing, and the one collapse returns at once)
    const e0 = vOut[a];
    let low = 0xffff, lasting = true, after = e0;
    do {
      const h = after;
      after = opp[prev(h)];
      const g = opp[h];
      if (g < h) continue;
      const b = I[next(h)];
      if (locked[b]) continue;
      const kh = bucket[h];
      if (kh < low) low = kh;
      if (kh > limit || b < v0 || b >= v1 || moved[b] === pass) {
        lasting = false;
        continue;
      }
      const t0 = (h / 3) | 0, t1 = (g / 3) | 0;
      const allowed = topology(h);
      // (both tests on every edge: a test V8 had not seen run before it compiled this threw the code away)
      if (allowed === OUTSIDE) lasting = false;
      if (allowed !== ALLOWED) continue;
      volumePlane(a, b, t0, t1);
      place(a, b, true);
      const cc = best[3];
      if (cc > maxCostNow || bucketOf(cc) > limit) {
        lasting = false;
        continue;
      }
      const px = (to[0] = best[0]), py = (to[1] = best[1]), pz = (to[2] = best[2]);
      // never farther from the edge's midpoint than the edge is long (a nearly singular volume
      // constraint can ask for that, and it would tear the surface out of shape)
      const ex = P[3 * a] - P[3 * b], ey = P[3 * a + 1] - P[3 * b + 1], ez = P[3 * a + 2] - P[3 * b + 2];
      const mx = px - (P[3 * a] + P[3 * b]) / 2, my = py - (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = pz - (P[3 * a + 2] + P[3 * b + 2]) / 2;
      if (mx * mx + my * my + mz * mz > ex * ex + ey * ey + ez * ez) continue;
      if (flips(a, t0, t1) || flips(b, t0, t1)) continue;
      unlist(a, -1);
      unlist(b, a);
      collapse(h);
      relist(a, pass);
      moved[a] = pass;
      if (cc > found[WORST]) found[WORST] = cc;
      return true; // (a moved: its other edges wait for the next pass)
    } while (after !== e0);
    cheapest[a] = low; // (exact again: a collapse nearby may have left it too low)
    refused[a] = lasting ? refuseNow : 0;
    return false;
  };

  // Every pass visits the partition's live, unlocked vertices in order and, around each, the edges
  // whose lower half-edge starts there (so each edge is seen once, by the partition of that vertex).
  return {
    /**
     * Merges coincident edges of vertices [from, to), until none is left; returns the collapses made.
     * Only marked vertices are looked at: the ends of a coincident edge have triangles of no area, and
     * a merge moves nothing, so a vertex it brings next to one it coincides with was marked too.
     */
    mergeCoincident(from: number, to: number): number {
      v0 = from;
      v1 = to;
      let merged = 0;
      for (let found = 1; found > 0; merged += found) {
        found = 0;
        for (let a = from; a < to; a++) if (cheapest[a] === 1 && vOut[a] >= 0 && !locked[a] && mergeAround(a)) found++;
      }
      return merged;
    },
    /**
     * Costs the edges of vertices [from, to) (a partition of whole bins) and counts them into their
     * bins' histograms; each vertex's cheapest bucket.
     */
    costEdges(from: number, to: number): void {
      for (let a = from; a < to; a++) {
        const e0 = vOut[a];
        if (e0 < 0 || locked[a]) {
          cheapest[a] = 0xffff;
          continue;
        }
        let h = e0, low = 0xffff;
        do {
          if (opp[h] > h) {
            const b = I[next(h)];
            if (!locked[b]) {
              place(a, b, false);
              const k = (bucket[h] = bucketOf(Math.fround(best[3])));
              hist[H * binOf[a] + k]++;
              if (k < low) low = k;
            }
          }
          h = opp[prev(h)];
        } while (h !== e0);
        cheapest[a] = low;
      }
    },
    /**
     * Collapses up to `budget` edges of vertices [from, to) whose cost is in buckets up to `limit` and
     * whose endpoints did not move yet in this pass (their cost is current), each vertex's edges by
     * collapseAround. Returns `found`: the collapses made, the largest error and the vertices passed
     * over (read it before the next call).
     *
     * A vertex whose every edge was refused by the mesh around it (the link condition, a flip, too far
     * a move; not by the cost limit, the partition or this pass's moves) is marked refused[] with the
     * pass, and not looked at again until a collapse touches it or a neighbour (see changedSince): the
     * same checks would refuse the same edges. So the meshes are those of looking every time, and a
     * mesh that cannot reach its target (a noisy MR's speckle and rough surface) is not walked over
     * and over. (Another partition's collapses touch only its own vertices, and any edge of v whose
     * rings reach them is refused as outside the partition: the same outcome.)
     */
    collapseEdges(from: number, to: number, pass: number, limit: number, budget: number, maxCost: number): Float64Array {
      v0 = from;
      v1 = to;
      passNow = pass;
      limitNow = limit;
      maxCostNow = maxCost;
      refuseNow = !recheck && pass < 0xffff ? pass : 0; // (the marks are 16 bits: past that, every pass looks)
      found.fill(0);
      let collapsed = 0, skipped = 0;
      for (let a = from; a < to && collapsed < budget; a++) {
        // (most vertices have no edge cheap enough: their fans are not walked)
        if (cheapest[a] > limit || vOut[a] < 0 || locked[a] || moved[a] === pass) continue;
        if (refused[a] > 0 && !changedSince(a, refused[a])) {
          skipped++;
          continue;
        }
        if (collapseAround(a)) collapsed++;
      }
      found[COLLAPSED] = collapsed;
      found[SKIPPED] = skipped;
      return found;
    },
  };
}

/** A partition of a pass: bins [b0, b1), vertices [v0, v1). */
interface Part {
  b0: number;
  b1: number;
  v0: number;
  v1: number;
}

/**
 * The partitions of a pass: runs of `width` bins (even), shifted by half a run on odd passes so that
 * the vertices one pass had to lock at its borders lie inside a partition in the next.
 */
function partsOf(job: DecimateJob, pass: number, width: number): Part[] {
  const bins = job.binVertex.length - 1;
  const shift = width >= bins ? 0 : pass % 2 === 1 ? width / 2 : 0;
  const parts: Part[] = [];
  for (let b = -shift; b < bins; b += width) {
    const b0 = Math.max(0, b), b1 = Math.min(bins, b + width);
    parts.push({ b0, b1, v0: job.binVertex[b0], v1: job.binVertex[b1] });
  }
  return parts;
}

/**
 * Stage 4. Collapses run in passes over the edges in memory order (cache-friendly, unlike a global
 * priority queue, which was 3× slower here). The edges are costed once into histograms per bin, which
 * every collapse keeps current (see unlist, relist); each pass sums them, picks the cost below which
 * it may collapse about an eighth of the edges, and each partition collapses those of its edges whose
 * endpoints did not move yet in this pass. Cheap edges go first, as with a queue, to within a pass.
 * Near the target each partition gets a share of the collapses left, in proportion to its
 * candidates, so the total lands on the target.
 *
 * Partitions widen (two bins, then four…, then the whole mesh) as the mesh shrinks, so each keeps at
 * least job.partitionEdges edges: a partition must stay wide against its edges, whose rings reach
 * over its borders. Every thread takes the same decisions from the same shared figures and a
 * partition's work never depends on which thread does it, so the result depends on the partition
 * count only.
 */
function collapsePasses(job: DecimateJob, thread: number, sync: () => void): [number, number, PartitionStep[]] {
  const { hist, stats, target, maxCost, threads } = job;
  const nt = job.deadTri.length;
  const bins = job.binVertex.length - 1;
  // (this thread's marks, and the kernel collapser's state)
  const nv = job.vOut.length;
  const mark = job.marks.subarray(thread * nv, (thread + 1) * nv);
  const ops = job.memory ? kernelsFor(job.memory).collapser(job, job.collapsers.subarray(COLLAPSER_BYTES * thread), mark) : collapser(job, mark);
  const maxBucket = maxCost === Infinity ? BUCKETS : bucketOf(maxCost);
  // (nothing refused or touched yet: the barriers below publish the zeros before the first pass reads them)
  const [z0, z1] = share(job, job.outStart.length, thread);
  job.outStart.fill(0, z0, z1);
  // A thread draws the next partition of a step from a shared counter until none is left (so a thread
  // whose partitions went fast takes more); each thread draws exactly one ticket past the end, so
  // every thread knows where the next step's tickets start.
  let base = 0;
  function* mine(parts: Part[]): Generator<readonly [Part, number]> {
    for (;;) {
      const i = Atomics.add(job.tickets, 0, 1) - base;
      if (i >= parts.length) break;
      yield [parts[i], i];
    }
    base += parts.length + threads;
  }
  let worst = 0, skipped = 0;
  let alive = nt;
  // each partition's time into stats (MS), and each step's figures (read after its barrier)
  const steps: PartitionStep[] = [];
  const timedPart = (i: number, t0: number) => (stats[STATS * i + MS] = performance.now() - t0);
  const step = (partitions: number) => {
    let workMs = 0, longestMs = 0;
    for (let i = 0; i < partitions; i++) {
      workMs += stats[STATS * i + MS];
      longestMs = Math.max(longestMs, stats[STATS * i + MS]);
    }
    steps.push({ partitions, workMs, longestMs });
  };
  /** the narrowest run of bins that holds job.partitionEdges edges (about 1.5 per triangle) */
  const widthFor = (triangles: number) => {
    let w = 2;
    while (w < bins && (1.5 * triangles * w) / bins < job.partitionEdges) w *= 2;
    return w;
  };
  let width = widthFor(alive);

  // coincident vertices first, on both shifts of the partitions, until none is left
  for (let round = 0, quiet = 0; quiet < (width >= bins ? 1 : 2); round++) {
    const parts = partsOf(job, round, width);
    for (const [p, i] of mine(parts)) {
      const t0 = performance.now();
      stats[STATS * i + COLLAPSED] = ops.mergeCoincident(p.v0, p.v1);
      timedPart(i, t0);
    }
    sync();
    step(parts.length);
    let merged = 0;
    for (let i = 0; i < parts.length; i++) merged += stats[STATS * i + COLLAPSED];
    alive -= 2 * merged;
    quiet = merged === 0 ? quiet + 1 : 0;
    sync();
  }

  // every edge costed once, a partition of two bins at a time
  const costParts = partsOf(job, 0, 2);
  for (const [p, i] of mine(costParts)) {
    const t0 = performance.now();
    ops.costEdges(p.v0, p.v1);
    timedPart(i, t0);
  }
  sync();
  step(costParts.length);

  let boost = 1;
  const total = new Float64Array(H);
  for (let pass = 1; alive > target; pass++) {
    width = Math.max(width, widthFor(alive));
    const parts = partsOf(job, pass, width);
    sumHistograms(hist, bins, total);
    const live = sumOf(total);
    const want = Math.max(1, Math.min(Math.ceil((alive - target) / 2) * boost, Math.ceil(live / 8) * boost, live));
    const limit = Math.min(maxBucket, bucketHolding(total, want));
    const budgets = shares(hist, parts, limit, Math.ceil((alive - target) / 2));
    sync(); // (every thread has read the histograms the collapses now change)
    for (const [p, i] of mine(parts)) {
      const t0 = performance.now();
      const found = ops.collapseEdges(p.v0, p.v1, pass, limit, budgets[i], maxCost);
      stats[STATS * i + COLLAPSED] = found[COLLAPSED];
      stats[STATS * i + WORST] = found[WORST];
      stats[STATS * i + SKIPPED] = found[SKIPPED];
      timedPart(i, t0);
    }
    sync();
    step(parts.length);
    let collapsed = 0;
    for (let i = 0; i < parts.length; i++) {
      collapsed += stats[STATS * i + COLLAPSED];
      worst = Math.max(worst, stats[STATS * i + WORST]);
      skipped += stats[STATS * i + SKIPPED];
    }
    alive -= 2 * collapsed;
    if (thread === 0) Atomics.store(job.progress, 0, alive);
    // When most cheap edges were refused (link condition, flips), widen the next pass; when every
    // edge was a candidate and none could go, try wider partitions, and stop at the whole mesh.
    if (collapsed === 0 && (want >= live || limit >= maxBucket)) {
      if (width >= bins) break;
      width *= 2;
      boost = 1;
      continue;
    }
    boost = collapsed < want / 4 ? boost * 2 : 1;
  }
  return [worst, skipped, steps];
}

/**
 * total[k] = the edges in bucket k over every bin. A function of its own: inside collapsePasses, which
 * V8 deoptimises now and then, this loop of bins × 16,385 additions ran unoptimised (13–25 ms instead
 * of 1–2) on some passes. And a bin per call (addBin): as a nested loop it ran in the page from code
 * compiled for the inner loop, left at every bin.
 */
function sumHistograms(hist: Int32Array, bins: number, total: Float64Array): void {
  total.fill(0);
  for (let b = 0; b < bins; b++) addBin(hist, b, total);
}

function addBin(hist: Int32Array, b: number, total: Float64Array): void {
  for (let k = 0, at = H * b; k < H; k++) total[k] += hist[at + k];
}

/** The edges in a histogram. (Loops of collapsePasses, a function each: see stage 1's.) */
function sumOf(total: Float64Array): number {
  let live = 0;
  for (let k = 0; k < H; k++) live += total[k];
  return live;
}

/** The lowest bucket up to which a histogram holds `want` edges (BUCKETS if it never does). */
function bucketHolding(total: Float64Array, want: number): number {
  let limit = 0;
  for (let acc = total[0]; acc < want && limit < BUCKETS; acc += total[++limit]);
  return limit;
}

/**
 * How many collapses each of `parts` may make: all its candidates (edges in buckets up to `limit` in
 * its bins) while they total no more than `left`; else `left` shared in proportion to them (the
 * rounding remainder to the first partitions with candidates to spare).
 */
function shares(hist: Int32Array, parts: Part[], limit: number, left: number): number[] {
  const cand = parts.map((p) => {
    let c = 0;
    for (let b = p.b0; b < p.b1; b++) for (let k = 0; k <= limit; k++) c += hist[H * b + k];
    return c;
  });
  const sum = cand.reduce((s, c) => s + c, 0);
  if (sum <= left) return cand;
  const out = cand.map((c) => Math.floor((left * c) / sum));
  let rest = left - out.reduce((s, c) => s + c, 0);
  for (let i = 0; rest > 0 && i < parts.length; i++)
    if (out[i] < cand[i]) {
      out[i]++;
      rest--;
    }
  return out;
}

/** Stage 5: live vertices in their (renumbered) order, live triangles in theirs, as float32. */
function compact(job: DecimateJob, worst: number, skipped: number, stages: DecimateResult['stages'], steps: PartitionStep[]): DecimateResult {
  const { P, I, deadTri } = job;
  const nv = job.vOut.length, nt = deadTri.length;
  const remap = new Int32Array(nv).fill(-1);
  let alive = 0;
  for (let t = 0; t < nt; t++) {
    if (deadTri[t]) continue;
    alive++;
    for (let k = 0; k < 3; k++) remap[I[3 * t + k]] = 0;
  }
  let count = 0;
  for (let v = 0; v < nv; v++) if (remap[v] === 0) remap[v] = count++;
  const positions = new Float32Array(3 * count);
  for (let v = 0; v < nv; v++)
    if (remap[v] >= 0) {
      positions[3 * remap[v]] = P[3 * v];
      positions[3 * remap[v] + 1] = P[3 * v + 1];
      positions[3 * remap[v] + 2] = P[3 * v + 2];
    }
  const indices = new Uint32Array(3 * alive);
  let o = 0;
  for (let t = 0; t < nt; t++) {
    if (deadTri[t]) continue;
    indices[o++] = remap[I[3 * t]];
    indices[o++] = remap[I[3 * t + 1]];
    indices[o++] = remap[I[3 * t + 2]];
  }
  return { mesh: { positions, indices }, trianglesIn: nt, trianglesOut: alive, estimatedDeviationMm: Math.sqrt(worst), stages, skipped, steps };
}
