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

import { wasmMemory } from './memory';
import { prefixSums } from './prefixSums';
import { kernelsFor } from './wasm/kernels';
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

/** The options' defaults: 25 iterations of λ = 0.5, μ = −0.53 (see above). */
export const TAUBIN_DEFAULTS = { iterations: 25, lambda: 0.5, mu: -0.53 };

/**
 * CSR adjacency of unique edge neighbours: the neighbours of vertex v are
 * `neighbours[offsets[v] .. offsets[v + 1])`, sorted ascending, without duplicates or v itself.
 * Typed arrays only: degrees are counted from the directed half-edges (both directions, so open
 * meshes work too), the rows are filled, then each row is insertion-sorted and deduplicated in place
 * and the rows are compacted towards the front of the buffer. (The pipeline smooths inside its
 * decimation job instead, over the half-edges that job builds anyway: see decimate.ts smoothThread.)
 */
export function buildVertexNeighbours(indices: Uint32Array, vertexCount: number): { offsets: Uint32Array; neighbours: Uint32Array } {
  const nh = indices.length - (indices.length % 3);
  const n = vertexCount;
  const start = new Uint32Array(n + 1);
  // Every edge of every triangle, both ways (a closed mesh lists each neighbour twice, deduped below).
  countEdgeEnds(indices, nh, start);
  prefixSums(start);
  const buf = new Uint32Array(start[n]);
  const fill = start.slice(0, n);
  fillEdgeEnds(indices, nh, fill, buf);
  const offsets = new Uint32Array(n + 1);
  const w = sortRows(start, buf, n, offsets);
  return { offsets, neighbours: buf.subarray(0, w) };
}

// buildVertexNeighbours' loops, each a function of its own: V8 compiles a hot loop of a long function
// by compiling that whole function again (on-stack replacement), once per loop.

/** start[v + 1] += the edge ends of the triangles' indices [0, nh) at vertex v. */
function countEdgeEnds(indices: Uint32Array, nh: number, start: Uint32Array): void {
  for (let t = 0; t < nh; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    if (a !== b) {
      start[a + 1]++;
      start[b + 1]++;
    }
    if (b !== c) {
      start[b + 1]++;
      start[c + 1]++;
    }
    if (c !== a) {
      start[c + 1]++;
      start[a + 1]++;
    }
  }
}

/** Each edge end of the triangles' indices [0, nh) into its vertex's row of buf, at fill[v] (moved on). */
function fillEdgeEnds(indices: Uint32Array, nh: number, fill: Uint32Array, buf: Uint32Array): void {
  for (let t = 0; t < nh; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    if (a !== b) {
      buf[fill[a]++] = b;
      buf[fill[b]++] = a;
    }
    if (b !== c) {
      buf[fill[b]++] = c;
      buf[fill[c]++] = b;
    }
    if (c !== a) {
      buf[fill[c]++] = a;
      buf[fill[a]++] = c;
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

/**
 * Taubin λ/μ smoothing with uniform (umbrella) weights. Returns a new mesh with new positions that
 * shares `indices` with the input (topology never changes). Each iteration is one λ step then one μ
 * step of p += f·(mean(neighbours) − p), computed in Float64 and double-buffered (every vertex of a
 * step reads the previous step's positions). Isolated vertices stay where they are.
 */
export function taubinSmooth(mesh: Mesh, options: TaubinOptions = {}): Mesh {
  const { iterations, lambda, mu } = { ...TAUBIN_DEFAULTS, ...options };
  const nv = (mesh.positions.length / 3) | 0;
  const rows = buildVertexNeighbours(mesh.indices, nv);
  const nn = rows.neighbours.length;
  // the two buffers and the rows in a WebAssembly memory, where the kernel's step runs (the same bits)
  const bytes = 48 * nv + 4 * (nv + 1 + nn);
  const memory = wasmMemory(bytes);
  const region = memory?.buffer ?? new ArrayBuffer(bytes);
  const a = new Float64Array(region, 0, 3 * nv), b = new Float64Array(region, 24 * nv, 3 * nv);
  const offsets = new Uint32Array(region, 48 * nv, nv + 1), neighbours = new Uint32Array(region, 48 * nv + 4 * (nv + 1), nn);
  a.set(mesh.positions);
  offsets.set(rows.offsets);
  for (let i = 0; i < nn; i++) neighbours[i] = 3 * rows.neighbours[i]; // (each neighbour as the place of its x)
  const step = memory ? kernelsFor(memory).umbrella : umbrellaStep;
  for (let it = 0; it < iterations; it++) {
    step(a, b, offsets, neighbours, 0, nv, lambda);
    step(b, a, offsets, neighbours, 0, nv, mu);
  }
  return { positions: Float32Array.from(a), indices: mesh.indices };
}

/**
 * One Jacobi umbrella step over vertices [v0, v1): dst = (1 − f)·src + f·mean(neighbours in src), with
 * vertex v's neighbours at neighbours[offsets[v − v0] .. offsets[v − v0 + 1]), each as 3 × its index
 * (the place of its x in src). A vertex without neighbours stays where it is.
 */
export function umbrellaStep(
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
