// Marching cubes over z-slabs of a padded grid, with vertices welded by grid edge, in patient mm.
//
// A voxel is inside when lower ≤ v ≤ upper and (with a mask) its mask is set. On an edge from an
// inside to an outside voxel the vertex is interpolated against the bound the outside voxel lies
// beyond: (lower − 0.5) if it is below, (upper + 0.5) if above. For integer data neither level equals a
// voxel value, so no vertex lands on a voxel corner. Where the outside voxel is in range but masked
// out, or is padding, the vertex sits half way. The grid is padded by one layer of background on every
// side, so surfaces at the scan border close.
//
// Cells: cell (cx, cy, cz) spans voxels cx…cx+1 etc. with cx ∈ [−1, nx−1]: nx+1 cells per row. A slab
// is a range of cell LAYERS [l0, l1) with l = cz + 1 ∈ [0, nz+1). Vertices are numbered in order of
// creation (layer, row, cell), so stitching slabs in order reproduces the single-slab mesh exactly.
import { EDGE_CORNERS, TRI_EDGES, TRI_OFFSETS } from './mcTable';
import { splitRange } from './split';
import type { Mesh, ThresholdRange, Volume } from './types';

export interface MeshSlab {
  /** x,y,z per vertex (patient mm), exactly 3 × vertex count long */
  positions: Float32Array;
  indices: Uint32Array;
  /** (plane key, local vertex) pairs for the vertices on the slab's lower boundary plane */
  bottom: Int32Array;
  /** (plane key, local vertex) pairs for the vertices on the slab's upper boundary plane */
  top: Int32Array;
  /** size of the plane key space: (nx + 2) × (ny + 2) × 2 */
  planeKeys: number;
}

/** Splits the nz + 1 cell layers of a volume with nz slices into `parts` contiguous slabs. */
export const splitSlabs = (nz: number, parts: number): [number, number][] => splitRange(nz + 1, parts);

/** Index space → patient mm: columns dirI·si, dirJ·sj, dirK·sk. */
function patientMatrix(vol: Volume): number[] {
  const [si, sj, sk] = vol.spacing;
  const d = vol.direction;
  return [d[0] * si, d[1] * si, d[2] * si, d[3] * sj, d[4] * sj, d[5] * sj, d[6] * sk, d[7] * sk, d[8] * sk];
}

const det3 = (m: number[]) =>
  m[0] * (m[4] * m[8] - m[5] * m[7]) - m[3] * (m[1] * m[8] - m[2] * m[7]) + m[6] * (m[1] * m[5] - m[2] * m[4]);

// Per edge: offsets of its first corner (dx, dy, dz) and its axis.
const EDGE_AXIS = EDGE_CORNERS.map(([a, b]) => Math.log2(a ^ b));
const EDGE_DX = EDGE_CORNERS.map(([a]) => a & 1);
const EDGE_DY = EDGE_CORNERS.map(([a]) => (a >> 1) & 1);
const EDGE_DZ = EDGE_CORNERS.map(([a]) => (a >> 2) & 1);

export function marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, layers: [number, number]): MeshSlab {
  const [nx, ny, nz] = vol.dims;
  const data = vol.data;
  const W = nx + 2;
  const H = ny + 2;
  const planeSize = W * H;
  const lo = range.lower - 0.5;
  const hi = range.upper + 0.5; // inside ⇔ lo < v < hi, i.e. lower ≤ v ≤ upper for integers
  const m = patientMatrix(vol);
  const [ox, oy, oz] = vol.origin;
  const flip = det3(m) < 0;

  let vB = new Float32Array(planeSize);
  let vT = new Float32Array(planeSize);
  let inB = new Uint8Array(planeSize);
  let inT = new Uint8Array(planeSize);
  let anyB = new Uint8Array(H);
  let anyT = new Uint8Array(H);
  let xB = new Int32Array(planeSize);
  let xT = new Int32Array(planeSize);
  let yB = new Int32Array(planeSize);
  let yT = new Int32Array(planeSize);
  const zC = new Int32Array(planeSize);

  let pos = new Float32Array(1 << 15);
  let idx = new Uint32Array(1 << 15);
  let nv = 0;
  let ni = 0;

  /** Fills plane z (−1 … nz) of the padded grid: values (NaN = padding), inside flags, per-row "anything inside". */
  const fillPlane = (z: number, val: Float32Array, ins: Uint8Array, any: Uint8Array) => {
    val.fill(NaN);
    ins.fill(0);
    any.fill(0);
    if (z < 0 || z >= nz) return;
    for (let y = 0; y < ny; y++) {
      const src = nx * (y + ny * z);
      const dst = (y + 1) * W + 1;
      let rowAny = 0;
      for (let x = 0; x < nx; x++) {
        const v = data[src + x];
        val[dst + x] = v;
        const inside = v > lo && v < hi && (mask === null || mask[src + x] !== 0) ? 1 : 0;
        ins[dst + x] = inside;
        rowAny |= inside;
      }
      any[y + 1] = rowAny;
    }
  };

  /** Creates the vertex on edge e of the cell at padded (px, py) in layer cz; returns its index. */
  const makeVertex = (e: number, px: number, py: number, cz: number): number => {
    const dx = EDGE_DX[e], dy = EDGE_DY[e], dz = EDGE_DZ[e], axis = EDGE_AXIS[e];
    const pa = (py + dy) * W + px + dx;
    const pb = axis === 0 ? pa + 1 : axis === 1 ? pa + W : pa;
    const va = (dz ? vT : vB)[pa];
    const vb = (axis === 2 || dz ? vT : vB)[pb];
    const aInside = (dz ? inT : inB)[pa] === 1;
    // fraction from the inside voxel towards the outside one
    const vin = aInside ? va : vb, vout = aInside ? vb : va;
    let f = 0.5; // padding (NaN) or a masked-out voxel in range
    if (vout < lo) f = (vin - lo) / (vin - vout);
    else if (vout > hi) f = (hi - vin) / (vout - vin);
    const t = aInside ? f : 1 - f;
    const i = px - 1 + dx + (axis === 0 ? t : 0);
    const j = py - 1 + dy + (axis === 1 ? t : 0);
    const k = cz + dz + (axis === 2 ? t : 0);
    if (3 * nv + 3 > pos.length) {
      const grown = new Float32Array(pos.length * 2);
      grown.set(pos);
      pos = grown;
    }
    pos[3 * nv] = ox + m[0] * i + m[3] * j + m[6] * k;
    pos[3 * nv + 1] = oy + m[1] * i + m[4] * j + m[7] * k;
    pos[3 * nv + 2] = oz + m[2] * i + m[5] * j + m[8] * k;
    return nv++;
  };

  const vertex = (e: number, px: number, py: number, cz: number): number => {
    const axis = EDGE_AXIS[e];
    let cache: Int32Array;
    let key: number;
    if (axis === 0) {
      cache = EDGE_DZ[e] ? xT : xB;
      key = (py + EDGE_DY[e]) * W + px;
    } else if (axis === 1) {
      cache = EDGE_DZ[e] ? yT : yB;
      key = py * W + px + EDGE_DX[e];
    } else {
      cache = zC;
      key = (py + EDGE_DY[e]) * W + px + EDGE_DX[e];
    }
    let v = cache[key];
    if (v < 0) v = cache[key] = makeVertex(e, px, py, cz);
    return v;
  };

  const boundary = (xs: Int32Array, ys: Int32Array): Int32Array => {
    const pairs: number[] = [];
    for (let k = 0; k < planeSize; k++) {
      if (xs[k] >= 0) pairs.push(2 * k, xs[k]);
      if (ys[k] >= 0) pairs.push(2 * k + 1, ys[k]);
    }
    return Int32Array.from(pairs);
  };

  const [l0, l1] = layers;
  let bottom: Int32Array = new Int32Array(0);
  for (let l = l0; l < l1; l++) {
    const cz = l - 1;
    if (l === l0) {
      fillPlane(cz, vB, inB, anyB);
      xB.fill(-1);
      yB.fill(-1);
    } else {
      [vB, vT] = [vT, vB];
      [inB, inT] = [inT, inB];
      [anyB, anyT] = [anyT, anyB];
      [xB, xT] = [xT, xB];
      [yB, yT] = [yT, yB];
    }
    fillPlane(cz + 1, vT, inT, anyT);
    xT.fill(-1);
    yT.fill(-1);
    zC.fill(-1);
    for (let py = 0; py < H - 1; py++) {
      if ((anyB[py] | anyB[py + 1] | anyT[py] | anyT[py + 1]) === 0) continue;
      const row = py * W;
      for (let px = 0; px < W - 1; px++) {
        const p = row + px;
        const config =
          inB[p] | (inB[p + 1] << 1) | (inB[p + W] << 2) | (inB[p + W + 1] << 3) |
          (inT[p] << 4) | (inT[p + 1] << 5) | (inT[p + W] << 6) | (inT[p + W + 1] << 7);
        if (config === 0 || config === 255) continue;
        const end = TRI_OFFSETS[config + 1];
        if (ni + (end - TRI_OFFSETS[config]) > idx.length) {
          const grown = new Uint32Array(idx.length * 2);
          grown.set(idx);
          idx = grown;
        }
        for (let t = TRI_OFFSETS[config]; t < end; t += 3) {
          const a = vertex(TRI_EDGES[t], px, py, cz);
          const b = vertex(TRI_EDGES[t + 1], px, py, cz);
          const c = vertex(TRI_EDGES[t + 2], px, py, cz);
          idx[ni++] = a;
          idx[ni++] = flip ? c : b;
          idx[ni++] = flip ? b : c;
        }
      }
    }
    if (l === l0) bottom = boundary(xB, yB);
  }
  const top = l1 > l0 ? boundary(xT, yT) : new Int32Array(0);
  return { positions: pos.slice(0, 3 * nv), indices: idx.slice(0, ni), bottom, top, planeKeys: 2 * planeSize };
}

/** Joins slabs (in z order) into one mesh, merging the vertices each boundary plane holds twice. */
export function stitchSlabs(slabs: MeshSlab[]): Mesh {
  if (slabs.length === 1) return { positions: slabs[0].positions, indices: slabs[0].indices };
  let vertices = 0;
  let triangles = 0;
  for (let s = 0; s < slabs.length; s++) {
    vertices += slabs[s].positions.length / 3 - (s > 0 ? slabs[s].bottom.length / 2 : 0);
    triangles += slabs[s].indices.length / 3;
  }
  const positions = new Float32Array(3 * vertices);
  const indices = new Uint32Array(3 * triangles);
  let planeGlobal: Int32Array | null = null; // plane key → global vertex, for the previous slab's top
  let nv = 0;
  let ni = 0;
  for (let s = 0; s < slabs.length; s++) {
    const slab = slabs[s];
    const local = slab.positions.length / 3;
    const remap = new Int32Array(local).fill(-1);
    if (s > 0) {
      for (let q = 0; q < slab.bottom.length; q += 2) {
        const g = planeGlobal![slab.bottom[q]];
        if (g < 0) throw new Error(`stitch: slab ${s} has a boundary vertex its neighbour lacks`);
        remap[slab.bottom[q + 1]] = g;
      }
    }
    for (let v = 0; v < local; v++) {
      if (remap[v] >= 0) continue;
      positions[3 * nv] = slab.positions[3 * v];
      positions[3 * nv + 1] = slab.positions[3 * v + 1];
      positions[3 * nv + 2] = slab.positions[3 * v + 2];
      remap[v] = nv++;
    }
    for (let q = 0; q < slab.indices.length; q++) indices[ni++] = remap[slab.indices[q]];
    planeGlobal = new Int32Array(slab.planeKeys).fill(-1);
    for (let q = 0; q < slab.top.length; q += 2) planeGlobal[slab.top[q]] = remap[slab.top[q + 1]];
  }
  return { positions, indices };
}

/** Single-slab convenience: the whole volume at once. */
export function marchingCubes(vol: Volume, range: ThresholdRange, mask: Uint8Array | null = null): Mesh {
  return stitchSlabs([marchSlab(vol, range, mask, [0, vol.dims[2] + 1])]);
}

