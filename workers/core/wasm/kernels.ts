// WebAssembly kernels: hot loops compiled from C (this folder's .c files, built by build.mjs into
// kernels.wasm.ts), for where V8's code over typed arrays is bound by its own instructions (a bounds
// check per element, heap numbers). They work on arrays in one WebAssembly memory (the build's
// reserve: see reserve.ts), shared by every thread of a job: each thread instantiates the module once
// per memory, over that same memory, and passes the arrays as byte addresses in it.

import { kernelsWasm } from './kernels.wasm';

/** The edge operations of the decimation's collapse passes (decimate.ts collapser; collapse.c). */
export interface Collapser {
  /** merges coincident edges of vertices [from, to) until none is left; the collapses made */
  mergeCoincident(from: number, to: number): number;
  /** costs the edges of vertices [from, to) into the histograms; each vertex's cheapest bucket */
  costEdges(from: number, to: number): void;
  /** one partition's share of a pass; COLLAPSED, WORST, SKIPPED (read before the next call) */
  collapseEdges(from: number, to: number, pass: number, limit: number, budget: number, maxCost: number): Float64Array;
}

/** The arrays of a decimation job the collapser works on (decimate.ts DecimateJob). */
export interface CollapseArrays {
  P: Float64Array;
  Q: Float64Array;
  N: Float64Array;
  I: Int32Array;
  opp: Int32Array;
  vOut: Int32Array;
  locked: Uint8Array;
  deadTri: Uint8Array;
  moved: Int32Array;
  bucket: Uint16Array;
  cheapest: Uint16Array;
  hist: Int32Array;
  binOf: Uint8Array;
  refused: Uint16Array;
  touched: Uint16Array;
  recheck: boolean;
}

/** Bytes a thread's collapser state takes in the memory (collapse.c Collapser, rounded up). */
export const COLLAPSER_BYTES = 256;

/** The decimation's stage 2 and 3 loops (decimate.ts; halfEdges.c), the same values from the same arrays. */
export interface HalfEdgeLoops {
  countStarts(I: Int32Array, h0: number, h1: number, counts: Int32Array): void;
  listStarts(counts: Int32Array, groups: number, outStart: Int32Array): void;
  fillLists(I: Int32Array, h0: number, h1: number, at: Int32Array, outList: Int32Array): void;
  pairOpposites(I: Int32Array, outStart: Int32Array, outList: Int32Array, opp: Int32Array, locked: Uint8Array, v0: number, v1: number, tally: Int32Array): void;
  closeFans(outStart: Int32Array, outList: Int32Array, opp: Int32Array, vOut: Int32Array, locked: Uint8Array, v0: number, v1: number): void;
  quadricsOf(P: Float64Array, Q: Float64Array, N: Float64Array, I: Int32Array, outStart: Int32Array, outList: Int32Array, cheapest: Uint16Array, v0: number, v1: number, W: number): void;
}

/** Every kernel; each array passed must lie in the memory the kernels were made for. */
export interface Kernels extends HalfEdgeLoops {
  /** smooth.ts umbrellaStep, the same bits */
  umbrella(src: Float64Array, dst: Float64Array, offsets: Uint32Array, neighbours: Uint32Array, v0: number, v1: number, f: number): void;
  /** a thread's collapser over `job`'s arrays, its state in `state` (COLLAPSER_BYTES) and its marks in `mark` (one per vertex), all in the memory */
  collapser(job: CollapseArrays, state: Uint8Array, mark: Int32Array): Collapser;
}

interface Exports {
  count_starts(I: number, h0: number, h1: number, counts: number): void;
  list_starts(counts: number, groups: number, outStart: number, nv: number): void;
  fill_lists(I: number, h0: number, h1: number, at: number, outList: number): void;
  pair_opposites(I: number, outStart: number, outList: number, opp: number, locked: number, v0: number, v1: number, tally: number): void;
  close_fans(outStart: number, outList: number, opp: number, vOut: number, locked: number, v0: number, v1: number): void;
  quadrics_of(P: number, Q: number, N: number, I: number, outStart: number, outList: number, cheapest: number, v0: number, v1: number, W: number): void;
  umbrella(src: number, dst: number, offsets: number, neighbours: number, v0: number, v1: number, f: number): void;
  collapser_bytes(): number;
  collapser_found(): number;
  collapser_init(c: number, ...arrays: number[]): void;
  merge_coincident(c: number, from: number, to: number): number;
  cost_edges(c: number, from: number, to: number): void;
  collapse_edges(c: number, from: number, to: number, pass: number, limit: number, budget: number, maxCost: number): void;
}

let compiled: WebAssembly.Module | null = null;
const made = new WeakMap<WebAssembly.Memory, Kernels>();

/** The kernels over `memory` (a shared WebAssembly memory of wasmMemory's), made once per memory on this thread. */
export function kernelsFor(memory: WebAssembly.Memory): Kernels {
  let k = made.get(memory);
  if (k) return k;
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(kernelsWasm), (c) => c.charCodeAt(0)));
  const x = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Exports;
  if (x.collapser_bytes() > COLLAPSER_BYTES) throw new Error(`kernels: a collapser takes ${x.collapser_bytes()} bytes`);
  /** an array's address, once it is known to lie inside the memory (arrays of another memory of that size are not told apart) */
  const at = (a: ArrayBufferView) => {
    if (a.byteOffset + a.byteLength > memory.buffer.byteLength) throw new Error('kernels: an array outside their WebAssembly memory');
    return a.byteOffset;
  };
  // (the loops index their arrays as the JavaScript ones do: a caller's ranges are theirs to keep inside)
  k = {
    countStarts: (I, h0, h1, counts) => x.count_starts(at(I), h0, h1, at(counts)),
    listStarts: (counts, groups, outStart) => x.list_starts(at(counts), groups, at(outStart), outStart.length - 1),
    fillLists: (I, h0, h1, starts, outList) => x.fill_lists(at(I), h0, h1, at(starts), at(outList)),
    pairOpposites: (I, outStart, outList, opp, locked, v0, v1, tally) => x.pair_opposites(at(I), at(outStart), at(outList), at(opp), at(locked), v0, v1, at(tally)),
    closeFans: (outStart, outList, opp, vOut, locked, v0, v1) => x.close_fans(at(outStart), at(outList), at(opp), at(vOut), at(locked), v0, v1),
    quadricsOf: (P, Q, N, I, outStart, outList, cheapest, v0, v1, W) => x.quadrics_of(at(P), at(Q), at(N), at(I), at(outStart), at(outList), at(cheapest), v0, v1, W),
    umbrella: (src, dst, offsets, neighbours, v0, v1, f) => {
      if (src.length < 3 * v1 || dst.length < 3 * v1 || offsets.length < v1 - v0 + 1) throw new RangeError('umbrella: vertices beyond the arrays');
      x.umbrella(at(src), at(dst), at(offsets), at(neighbours), v0, v1, f);
    },
    collapser: (job, state, mark) => {
      const c = at(state);
      if (state.length < COLLAPSER_BYTES || mark.length < job.vOut.length) throw new RangeError('collapser: no room for its state or marks');
      const { P, Q, N, I, opp, vOut, locked, deadTri, moved, bucket, cheapest, hist, binOf, refused, touched } = job;
      const arrays = [P, Q, N, I, opp, vOut, locked, deadTri, moved, bucket, cheapest, hist, binOf, refused, touched, mark].map(at);
      x.collapser_init(c, ...arrays, job.recheck ? 1 : 0);
      const found = new Float64Array(state.buffer, c + x.collapser_found(), 3);
      return {
        mergeCoincident: (from, to) => x.merge_coincident(c, from, to),
        costEdges: (from, to) => x.cost_edges(c, from, to),
        collapseEdges: (from, to, pass, limit, budget, maxCost) => {
          x.collapse_edges(c, from, to, pass, limit, budget, maxCost);
          return found;
        },
      };
    },
  };
  made.set(memory, k);
  return k;
}
