// A fresh worker runs its first build's kernels cold: V8 runs a loop unoptimised until it has compiled
// it. So a worker started ahead of the build runs warmIsosurface: the mask, its largest piece, two
// marched slabs joined in shared memory and their check, the same functions and code paths as
// buildMesh's, on a small phantom, WARM_ROUNDS times. In the page, on the head CT (medians of 5 pages
// each, in turns), the first build's isosurface took 321 ms without it and 214 ms with one round, its
// check 150 and 89 ms. One round compiled the row kernel (marchRow) in V8's mid tier only, and each
// worker compiled it in the top tier during the build (93 and 106 ms of compiling, beside the build
// on two cores); after four rounds that is done here, and the page's isosurface took 113–159 ms
// against 160–201 ms (8 pages each, in turns). The rounds after the first take about 25 ms each (Node).
//
// Smoothing and decimation in JavaScript were left out: warming them on one thread made the next
// two-thread build in the page slower (smoothing 689 → 792 ms, decimation 1.92 → 2.29 s, medians of 4),
// as if compiled for the wrong case. Their hot loops are now WebAssembly kernels (wasm/kernels.ts),
// which V8 first runs from its baseline compiler and compiles in its top tier only once a function has
// run a while, taking the faster code at its next call: a loop called once per build (the half-edges,
// the quadrics) ran the whole build in baseline code, 2–2.5× slower (half-edges 59 → 109 ms, quadrics
// 37 → 91 ms on the head CT). So each round also decimates the small surface (warmKernels), which
// leaves every kernel compiled in the top tier before the build (head CT, thread 0 of two: half-edges
// 26 ms, quadrics 23 ms; the JavaScript around them gained as well, order by slab 43 → 20 ms).
import { decimate, type DecimateResult } from './decimate';
import { applyMaskEdits } from './maskEdits';
import { checkMesh } from './meshCheck';
import { marchSlab, splitSlabs, stitchSlabs } from './marchingCubes';
import { sharedMemory } from './memory';
import { makeHeadPhantom } from './phantom';
import { sharedBytes } from './sharedMemory';
import { thresholdMask } from './threshold';
import type { Mesh, Vec3, Volume } from './types';

/** The phantom's size: about 29 K triangles; 230–390 ms cold in a page beside another worker doing the same. */
export const WARM_DIMS: Vec3 = [64, 64, 40];
/**
 * Rounds of the warm-up: enough for V8's top tier to compile the isosurface's row kernel. One call a
 * round, so that a build asked for meanwhile waits for one round at most (see readyBuildPool).
 */
export const WARM_ROUNDS = 4;

/** The phantom the rounds share (made by the first). */
let phantom: Volume | null = null;

/** Runs the mask, isosurface and check stages once on a small phantom (WARM_DIMS, 300 HU, its largest piece); returns the surface. A worker runs it WARM_ROUNDS times. */
export function warmIsosurface(): Mesh {
  phantom ??= makeHeadPhantom({ dims: WARM_DIMS, data: new Int16Array(sharedBytes(2 * WARM_DIMS[0] * WARM_DIMS[1] * WARM_DIMS[2])) });
  const vol = phantom;
  const range = { lower: 300, upper: 32767 };
  const mask = thresholdMask(vol, range, new Uint8Array(sharedBytes(vol.data.length)));
  applyMaskEdits(mask, vol.dims, vol.spacing, { keepLargest: true });
  const slabs = splitSlabs(WARM_DIMS[2], 2).map((layers) => marchSlab(vol, range, mask, layers, { views: true }));
  const mesh = stitchSlabs(slabs, sharedMemory);
  checkMesh(mesh);
  warmKernels(mesh);
  return mesh;
}

/** Smooths and decimates a copy of `mesh` to a tenth of its triangles on this thread, in a WebAssembly memory: every kernel runs (see above). */
export function warmKernels(mesh: Mesh): DecimateResult {
  const copy = { positions: mesh.positions.slice(), indices: mesh.indices.slice() };
  return decimate(copy, { targetTriangles: copy.indices.length / 3 / 10, partitions: 3, partitionEdges: 0, smoothing: { iterations: 5 } });
}
