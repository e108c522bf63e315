// 3D connected components of a binary mask with face connectivity (6-neighbourhood), over runs:
// runs of set voxels along x are labelled and joined to overlapping runs in the row before (y − 1)
// and the slice before (z − 1) with union-find. Memory grows with the number of runs, not voxels.
import type { Vec3 } from './types';

export interface ComponentStats {
  /** voxels kept */
  kept: number;
  /** voxels removed */
  removed: number;
  /** pieces found before removal */
  pieces: number;
}

interface Runs {
  x0: Int32Array; // first voxel index of the run (linear)
  len: Int32Array;
  /** runs of row r (r = y + ny*z) are rowStart[r] … rowStart[r+1]−1 */
  rowStart: Int32Array;
  count: number;
}

function findRuns(mask: Uint8Array, dims: Vec3): Runs {
  const [nx, ny, nz] = dims;
  const rows = ny * nz;
  let cap = 1 << 16;
  let x0 = new Int32Array(cap);
  let len = new Int32Array(cap);
  const rowStart = new Int32Array(rows + 1);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = n;
    const base = r * nx;
    let x = 0;
    while (x < nx) {
      if (mask[base + x] === 0) {
        x++;
        continue;
      }
      const s = x;
      while (x < nx && mask[base + x] !== 0) x++;
      if (n === cap) {
        cap *= 2;
        const a = new Int32Array(cap), b = new Int32Array(cap);
        a.set(x0);
        b.set(len);
        x0 = a;
        len = b;
      }
      x0[n] = base + s;
      len[n] = x - s;
      n++;
    }
  }
  rowStart[rows] = n;
  return { x0, len, rowStart, count: n };
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** Union-find roots for every run, joining runs that share a face. */
function joinRuns(runs: Runs, dims: Vec3): Int32Array {
  const [nx, ny, nz] = dims;
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
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const r = y + ny * z;
      if (rowStart[r] === rowStart[r + 1]) continue;
      if (y > 0) joinRows(r, r - 1, nx);
      if (z > 0) joinRows(r, r - ny, nx * ny);
    }
  }
  for (let i = 0; i < count; i++) parent[i] = find(parent, i);
  return parent;
}

/** Voxel count of every piece, keyed by its root run. */
export function componentSizes(mask: Uint8Array, dims: Vec3): number[] {
  const runs = findRuns(mask, dims);
  const root = joinRuns(runs, dims);
  const size = new Float64Array(runs.count);
  for (let i = 0; i < runs.count; i++) size[root[i]] += runs.len[i];
  const out: number[] = [];
  for (let i = 0; i < runs.count; i++) if (root[i] === i) out.push(size[i]);
  return out.sort((a, b) => b - a);
}

/** Keeps only the largest face-connected piece of `mask` (in place). */
export function keepLargestComponent(mask: Uint8Array, dims: Vec3): ComponentStats {
  const runs = findRuns(mask, dims);
  if (runs.count === 0) return { kept: 0, removed: 0, pieces: 0 };
  const root = joinRuns(runs, dims);
  const size = new Float64Array(runs.count);
  for (let i = 0; i < runs.count; i++) size[root[i]] += runs.len[i];
  let best = 0, pieces = 0, total = 0;
  for (let i = 0; i < runs.count; i++) {
    if (root[i] !== i) continue;
    pieces++;
    total += size[i];
    if (size[i] > size[best]) best = i;
  }
  for (let i = 0; i < runs.count; i++) if (root[i] !== best) mask.fill(0, runs.x0[i], runs.x0[i] + runs.len[i]);
  return { kept: size[best], removed: total - size[best], pieces };
}
