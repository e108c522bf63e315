// Marching cubes over z-slabs of a padded grid, with vertices welded by grid edge, in patient mm.
//
// A voxel is inside when lower ≤ v ≤ upper and (with a mask) its mask is set, or when its mask is
// MASK_FILLED (a filled cavity: marrow, air in a sinus), whatever its value. On an edge from an
// inside to an outside voxel the vertex is interpolated against the bound the outside voxel lies
// beyond: (lower − 0.5) if it is below, (upper + 0.5) if above. For integer data neither level equals a
// voxel value, so no vertex lands on a voxel corner. Where the outside voxel is in range but masked
// out, or is padding, the vertex sits half way. The grid is padded by one layer of background on every
// side, so surfaces at the scan border close.
//
// Cells: cell (cx, cy, cz) spans voxels cx…cx+1 etc. with cx ∈ [−1, nx−1]: nx+1 cells per row. A slab
// is a range of cell LAYERS [l0, l1) with l = cz + 1 ∈ [0, nz+1). Vertices are numbered in order of
// creation (layer, row, cell), so stitching slabs in order reproduces the single-slab mesh exactly.
//
// Speed: each slice is classified once into bit planes (32 voxels per word; two voxels per load, and
// all-zero mask runs skipped); a cell row is scanned a word at a time, and only cells whose corners
// disagree are visited. Vertices are read from the voxels only for the edges a cell creates.
import { EDGE_CORNERS, TRI_EDGES, TRI_OFFSETS } from './mcTable';
import { splitRange } from './split';
import { plainMemory, typed, type Alloc } from './memory';
import { MASK_FILLED } from './components';
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

// Per edge: offsets of its first corner (dx, dy, dz), its axis, and its two corners.
const EDGE_AXIS = Int32Array.from(EDGE_CORNERS, ([a, b]) => Math.log2(a ^ b));
const EDGE_DX = Int32Array.from(EDGE_CORNERS, ([a]) => a & 1);
const EDGE_DY = Int32Array.from(EDGE_CORNERS, ([a]) => (a >> 1) & 1);
const EDGE_DZ = Int32Array.from(EDGE_CORNERS, ([a]) => (a >> 2) & 1);
const EDGE_A = Int32Array.from(EDGE_CORNERS, ([a]) => a);
const EDGE_B = Int32Array.from(EDGE_CORNERS, ([, b]) => b);

/**
 * Per configuration, its crossed edges in the order its triangles first use them:
 * FIRST_USE[FIRST_USE_OFFSETS[c] .. FIRST_USE_OFFSETS[c + 1]).
 */
const FIRST_USE_OFFSETS = new Uint16Array(257);
const FIRST_USE: Uint8Array = (() => {
  const all: number[] = [];
  for (let c = 0; c < 256; c++) {
    FIRST_USE_OFFSETS[c] = all.length;
    const seen = new Set<number>();
    for (let t = TRI_OFFSETS[c]; t < TRI_OFFSETS[c + 1]; t++) {
      if (seen.has(TRI_EDGES[t])) continue;
      seen.add(TRI_EDGES[t]);
      all.push(TRI_EDGES[t]);
    }
  }
  FIRST_USE_OFFSETS[256] = all.length;
  return Uint8Array.from(all);
})();

/** TRI_EDGES with every triangle's winding reversed (for left-handed index frames). */
const TRI_EDGES_FLIPPED = TRI_EDGES.map((e, t) => (t % 3 === 0 ? e : TRI_EDGES[t % 3 === 1 ? t + 1 : t - 1]));

/**
 * Cells are visited layer by layer, row by row, cell by cell (increasing x, y, z), and a crossed edge
 * makes every cell holding it non-empty, so when a cell is reached all its edges already have their
 * vertex except the three on its far side: x edge 3, y edge 7, z edge 11. In a slab's first layer
 * the cells below are not visited, so the far bottom edges 1 and 5 are new too. The new ones are
 * created in the order the cell's triangles first use them, exactly as a lazy edge cache would.
 */
const NEW_EDGES = (1 << 3) | (1 << 7) | (1 << 11);
const NEW_EDGES_FIRST_LAYER = NEW_EDGES | (1 << 1) | (1 << 5);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What classifying a plane needs; built once per marchSlab call. */
interface Classifier {
  data: Int16Array;
  mask: Uint8Array | null;
  /** the volume as pairs of voxels (little-endian, even nx, aligned), else null */
  data32: Int32Array | null;
  /** the mask as runs of four bytes (with data32, nx a multiple of 4, aligned), else null */
  mask32: Int32Array | null;
  nx: number;
  ny: number;
  nz: number;
  /** words per row of a bit plane */
  WK: number;
  /** nothing can be inside */
  none: boolean;
  // inside ⇔ below < v < above (one voxel at a time)
  below: number;
  above: number;
  // the same on two int16 lanes (see classifyPairs)
  kMin: number;
  hiMin: number;
  kMax: number;
  hiMax: number;
  bounded: boolean;
}

/**
 * Inside bits of n ≤ 32 voxels from data index i0, one at a time: voxel i0 + b at bit b.
 * inside ⇔ (below − v) and (v − above) are both negative: bit 31 of their AND.
 */
function classifyScalar(c: Classifier, i0: number, n: number): number {
  const data = c.data, mask = c.mask, below = c.below, above = c.above;
  const end = i0 + n;
  let w = 0;
  if (mask === null) {
    for (let i = i0; i < end; i++) {
      const v = data[i];
      w = (w >>> 1) | ((below - v) & (v - above) & 0x80000000);
    }
  } else {
    for (let i = i0; i < end; i++) {
      const v = data[i], m = mask[i];
      w = (w >>> 1) | ((((below - v) & (v - above) & -m) | (m === MASK_FILLED ? -1 : 0)) & 0x80000000);
    }
  }
  return n < 32 ? w >>> (32 - n) : w;
}

/**
 * The same without a mask, two voxels per load (i0 and n even). Lanes are biased to unsigned
 * (u = v + 32768: bit 15 flipped); lane ≥ k ⇔ bit 15 of (u & 0x7fff) + 0x8000 − (k & 0x7fff), ORed
 * with u's bit 15 when k < 0x8000 and ANDed with it otherwise. The lane sums never carry over.
 */
function classifyPairs(c: Classifier, i0: number, n: number): number {
  const d = c.data32!, kMin = c.kMin, hiMin = c.hiMin, kMax = c.kMax, hiMax = c.hiMax, bounded = c.bounded;
  const end = (i0 + n) >> 1;
  let w = 0;
  for (let i = i0 >> 1; i < end; i++) {
    const u = d[i] ^ 0x80008000;
    const low = u & 0x7fff7fff;
    const t = (low + kMin) | 0;
    let r = hiMin === 0 ? t | u : t & u;
    if (bounded) {
      const t2 = (low + kMax) | 0;
      r &= ~(hiMax === 0 ? t2 | u : t2 & u);
    }
    w = (w >>> 2) | (r & 0x80000000) | ((r & 0x8000) << 15);
  }
  return n < 32 ? w >>> (32 - n) : w;
}

/**
 * Inside bits of slice z (−1 … nz: outside it, padding) into `bits`: voxel (x, y) at bit x & 31 of
 * word (y + 1)·WK + (x >> 5); padding rows and the bits past nx stay 0. any[y + 1] ≠ 0 where row y
 * holds anything.
 */
function classifyPlane(c: Classifier, z: number, bits: Int32Array, any: Int32Array): void {
  bits.fill(0);
  any.fill(0);
  const nx = c.nx, ny = c.ny, nz = c.nz;
  if (z < 0 || z >= nz || c.none) return;
  const WK = c.WK, mask32 = c.mask32;
  const pairs = c.mask === null && c.data32 !== null;
  for (let y = 0; y < ny; y++) {
    const src = nx * (y + ny * z);
    let k = (y + 1) * WK;
    let rowAny = 0;
    for (let x0 = 0; x0 < nx; x0 += 32) {
      const n = Math.min(32, nx - x0);
      let w: number;
      if (mask32 !== null) {
        // skip runs whose mask is all zero (most, for a keep-largest mask)
        let mw = 0;
        const q0 = (src + x0) >> 2;
        for (let q = q0 + (n >> 2) - 1; q >= q0; q--) mw |= mask32[q];
        w = mw === 0 ? 0 : classifyScalar(c, src + x0, n);
      } else w = pairs ? classifyPairs(c, src + x0, n) : classifyScalar(c, src + x0, n);
      bits[k++] = w;
      rowAny |= w;
    }
    any[y + 1] = rowAny;
  }
}

/**
 * Column code of x in a cell row: the inside bits of its four voxels (rows py, py + 1 of the bottom
 * plane, then of the top plane) at bits 0, 2, 4, 6, so a cell's configuration is
 * code(left column) | code(right column) << 1. `w0`…`w3` hold the column at bit s.
 */
const columnCode = (w0: number, w1: number, w2: number, w3: number, s: number): number =>
  ((w0 >>> s) & 1) | (((w1 >>> s) & 1) << 2) | (((w2 >>> s) & 1) << 4) | (((w3 >>> s) & 1) << 6);

/** Mesh under construction for one slab, and what its layers share. */
interface Mesher {
  data: Int16Array;
  nx: number;
  ny: number;
  nz: number;
  lo: number;
  hi: number;
  /** index → patient matrix (columns, 9 numbers), then the origin */
  m: Float64Array;
  /** triangle edges, wound for the frame's handedness */
  tri: Uint8Array;
  /**
   * Vertex caches, five planes of W × H: x edges of the bottom and top plane (they swap each layer),
   * y edges likewise, z edges. Entry of edge e of the cell at plane index p: edgeKey[e] + p.
   */
  cache: Int32Array;
  edgeKey: Int32Array;
  /** data index offset of each corner of a cell from its corner 0 */
  cornerOffset: Int32Array;
  /** vertex of each edge of the current cell */
  ev: Int32Array;
  pos: Float32Array;
  idx: Uint32Array;
  nv: number;
  ni: number;
  /** vertices on the slab's lower and upper boundary plane: plane keys (2k for x edges, 2k + 1 for y) */
  bottomKeys: number[];
  bottomVertices: number[];
  topKeys: number[];
  topVertices: number[];
}

/**
 * Marches the cells of layer cz (between slices cz and cz + 1, inside bits `inB`, `inT`), with the
 * x/y edge cache planes of the bottom and top slice at xBo, xTo, yBo, yTo: row by row (marchRow).
 */
function marchLayer(
  s: Mesher, cz: number, inB: Int32Array, inT: Int32Array, anyB: Int32Array, anyT: Int32Array,
  first: boolean, last: boolean, xBo: number, xTo: number, yBo: number, yTo: number,
): void {
  const nx = s.nx, ny = s.ny, nz = s.nz;
  const W = nx + 2, H = ny + 2;
  const edgeKey = s.edgeKey;
  const edgeAxis = EDGE_AXIS, edgeDx = EDGE_DX, edgeDy = EDGE_DY, edgeDz = EDGE_DZ;
  const zo = 4 * W * H;
  const newEdges = first ? NEW_EDGES_FIRST_LAYER : NEW_EDGES;
  // new vertices to note for the slab boundary: x and y edges on the first layer's bottom plane
  // (1, 5) and on the last layer's top plane (3, 7)
  const boundaryEdges = (first ? (1 << 1) | (1 << 5) : 0) | (last ? (1 << 3) | (1 << 7) : 0);
  for (let e = 0; e < 12; e++) {
    const axis = edgeAxis[e], dx = edgeDx[e], dy = edgeDy[e], dz = edgeDz[e];
    if (axis === 0) edgeKey[e] = (dz ? xTo : xBo) + dy * W;
    else if (axis === 1) edgeKey[e] = (dz ? yTo : yBo) + dx;
    else edgeKey[e] = zo + dy * W + dx;
  }
  // padding corners of the cell (bit per corner), by layer, row and cell
  const padZ = (cz < 0 ? 0x0f : 0) | (cz + 1 >= nz ? 0xf0 : 0);
  for (let py = 0; py < H - 1; py++) {
    if ((anyB[py] | anyB[py + 1] | anyT[py] | anyT[py + 1]) === 0) continue;
    marchRow(s, cz, py, inB, inT, newEdges, boundaryEdges, padZ | (py === 0 ? 0x33 : 0) | (py === ny ? 0xcc : 0));
  }
}

/**
 * Marches row py of layer cz (see marchLayer; `padYZ`: the cells' padding corners by layer and row).
 * A function of its own, called per row: V8 then compiles it as a whole after a few calls. As a loop
 * inside marchLayer (called per layer) it ran in the browser from code compiled for its inner loops
 * (on-stack replacement), leaving it and going back at every row ("exit from OSR'd inner loop", 587
 * times in one build of the head CT).
 */
function marchRow(s: Mesher, cz: number, py: number, inB: Int32Array, inT: Int32Array, newEdges: number, boundaryEdges: number, padYZ: number): void {
  const nx = s.nx, ny = s.ny;
  const W = nx + 2, WK = (nx >> 5) + 1;
  const data = s.data, lo = s.lo, hi = s.hi, cache = s.cache, edgeKey = s.edgeKey, ev = s.ev, tri = s.tri;
  const cornerOffset = s.cornerOffset;
  const m = s.m;
  const m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7], m8 = m[8];
  const ox = m[9], oy = m[10], oz = m[11];
  const triOffsets = TRI_OFFSETS, firstUse = FIRST_USE, firstUseOffsets = FIRST_USE_OFFSETS;
  const edgeA = EDGE_A, edgeB = EDGE_B, edgeAxis = EDGE_AXIS, edgeDx = EDGE_DX, edgeDy = EDGE_DY, edgeDz = EDGE_DZ;
  let pos = s.pos, idx = s.idx, nv = s.nv, ni = s.ni;
  const k0 = py * WK;
  const k1 = k0 + WK;
  const rowP = py * W;
  const rowG = nx * (py - 1 + ny * cz) - 1; // data index of corner 0 of cell px: rowG + px
  // Word k of the four rows holds the right-hand corners (voxel px) of cells px = 32k + b at bit b;
  // the left-hand corners (voxel px − 1) are those words shifted up by one. A cell makes surface
  // unless its eight corners agree.
  let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
  for (let k = 0; k < WK; k++) {
    const a0 = inB[k0 + k], a1 = inB[k1 + k], a2 = inT[k0 + k], a3 = inT[k1 + k];
    const any = a0 | a1 | a2 | a3;
    if ((any | p0 | p1 | p2 | p3) !== 0) {
      const b0 = (a0 << 1) | (p0 >>> 31), b1 = (a1 << 1) | (p1 >>> 31);
      const b2 = (a2 << 1) | (p2 >>> 31), b3 = (a3 << 1) | (p3 >>> 31);
      let live = (any | b0 | b1 | b2 | b3) & ~(a0 & a1 & a2 & a3 & b0 & b1 & b2 & b3);
      while (live !== 0) {
        const bit = 31 - Math.clz32(live & -live);
        live &= live - 1;
        const config = columnCode(b0, b1, b2, b3, bit) | (columnCode(a0, a1, a2, a3, bit) << 1);
        const px = (k << 5) + bit;
        const p = rowP + px;
        const t0 = triOffsets[config];
        const t1 = triOffsets[config + 1];
        if (ni + (t1 - t0) > idx.length) {
          const grown = new Uint32Array(idx.length * 2);
          grown.set(idx);
          idx = grown;
        }
        if (3 * nv + 15 > pos.length) {
          const grown = new Float32Array(pos.length * 2);
          grown.set(pos);
          pos = grown;
        }
        const padMask = padYZ | (px === 0 ? 0x55 : 0) | (px === nx ? 0xaa : 0);
        const g0 = rowG + px;
        for (let q = firstUseOffsets[config], qEnd = firstUseOffsets[config + 1]; q < qEnd; q++) {
          const e = firstUse[q];
          const key = edgeKey[e] + p;
          if (((newEdges >> e) & 1) === 0) {
            ev[e] = cache[key];
            continue;
          }
          // New vertex on edge e, from its first corner a towards b: the fraction t from the inside
          // voxel towards the outside one is where the value crosses the bound the outside voxel
          // lies beyond, or half way (padding, or a masked-out voxel in range).
          const ca = edgeA[e], cb = edgeB[e];
          const aInside = ((config >> ca) & 1) === 1;
          const out = aInside ? cb : ca;
          let f = 0.5;
          if (((padMask >> out) & 1) === 0) {
            const vin = data[g0 + cornerOffset[aInside ? ca : cb]];
            const vout = data[g0 + cornerOffset[out]];
            // (an inside voxel out of range is a filled cavity's: half way too)
            if (vin > lo && vin < hi) {
              if (vout < lo) f = (vin - lo) / (vin - vout);
              else if (vout > hi) f = (hi - vin) / (vout - vin);
            }
          }
          const t = aInside ? f : 1 - f;
          const axis = edgeAxis[e];
          const i = px - 1 + edgeDx[e] + (axis === 0 ? t : 0);
          const j = py - 1 + edgeDy[e] + (axis === 1 ? t : 0);
          const kk = cz + edgeDz[e] + (axis === 2 ? t : 0);
          const o = 3 * nv;
          pos[o] = ox + m0 * i + m3 * j + m6 * kk;
          pos[o + 1] = oy + m1 * i + m4 * j + m7 * kk;
          pos[o + 2] = oz + m2 * i + m5 * j + m8 * kk;
          if (((boundaryEdges >> e) & 1) !== 0) {
            // plane key: the edge's first corner (padded), times two, plus one for y edges
            const planeKey = 2 * (p + (axis === 0 ? W : 1)) + axis;
            if (edgeDz[e] === 0) {
              s.bottomKeys.push(planeKey);
              s.bottomVertices.push(nv);
            } else {
              s.topKeys.push(planeKey);
              s.topVertices.push(nv);
            }
          }
          ev[e] = cache[key] = nv++;
        }
        for (let t = t0; t < t1; t++) idx[ni++] = ev[tri[t]];
      }
    }
    p0 = a0; p1 = a1; p2 = a2; p3 = a3;
  }
  s.pos = pos;
  s.idx = idx;
  s.nv = nv;
  s.ni = ni;
}

/** Boundary (plane key, vertex) pairs from parallel lists, in increasing key order. */
function boundaryPairs(keys: number[], vertices: number[]): Int32Array {
  const order = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const pairs = new Int32Array(2 * keys.length);
  for (let i = 0; i < order.length; i++) {
    pairs[2 * i] = keys[order[i]];
    pairs[2 * i + 1] = vertices[order[i]];
  }
  return pairs;
}

/** The classifier of `vol` for `range` and `mask` (inside as the header says). */
function makeClassifier(vol: Volume, range: ThresholdRange, mask: Uint8Array | null): Classifier {
  const [nx, ny, nz] = vol.dims;
  const data = vol.data;
  // The test on int16 values: inside ⇔ vMin ≤ v ≤ vMax.
  const vMin = Math.max(Math.floor(range.lower - 0.5) + 1, -32768);
  const vMax = Math.min(Math.ceil(range.upper + 0.5) - 1, 32767);
  const pairs = LITTLE_ENDIAN && nx % 2 === 0 && data.byteOffset % 4 === 0;
  const cuMin = vMin + 32768, cuMax = vMax + 1 + 32768; // biased bounds for classifyPairs
  return {
    data,
    mask,
    data32: pairs ? new Int32Array(data.buffer, data.byteOffset, data.length >> 1) : null,
    mask32: pairs && mask !== null && nx % 4 === 0 && mask.byteOffset % 4 === 0 ? new Int32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null,
    nx,
    ny,
    nz,
    WK: (nx >> 5) + 1,
    none: !(vMin <= vMax),
    below: vMin - 1,
    above: vMax + 1,
    kMin: Math.imul(0x8000 - (cuMin & 0x7fff), 0x10001),
    hiMin: cuMin >> 15,
    kMax: Math.imul(0x8000 - (cuMax & 0x7fff), 0x10001),
    hiMax: cuMax >> 15,
    bounded: vMax < 32767,
  };
}

/**
 * The inside bits of `vol`'s slices as marching cubes sees them (for counting, see meshEstimate.ts):
 * `classify(z, bits, any)` writes slice z (−1 … nz: outside it, padding) into `bits`, of `words`
 * 32-bit words: voxel (x, y) at bit x & 31 of word (y + 1)·WK + (x >> 5); padding rows and the bits
 * past nx (at least one per row) are 0. any[y + 1] ≠ 0 where row y holds anything (`any`: ny + 2 long).
 */
export function planeClassifier(vol: Volume, range: ThresholdRange, mask: Uint8Array | null) {
  const c = makeClassifier(vol, range, mask);
  return { WK: c.WK, words: c.WK * (vol.dims[1] + 2), classify: (z: number, bits: Int32Array, any: Int32Array) => classifyPlane(c, z, bits, any) };
}

/**
 * Edge cache reused across calls (per thread): entries are always written before they are read
 * within one call (see NEW_EDGES), so it is never cleared.
 */
let sharedCache = new Int32Array(0);

/** How marchSlab sizes its output (the mesh is the same either way). */
export interface SlabOptions {
  /** the vertices expected: the output starts that big instead of growing to it by doublings */
  vertices?: number;
  /**
   * views over the grown arrays instead of exact-length copies: for a slab that stays in this thread
   * until it is copied into the joined mesh (each copy is a fresh allocation, its pages touched anew)
   */
  views?: boolean;
}

export function marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, layers: [number, number], opts: SlabOptions = {}): MeshSlab {
  const [nx, ny, nz] = vol.dims;
  const data = vol.data;
  const W = nx + 2;
  const H = ny + 2;
  const planeSize = W * H;
  const lo = range.lower - 0.5;
  const hi = range.upper + 0.5; // inside ⇔ lo < v < hi, i.e. lower ≤ v ≤ upper for integers
  const m = patientMatrix(vol);
  const classifier = makeClassifier(vol, range, mask);
  const sliceSize = nx * ny;
  const s: Mesher = {
    data,
    nx,
    ny,
    nz,
    lo,
    hi,
    m: Float64Array.from([...m, ...vol.origin]),
    tri: det3(m) < 0 ? TRI_EDGES_FLIPPED : TRI_EDGES,
    cache: sharedCache.length >= 5 * planeSize ? sharedCache : (sharedCache = new Int32Array(5 * planeSize)),
    edgeKey: new Int32Array(12),
    cornerOffset: Int32Array.from([0, 1, nx, nx + 1, sliceSize, sliceSize + 1, sliceSize + nx, sliceSize + nx + 1]),
    ev: new Int32Array(12),
    // (a closed surface has about twice as many triangles as vertices)
    pos: new Float32Array(Math.max(1 << 15, 3 * Math.ceil(opts.vertices ?? 0) + 15)),
    idx: new Uint32Array(Math.max(1 << 15, 6 * Math.ceil(opts.vertices ?? 0))),
    nv: 0,
    ni: 0,
    bottomKeys: [],
    bottomVertices: [],
    topKeys: [],
    topVertices: [],
  };
  const WK = classifier.WK;
  let inB = new Int32Array(WK * H);
  let inT = new Int32Array(WK * H);
  let anyB = new Int32Array(H);
  let anyT = new Int32Array(H);
  let xBo = 0, xTo = planeSize, yBo = 2 * planeSize, yTo = 3 * planeSize;

  const [l0, l1] = layers;
  for (let l = l0; l < l1; l++) {
    const cz = l - 1;
    if (l === l0) classifyPlane(classifier, cz, inB, anyB);
    else {
      [inB, inT] = [inT, inB];
      [anyB, anyT] = [anyT, anyB];
      [xBo, xTo] = [xTo, xBo];
      [yBo, yTo] = [yTo, yBo];
    }
    classifyPlane(classifier, cz + 1, inT, anyT);
    marchLayer(s, cz, inB, inT, anyB, anyT, l === l0, l === l1 - 1, xBo, xTo, yBo, yTo);
  }
  return {
    positions: opts.views ? s.pos.subarray(0, 3 * s.nv) : s.pos.slice(0, 3 * s.nv),
    indices: opts.views ? s.idx.subarray(0, s.ni) : s.idx.slice(0, s.ni),
    bottom: boundaryPairs(s.bottomKeys, s.bottomVertices),
    top: boundaryPairs(s.topKeys, s.topVertices),
    planeKeys: 2 * planeSize,
  };
}

/**
 * What stitching needs to know of a slab before its vertices are placed: its counts, the plane keys
 * of its boundary vertices (in key order) and, for its top ones, their rank among the slab's new
 * vertices (those not on its lower boundary, which belong to the slab below).
 */
export interface SlabSummary {
  vertices: number;
  triangles: number;
  bottomKeys: Int32Array;
  topKeys: Int32Array;
  topRanks: Int32Array;
}

/** Rank of each of the slab's vertices among its new ones (−1: on the lower boundary). */
function newVertexRanks(slab: MeshSlab): Int32Array {
  const rank = new Int32Array(slab.positions.length / 3);
  for (let q = 1; q < slab.bottom.length; q += 2) rank[slab.bottom[q]] = -1;
  for (let v = 0, n = 0; v < rank.length; v++) if (rank[v] === 0) rank[v] = n++;
  return rank;
}

export function summarizeSlab(slab: MeshSlab): SlabSummary {
  const rank = newVertexRanks(slab);
  const nTop = slab.top.length / 2, nBottom = slab.bottom.length / 2;
  const topKeys = new Int32Array(nTop), topRanks = new Int32Array(nTop), bottomKeys = new Int32Array(nBottom);
  for (let i = 0; i < nTop; i++) {
    topKeys[i] = slab.top[2 * i];
    topRanks[i] = rank[slab.top[2 * i + 1]];
  }
  for (let i = 0; i < nBottom; i++) bottomKeys[i] = slab.bottom[2 * i];
  return { vertices: slab.positions.length / 3, triangles: slab.indices.length / 3, bottomKeys, topKeys, topRanks };
}

/**
 * Where each slab's vertices and triangles go in the joined mesh: the first new vertex and first
 * triangle of each slab, and the joined vertex of each lower boundary vertex (the slab below's top
 * vertex with the same plane key). Throws when neighbouring boundaries disagree.
 */
export function stitchPlan(slabs: SlabSummary[]): { vertices: number; triangles: number; vertexBase: number[]; triangleBase: number[]; bottomGlobal: Int32Array[] } {
  const vertexBase: number[] = [], triangleBase: number[] = [], bottomGlobal: Int32Array[] = [];
  let vertices = 0, triangles = 0;
  for (let s = 0; s < slabs.length; s++) {
    const slab = slabs[s];
    const below = slabs[s - 1];
    const joined = new Int32Array(slab.bottomKeys.length);
    if (s > 0) {
      // both lists are in key order: equal key lists match one to one
      const same = below.topKeys.length === slab.bottomKeys.length && below.topKeys.every((k, i) => k === slab.bottomKeys[i]);
      if (!same) throw new Error(`stitch: slab ${s} has a boundary vertex its neighbour lacks`);
      for (let i = 0; i < joined.length; i++) joined[i] = vertexBase[s - 1] + below.topRanks[i];
    } else if (slab.bottomKeys.length) throw new Error('stitch: the first slab has a lower boundary');
    vertexBase.push(vertices);
    triangleBase.push(triangles);
    bottomGlobal.push(joined);
    vertices += slab.vertices - slab.bottomKeys.length;
    triangles += slab.triangles;
  }
  return { vertices, triangles, vertexBase, triangleBase, bottomGlobal };
}

/** Writes a slab's new vertices and its triangles into the joined mesh, where stitchPlan put them. */
export function emitSlab(slab: MeshSlab, out: Mesh, vertexBase: number, triangleBase: number, bottomGlobal: Int32Array): void {
  const rank = newVertexRanks(slab);
  const global = globalVertices(rank, vertexBase, slab.bottom, bottomGlobal);
  writeNewVertices(slab.positions, rank, global, out.positions);
  writeTriangles(slab.indices, global, out.indices, 3 * triangleBase);
}

// emitSlab's loops, each a function of its own: V8 compiles a hot loop of a longer function by
// compiling that whole function again (on-stack replacement), once per loop, in every fresh worker.

/** Each slab vertex's number in the joined mesh: its new rank after vertexBase, or the lower boundary's joined vertex. */
function globalVertices(rank: Int32Array, vertexBase: number, bottom: Int32Array, bottomGlobal: Int32Array): Int32Array {
  const global = new Int32Array(rank.length);
  for (let v = 0; v < rank.length; v++) global[v] = vertexBase + rank[v];
  for (let i = 0; i < bottomGlobal.length; i++) global[bottom[2 * i + 1]] = bottomGlobal[i];
  return global;
}

function writeNewVertices(P: Float32Array, rank: Int32Array, global: Int32Array, OP: Float32Array): void {
  for (let v = 0; v < rank.length; v++) {
    if (rank[v] < 0) continue;
    const o = 3 * global[v];
    OP[o] = P[3 * v];
    OP[o + 1] = P[3 * v + 1];
    OP[o + 2] = P[3 * v + 2];
  }
}

function writeTriangles(I: Uint32Array, global: Int32Array, OI: Uint32Array, o: number): void {
  for (let q = 0; q < I.length; q++) OI[o + q] = global[I[q]];
}

/**
 * Joins slabs (in z order) into one mesh, merging the vertices each boundary plane holds twice; its
 * arrays from `alloc` (shared memory, for the stages after it on several threads). The pipeline does
 * the same over its workers (each slab placed by the worker that made it).
 */
export function stitchSlabs(slabs: MeshSlab[], alloc?: Alloc): Mesh {
  if (slabs.length === 1 && !alloc) return { positions: slabs[0].positions, indices: slabs[0].indices };
  const plan = stitchPlan(slabs.map(summarizeSlab));
  const out = { positions: typed(Float32Array, alloc ?? plainMemory, 3 * plan.vertices), indices: typed(Uint32Array, alloc ?? plainMemory, 3 * plan.triangles) };
  slabs.forEach((slab, s) => emitSlab(slab, out, plan.vertexBase[s], plan.triangleBase[s], plan.bottomGlobal[s]));
  return out;
}

/** Single-slab convenience: the whole volume at once. */
export function marchingCubes(vol: Volume, range: ThresholdRange, mask: Uint8Array | null = null): Mesh {
  return stitchSlabs([marchSlab(vol, range, mask, [0, vol.dims[2] + 1])]);
}

