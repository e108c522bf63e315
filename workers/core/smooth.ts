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
 * `neighbours[offsets[v] .. offsets[v+1])`, sorted ascending, without duplicates or v itself.
 * Typed arrays only: degrees are counted from the directed half-edges (both directions, so open meshes
 * work too), the rows are filled, then each row is insertion-sorted and deduplicated in place and the
 * rows are compacted towards the front of the buffer.
 */
export function buildVertexNeighbours(
  indices: Uint32Array,
  vertexCount: number,
): { offsets: Uint32Array; neighbours: Uint32Array } {
  const nh = indices.length - (indices.length % 3);
  const start = new Uint32Array(vertexCount + 1);
  // Every edge of every triangle, both ways: a closed mesh lists each neighbour twice (deduped below).
  for (let t = 0; t < nh; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    if (a !== b) { start[a + 1]++; start[b + 1]++; }
    if (b !== c) { start[b + 1]++; start[c + 1]++; }
    if (c !== a) { start[c + 1]++; start[a + 1]++; }
  }
  for (let v = 0; v < vertexCount; v++) start[v + 1] += start[v];

  const buf = new Uint32Array(start[vertexCount]);
  const fill = start.slice(0, vertexCount);
  for (let t = 0; t < nh; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    if (a !== b) { buf[fill[a]++] = b; buf[fill[b]++] = a; }
    if (b !== c) { buf[fill[b]++] = c; buf[fill[c]++] = b; }
    if (c !== a) { buf[fill[c]++] = a; buf[fill[a]++] = c; }
  }

  // Sort + dedupe each row, writing it compacted at `w` (w never overtakes the row being read).
  const offsets = new Uint32Array(vertexCount + 1);
  let w = 0;
  for (let v = 0; v < vertexCount; v++) {
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
  offsets[vertexCount] = w;
  return { offsets, neighbours: buf.slice(0, w) };
}

/**
 * Taubin λ/μ smoothing with uniform (umbrella) weights. Returns a new mesh with new positions that
 * shares `indices` with the input (topology never changes). Each iteration is one λ step then one μ
 * step of p += f·(mean(neighbours) − p), computed in Float64 and double-buffered (every vertex of a
 * step reads the previous step's positions). Isolated vertices stay where they are.
 */
export function taubinSmooth(mesh: Mesh, options: TaubinOptions = {}): Mesh {
  const { iterations = 25, lambda = 0.5, mu = -0.53 } = options;
  const nv = (mesh.positions.length / 3) | 0;
  if (iterations <= 0 || nv === 0) return { positions: mesh.positions.slice(), indices: mesh.indices };

  const { offsets, neighbours } = buildVertexNeighbours(mesh.indices, nv);
  const cur = new Float64Array(mesh.positions);
  const next = new Float64Array(cur.length);
  for (let it = 0; it < iterations; it++) {
    umbrellaStep(cur, next, offsets, neighbours, nv, lambda);
    umbrellaStep(next, cur, offsets, neighbours, nv, mu);
  }
  return { positions: new Float32Array(cur), indices: mesh.indices };
}

/** One Jacobi umbrella step: dst = src + f·(mean(neighbours in src) − src). */
function umbrellaStep(
  src: Float64Array,
  dst: Float64Array,
  offsets: Uint32Array,
  neighbours: Uint32Array,
  nv: number,
  f: number,
): void {
  for (let v = 0; v < nv; v++) {
    const s = offsets[v];
    const e = offsets[v + 1];
    const o = 3 * v;
    const px = src[o], py = src[o + 1], pz = src[o + 2];
    if (e === s) {
      dst[o] = px;
      dst[o + 1] = py;
      dst[o + 2] = pz;
      continue;
    }
    let sx = 0, sy = 0, sz = 0;
    for (let i = s; i < e; i++) {
      const n = 3 * neighbours[i];
      sx += src[n];
      sy += src[n + 1];
      sz += src[n + 2];
    }
    const g = 1 / (e - s);
    dst[o] = px + f * (sx * g - px);
    dst[o + 1] = py + f * (sy * g - py);
    dst[o + 2] = pz + f * (sz * g - pz);
  }
}
