// Hollow: a mask edit that leaves a shell of a given wall thickness around an enclosed cavity, with
// optional drain holes.
//
// API:
//   hollowMask(mask, geometry, opts) → HollowResult   (edits `mask` in place)
//     The cavity is every inside voxel (marching cubes' rule; see surfaceDistance.ts) farther than
//     opts.wallMm from the surface marching cubes will build: with opts.values (the volume and range
//     the mask is meshed with) that surface is sub-voxel, as in the app; without, it lies half way
//     between voxel centres. The grid counts as padded by outside voxels, as marching cubes pads it. The
//     cavity is enclosed by construction: every cavity voxel is more than a wall from the outer surface.
//     Existing enclosed voids (marrow) count as solid for that, so one deep inside joins the cavity
//     rather than keeping a loose shell of wall around itself; one nearer the surface than the wall
//     stays as it is. Enclosed as marching cubes sees it: a pocket whose only way out is an edge or a
//     corner is open (openPockets). A cavity voxel also keeps a whole 3 × 3 × 3 block of inside voxels around it (with
//     slices thicker than the wall the surface can lie beyond a voxel's outside neighbour, and marching
//     cubes joins background voxels that share an edge or corner), so a cavity never opens. Bits of
//     wall left joined only by an edge or corner (a spur whose root was carved) are removed
//     (crumbVoxels). Cavities under opts.minCavityMm3 stay solid. Cavity voxels
//     become 0, so marching cubes meshes the inner surface half way between a cavity voxel and a wall
//     voxel; the solid then has its outer surface plus one inner surface per cavity, wound inward
//     (outward for the solid: negative signed volume). Measured on spheres: shell volume within 0.5 %
//     of analytic when the wall is 4 voxels or more (1 mm at 0.25 mm), −1.9 % at 2 voxels.
//     Drain holes (opts.drain) are cylinders of diameterMm carved through the wall: at given points and
//     directions (a click on the surface, pointing into the model), and/or automatically from the lowest
//     voxel of every cavity along opts.drain.autoDown (the patient LPS direction that will point down on
//     the printer), drilled straight down through the bottom wall. Each hole says how much wall it
//     drilled and whether it reached a cavity.
//   innerRegion(mask, dims, spacing, wallMm, slices, inner, values?) → voxels marked: the cavity test
//     for slices [z0, z1) only, so a pool can split it (each call reads the slices ± the wall).
//
//   For a pool, hollowMask's three steps: prepareHollow(mask, geometry, opts, alloc) → HollowJob (the
//   work on the mask's bounding box grown by one voxel, in memory from `alloc`: shared for a pool), then
//   innerRegion over slice ranges of the job (hollowSlices(job, slices): any split, any worker), then
//   finishHollow(job, mask, opts) → HollowResult, which writes the box back into `mask`. hollowChunks
//   says how to split the slices. Before finishHollow, volumeBefore(job, layers) over the cell layers
//   of splitSlabs gives the volume the surface encloses before hollowing: the saved material measured
//   on the surface (voxel counts overstate it by about half a voxel over the cavity's surface: 18 % on
//   the phantom's skull at a 2 mm wall).
//
// Memory: the work is on the mask's box (the abdomen CT's bone: 3.5 of 25 Mvox), with three bytes a
// voxel for its copies (mask, mask with voids filled, cavity) and two for the values; the distance
// transform runs over z-chunks (opts.chunkVoxels voxels, 8 bytes each) with a halo of ⌈wall / z
// spacing⌉ + 1 slices, which makes the cavity test exact in each chunk (a surface vertex within a wall
// of a chunk voxel lies on an edge inside the halo).
import { componentSizes, fillCavities, MASK_FILLED, removeSmallPieces } from './components';
import type { Border } from './distance';
import { squaredSurfaceDistance, type Isosurface } from './surfaceDistance';
import { marchSlab } from './marchingCubes';
import { signedVolume } from './meshCheck';
import { plainMemory, typed, type Alloc } from './memory';
import { splitRange } from './split';
import type { ThresholdRange, Vec3, VolumeGeometry } from './types';

/** The volume's values and range, to place the surface as marching cubes does (sub-voxel). */
export interface Values {
  data: Int16Array;
  range: ThresholdRange;
}

export interface DrainHole {
  /** a point in patient mm: on the surface (a click), or inside a cavity */
  at: Vec3;
  /** from `at` through the wall: into the model for a point on the surface */
  direction: Vec3;
}

export interface HollowOptions {
  /** wall thickness, mm (> 0) */
  wallMm: number;
  /** cavities smaller than this stay solid (mm³); default 0: every cavity is kept */
  minCavityMm3?: number;
  drain?: {
    diameterMm: number;
    holes?: DrainHole[];
    /** one hole from the lowest point of every cavity, straight down through the wall */
    autoDown?: Vec3;
  };
  /** the volume and threshold the mask is meshed with: walls measured from the sub-voxel surface */
  values?: Values;
  /** voxels per distance-transform chunk (default 2^23; 8 bytes each) */
  chunkVoxels?: number;
}

export interface DrainReport extends DrainHole {
  /** length of wall drilled along the axis, mm (0: the axis never met the solid) */
  throughMm: number;
  /** the hole reaches a cavity at one end */
  opensCavity: boolean;
  /** voxels it removed */
  voxels: number;
}

export interface HollowResult {
  /** set voxels before hollowing */
  voxelsBefore: number;
  /** voxels removed: cavities plus drain holes */
  voxelsRemoved: number;
  solidBeforeMm3: number;
  solidAfterMm3: number;
  /** material saved, mm³ */
  savedMm3: number;
  /** enclosed cavities made (after dropping the small ones) */
  cavities: number;
  /** voxels of the bits of wall left joined only by an edge or corner, removed (included in voxelsRemoved) */
  crumbVoxels: number;
  drains: DrainReport[];
}

const DEFAULT_CHUNK = 1 << 23;

/** The 27 offsets of a voxel's 3 × 3 × 3 block: di for q in 0…26, then dj, then dk. */
const NEIGHBOURS = Int8Array.from({ length: 81 }, (_, n) => (Math.floor((n % 27) / 3 ** Math.floor(n / 27)) % 3) - 1);

/** Hollows `mask` in place (see the file header). */
export function hollowMask(mask: Uint8Array, geom: VolumeGeometry, opts: HollowOptions): HollowResult {
  const job = prepareHollow(mask, geom, opts);
  for (const z of hollowChunks(job, 1, opts.chunkVoxels)) hollowSlices(job, z);
  return finishHollow(job, mask, opts);
}

/** The work of one hollowing on the mask's box (see the file header); arrays from `alloc`. */
export interface HollowJob {
  /** the box: its first voxel in the full grid (of fullDims), and its geometry (origin moved there) */
  lo: Vec3;
  fullDims: Vec3;
  geometry: VolumeGeometry;
  /** the mask in the box */
  mask: Uint8Array;
  /** the same with its enclosed voids filled: the wall is measured from the outer surface only */
  solid: Uint8Array;
  /** the volume's values in the box, and the range (see Values) */
  values?: Values;
  /** the cavity, marked by hollowSlices */
  inner: Uint8Array;
  wallMm: number;
  voxelsBefore: number;
  piecesBefore: number;
}

/** Step 1: checks the options, copies the mask's box (grown by one voxel) and fills its enclosed voids. */
export function prepareHollow(mask: Uint8Array, geom: VolumeGeometry, opts: HollowOptions, alloc: Alloc = plainMemory): HollowJob {
  const [nx, ny, nz] = geom.dims;
  if (!(opts.wallMm > 0)) throw new RangeError(`hollow: the wall thickness must be > 0 mm, got ${opts.wallMm}`);
  if (mask.length !== nx * ny * nz) throw new RangeError(`hollow: mask has ${mask.length} voxels, dims ${geom.dims.join('×')} need ${nx * ny * nz}`);
  if (opts.drain && !(opts.drain.diameterMm > 0)) throw new RangeError(`hollow: the drain hole diameter must be > 0 mm, got ${opts.drain.diameterMm}`);
  // the box of the set voxels, grown by one voxel of outside (the grid counts as padded by outside
  // voxels beyond its faces, so a box on a face needs no more): distances and surfaces are the same in it
  const lo: Vec3 = [nx, ny, nz], hi: Vec3 = [-1, -1, -1];
  for (let k = 0, v = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++)
        if (mask[v] !== 0) {
          if (i < lo[0]) lo[0] = i;
          if (i > hi[0]) hi[0] = i;
          if (j < lo[1]) lo[1] = j;
          if (j > hi[1]) hi[1] = j;
          if (k < lo[2]) lo[2] = k;
          if (k > hi[2]) hi[2] = k;
        }
  if (hi[0] < 0) lo.fill(0), hi.fill(0);
  for (let a = 0; a < 3; a++) {
    lo[a] = Math.max(0, lo[a] - 1);
    hi[a] = Math.min(geom.dims[a] - 1, hi[a] + 1);
  }
  const dims: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const n = dims[0] * dims[1] * dims[2];
  const box = typed(Uint8Array, alloc, n);
  const data = opts.values ? typed(Int16Array, alloc, n) : null;
  for (let k = 0, b = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) {
      const from = lo[0] + nx * (lo[1] + j + ny * (lo[2] + k));
      box.set(mask.subarray(from, from + dims[0]), b);
      if (data) data.set(opts.values!.data.subarray(from, from + dims[0]), b);
      b += dims[0];
    }
  const m = indexMatrix(geom);
  const origin: Vec3 = [0, 1, 2].map((r) => geom.origin[r] + m[3 * r] * lo[0] + m[3 * r + 1] * lo[1] + m[3 * r + 2] * lo[2]) as Vec3;
  const geometry: VolumeGeometry = { dims, spacing: geom.spacing, origin, direction: geom.direction };
  const values = data ? { data, range: opts.values!.range } : undefined;
  const solid = typed(Uint8Array, alloc, n);
  solid.set(box);
  fillCavities(solid, dims);
  openPockets(solid, dims);
  return {
    lo,
    fullDims: geom.dims,
    geometry,
    mask: box,
    solid,
    values,
    inner: typed(Uint8Array, alloc, n),
    wallMm: opts.wallMm,
    voxelsBefore: countInside(box, values),
    piecesBefore: componentSizes(box, dims).length,
  };
}

/**
 * Empties again the filled voids that touch the outside at an edge or a corner: fillCavities finds voids
 * by faces, but marching cubes joins background voxels across edges and corners, so such a pocket is
 * open in the surface. Counted as solid, it would let the cavity grow up to it and open with it (the
 * abdomen CT's bone at a 2 mm wall: 8 of 9 cavities). Returns the voxels emptied.
 */
function openPockets(solid: Uint8Array, dims: Vec3): number {
  const [nx, ny] = dims;
  const plane = nx * ny;
  const step = (q: number) => NEIGHBOURS[q] + nx * NEIGHBOURS[q + 27] + plane * NEIGHBOURS[q + 54];
  let stack = new Int32Array(1024);
  let top = 0, emptied = 0;
  // (a filled voxel never lies on the box's faces: fillCavities counts those as outside)
  for (let v = 0; v < solid.length; v++) {
    if (solid[v] !== MASK_FILLED) continue;
    let open = false;
    for (let q = 0; q < 27 && !open; q++) open = solid[v + step(q)] === 0;
    if (!open) continue;
    solid[v] = 0;
    emptied++;
    stack[top++] = v;
    while (top > 0) {
      const u = stack[--top];
      for (let q = 0; q < 27; q++) {
        const w = u + step(q);
        if (solid[w] !== MASK_FILLED) continue;
        solid[w] = 0;
        emptied++;
        if (top === stack.length) {
          const grown = new Int32Array(2 * stack.length);
          grown.set(stack);
          stack = grown;
        }
        stack[top++] = w;
      }
    }
  }
  return emptied;
}

/** Slice ranges for step 2: at least `parts`, each at most `chunkVoxels` voxels (default 2^23: the distance transform then takes 64 MiB). */
export function hollowChunks(job: HollowJob, parts: number, chunkVoxels = DEFAULT_CHUNK): [number, number][] {
  const [nx, ny, nz] = job.geometry.dims;
  return splitRange(nz, Math.min(nz, Math.max(parts, Math.ceil((nx * ny * nz) / chunkVoxels))));
}

/** Step 2: the cavity in slices [z0, z1) of the job's box (any split, any thread). */
export function hollowSlices(job: HollowJob, slices: [number, number]): number {
  return innerRegion(job.solid, job.geometry.dims, job.geometry.spacing, job.wallMm, slices, job.inner, job.values);
}

/**
 * The volume (mm³) the isosurface of the job's box encloses in cell layers `layers` (see marchingCubes.ts
 * splitSlabs), before finishHollow carves: summed over a split, the model's volume before hollowing.
 * Needs the values (HollowOptions.values).
 */
export function volumeBefore(job: HollowJob, layers: [number, number]): number {
  if (!job.values) throw new Error('hollow: the volume before hollowing needs the values (HollowOptions.values)');
  return signedVolume(marchSlab({ ...job.geometry, data: job.values.data }, job.values.range, job.mask, layers));
}

/** Step 3: small cavities stay solid, the cavities are carved, crumbs go, drain holes; the box goes back into `mask`. */
export function finishHollow(job: HollowJob, mask: Uint8Array, opts: HollowOptions): HollowResult {
  const { geometry: geom, inner, values, voxelsBefore, piecesBefore } = job;
  const box = job.mask;
  const { dims } = geom;
  const voxelMm3 = voxelVolume(geom);
  let crumbs = 0;

  // 2. small cavities stay solid
  if ((opts.minCavityMm3 ?? 0) > 0) removeSmallPieces(inner, dims, Math.ceil(opts.minCavityMm3! / voxelMm3));
  const cavities = componentSizes(inner, dims).length;

  // 3. carve the cavities
  let removed = 0;
  for (let v = 0; v < box.length; v++)
    if (inner[v] !== 0) {
      if (isInside(box, values, v)) removed++;
      box[v] = 0;
    }

  // 4. crumbs: carving can leave bits of wall joined to the rest only by an edge or a corner (a spur
  //    whose root was deeper than the wall: separate pieces, loose in the print). Keep as many pieces
  //    as there were, the largest.
  if (removed > 0) {
    const after = componentSizes(box, dims);
    if (after.length > piecesBefore) {
      crumbs = removeSmallPieces(box, dims, after[piecesBefore - 1]).removed;
      removed += crumbs;
    }
  }

  // 5. drain holes
  const drains: DrainReport[] = [];
  if (opts.drain) {
    const r = opts.drain.diameterMm / 2;
    const holes = [...(opts.drain.holes ?? [])];
    if (opts.drain.autoDown) holes.push(...lowestPoints(inner, geom, opts.drain.autoDown).map((at) => ({ at, direction: opts.drain!.autoDown! })));
    for (const h of holes) {
      const d = drill(box, inner, geom, h, r, values);
      removed += d.voxels;
      drains.push(d);
    }
  }

  // the box back into the whole mask
  const [nx, ny, nz] = job.fullDims;
  if (mask.length !== nx * ny * nz) throw new RangeError(`hollow: mask has ${mask.length} voxels, the job's grid ${job.fullDims.join('×')}`);
  for (let k = 0, b = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) {
      mask.set(box.subarray(b, b + dims[0]), job.lo[0] + nx * (job.lo[1] + j + ny * (job.lo[2] + k)));
      b += dims[0];
    }
  const solidBeforeMm3 = voxelsBefore * voxelMm3;
  return {
    voxelsBefore,
    voxelsRemoved: removed,
    solidBeforeMm3,
    solidAfterMm3: (voxelsBefore - removed) * voxelMm3,
    savedMm3: removed * voxelMm3,
    cavities,
    crumbVoxels: crumbs,
    drains,
  };
}

/**
 * Marks inner[v] = 1 for the inside voxels of slices [z0, z1) farther than wallMm from the surface
 * (surfaceDistance.ts; the grid is padded by outside voxels, as marching cubes pads it), leaving the
 * other voxels of `inner` untouched. Returns how many it marked.
 */
export function innerRegion(
  mask: Uint8Array, dims: Vec3, spacing: Vec3, wallMm: number, slices: [number, number], inner: Uint8Array, values?: Values,
): number {
  const [nx, ny, nz] = dims;
  // a vertex within the wall of a slice lies on an edge whose voxels are within the wall + 1 slice
  const halo = Math.ceil(wallMm / spacing[2]) + 1;
  const za = Math.max(0, slices[0] - halo), zb = Math.min(nz, slices[1] + halo);
  const plane = nx * ny;
  const iso: Isosurface = {
    mask: mask.subarray(za * plane, zb * plane),
    data: values?.data.subarray(za * plane, zb * plane),
    range: values?.range,
  };
  // the chunk's z faces are the grid's only where it reaches them
  const border: Border = [true, true, true, true, za === 0, zb === nz];
  const d = squaredSurfaceDistance(iso, [nx, ny, zb - za], spacing, { border });
  const t2 = wallMm * wallMm;
  let marked = 0;
  const from = (slices[0] - za) * plane, to = (slices[1] - za) * plane, off = za * plane;
  for (let v = from; v < to; v++) {
    if (!(d[v] > t2)) continue;
    const g = off + v;
    // A cavity voxel keeps at least one voxel of wall all round, diagonals included: with slices
    // thicker than the wall the surface can lie farther than the wall beyond a voxel whose neighbour is
    // outside, and marching cubes joins background voxels that touch at an edge or a corner.
    const i = g % nx, j = ((g - i) / nx) % ny, k = (g - i - nx * j) / plane;
    if (i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1) continue;
    let enclosed = true;
    for (let q = 0; q < 27 && enclosed; q++) enclosed = isInside(mask, values, g + NEIGHBOURS[q] + nx * NEIGHBOURS[q + 27] + plane * NEIGHBOURS[q + 54]);
    if (!enclosed) continue;
    inner[g] = 1;
    marked++;
  }
  return marked;
}

/** Marching cubes' inside rule: MASK_FILLED, or set and (with values) in range. */
function isInside(mask: Uint8Array, values: Values | undefined, v: number): boolean {
  const m = mask[v];
  if (m === 0) return false;
  if (!values || m === MASK_FILLED) return true;
  const x = values.data[v];
  return x >= values.range.lower && x <= values.range.upper;
}

/** mm³ of one voxel: the spacings times |det| of the direction cosines (sheared stacks included). */
export function voxelVolume(g: VolumeGeometry): number {
  const d = g.direction;
  const det = d[0] * (d[4] * d[8] - d[5] * d[7]) - d[3] * (d[1] * d[8] - d[2] * d[7]) + d[6] * (d[1] * d[5] - d[2] * d[4]);
  return g.spacing[0] * g.spacing[1] * g.spacing[2] * Math.abs(det);
}

function countInside(mask: Uint8Array, values: Values | undefined): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (isInside(mask, values, v)) n++;
  return n;
}

/** Index → patient: p = origin + M·(i, j, k), M's columns dirI·si, dirJ·sj, dirK·sk. */
function indexMatrix(g: VolumeGeometry): number[] {
  const [si, sj, sk] = g.spacing, d = g.direction;
  return [d[0] * si, d[3] * sj, d[6] * sk, d[1] * si, d[4] * sj, d[7] * sk, d[2] * si, d[5] * sj, d[8] * sk]; // row-major
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

const unit = (v: Vec3): Vec3 => {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new RangeError('hollow: a drain hole direction must not be zero');
  return [v[0] / n, v[1] / n, v[2] / n];
};

/**
 * The lowest voxel centre (patient mm) of every face-connected cavity along `down`, by a flood fill
 * over a copy of `inner`.
 */
function lowestPoints(inner: Uint8Array, g: VolumeGeometry, downDir: Vec3): Vec3[] {
  const [nx, ny, nz] = g.dims;
  const plane = nx * ny;
  const down = unit(downDir);
  const m = indexMatrix(g);
  // height along `down` per index step
  const hi = m[0] * down[0] + m[3] * down[1] + m[6] * down[2];
  const hj = m[1] * down[0] + m[4] * down[1] + m[7] * down[2];
  const hk = m[2] * down[0] + m[5] * down[1] + m[8] * down[2];
  const seen = inner.slice();
  let stack = new Int32Array(1024);
  const out: Vec3[] = [];
  for (let v0 = 0; v0 < seen.length; v0++) {
    if (seen[v0] === 0) continue;
    seen[v0] = 0;
    let top = 0;
    stack[top++] = v0;
    let best = v0, bestH = -Infinity;
    while (top > 0) {
      const v = stack[--top];
      const i = v % nx, j = ((v - i) / nx) % ny, k = Math.floor(v / plane);
      const h = hi * i + hj * j + hk * k;
      if (h > bestH) (bestH = h), (best = v);
      if (top + 6 > stack.length) {
        const grown = new Int32Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      if (i > 0 && seen[v - 1]) (seen[v - 1] = 0), (stack[top++] = v - 1);
      if (i < nx - 1 && seen[v + 1]) (seen[v + 1] = 0), (stack[top++] = v + 1);
      if (j > 0 && seen[v - nx]) (seen[v - nx] = 0), (stack[top++] = v - nx);
      if (j < ny - 1 && seen[v + nx]) (seen[v + nx] = 0), (stack[top++] = v + nx);
      if (k > 0 && seen[v - plane]) (seen[v - plane] = 0), (stack[top++] = v - plane);
      if (k < nz - 1 && seen[v + plane]) (seen[v + plane] = 0), (stack[top++] = v + plane);
    }
    const i = best % nx, j = ((best - i) / nx) % ny, k = Math.floor(best / plane);
    out.push([
      g.origin[0] + m[0] * i + m[1] * j + m[2] * k,
      g.origin[1] + m[3] * i + m[4] * j + m[5] * k,
      g.origin[2] + m[6] * i + m[7] * j + m[8] * k,
    ]);
  }
  return out;
}

/**
 * Drills one drain hole: walks the axis from `at` (starting two voxels before it) to the first solid
 * voxel, on through the solid to the first voxel that is not, and clears every voxel whose centre lies
 * within r of that stretch of axis, extended by 2r + one voxel at both ends so the hole opens fully where
 * the wall meets the axis at a slant.
 */
function drill(mask: Uint8Array, inner: Uint8Array, g: VolumeGeometry, hole: DrainHole, r: number, values: Values | undefined): DrainReport {
  const [nx, ny, nz] = g.dims;
  const u = unit(hole.direction);
  const m = indexMatrix(g);
  const inv = invert3(m);
  const o = g.origin;
  const toIndex = (p: Vec3): Vec3 => {
    const x = p[0] - o[0], y = p[1] - o[1], z = p[2] - o[2];
    return [inv[0] * x + inv[1] * y + inv[2] * z, inv[3] * x + inv[4] * y + inv[5] * z, inv[6] * x + inv[7] * y + inv[8] * z];
  };
  const voxelAt = (t: number): number => {
    const [i, j, k] = toIndex([hole.at[0] + t * u[0], hole.at[1] + t * u[1], hole.at[2] + t * u[2]]);
    const a = Math.round(i), b = Math.round(j), c = Math.round(k);
    return a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz ? -1 : a + nx * (b + ny * c);
  };
  const smin = Math.min(...g.spacing), smax = Math.max(...g.spacing);
  const step = smin / 4;
  const tMax = Math.hypot(nx * g.spacing[0], ny * g.spacing[1], nz * g.spacing[2]);
  let t = -2 * smax;
  // to the first solid voxel …
  let before = -1;
  while (t < tMax) {
    const v = voxelAt(t);
    if (v >= 0 && isInside(mask, values, v)) break;
    before = v;
    t += step;
  }
  const report: DrainReport = { ...hole, throughMm: 0, opensCavity: false, voxels: 0 };
  if (t >= tMax) return report;
  const t0 = t;
  // … and through it
  let after = -1;
  while (t < tMax) {
    const v = voxelAt(t);
    if (v < 0 || !isInside(mask, values, v)) {
      after = v;
      break;
    }
    t += step;
  }
  const t1 = t;
  report.throughMm = t1 - t0;
  report.opensCavity = (before >= 0 && inner[before] !== 0) || (after >= 0 && inner[after] !== 0);
  const ext = 2 * r + smax;
  const a: Vec3 = [hole.at[0] + (t0 - ext) * u[0], hole.at[1] + (t0 - ext) * u[1], hole.at[2] + (t0 - ext) * u[2]];
  const b: Vec3 = [hole.at[0] + (t1 + ext) * u[0], hole.at[1] + (t1 + ext) * u[1], hole.at[2] + (t1 + ext) * u[2]];
  report.voxels = carveCylinder(mask, g, a, b, r, m, toIndex, values);
  return report;
}

/** Clears the voxels whose centres lie within r of segment ab (patient mm); returns how many were set. */
function carveCylinder(
  mask: Uint8Array, g: VolumeGeometry, a: Vec3, b: Vec3, r: number, m: number[], toIndex: (p: Vec3) => Vec3, values: Values | undefined,
): number {
  const [nx, ny] = g.dims;
  const ia = toIndex(a), ib = toIndex(b);
  const pad = g.spacing.map((s) => r / s + 1);
  const lo = [0, 1, 2].map((c) => Math.max(0, Math.floor(Math.min(ia[c], ib[c]) - pad[c])));
  const hi = [0, 1, 2].map((c) => Math.min(g.dims[c] - 1, Math.ceil(Math.max(ia[c], ib[c]) + pad[c])));
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
  const o = g.origin;
  let cleared = 0;
  for (let k = lo[2]; k <= hi[2]; k++)
    for (let j = lo[1]; j <= hi[1]; j++)
      for (let i = lo[0]; i <= hi[0]; i++) {
        const v = i + nx * (j + ny * k);
        if (mask[v] === 0) continue;
        const px = o[0] + m[0] * i + m[1] * j + m[2] * k - a[0];
        const py = o[1] + m[3] * i + m[4] * j + m[5] * k - a[1];
        const pz = o[2] + m[6] * i + m[7] * j + m[8] * k - a[2];
        const t = Math.max(0, Math.min(1, (px * ab[0] + py * ab[1] + pz * ab[2]) / len2));
        const dx = px - t * ab[0], dy = py - t * ab[1], dz = pz - t * ab[2];
        if (dx * dx + dy * dy + dz * dz <= r * r) {
          if (isInside(mask, values, v)) cleared++;
          mask[v] = 0;
        }
      }
  return cleared;
}
