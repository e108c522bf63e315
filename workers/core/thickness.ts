// Wall-thickness map: the local thickness of the solid at every vertex of a closed mesh, in mm.
//
// Definition (Hildebrand & Rüegsegger 1997): the local thickness at a point is the diameter of the
// largest ball that contains the point and lies inside the solid. At a point p of a smooth surface such
// a ball touches the surface at p, so its centre lies on the inward normal: the thickness at p is 2r for
// the largest r with ball(p + r·n, r) inside the solid. That ball is found with the shrinking-ball
// algorithm (Ma, Bae, Choi & Rossignac 2012): start with a ball that is too big (or grow one until it
// is), find the surface point q nearest to its centre; while q lies inside the ball, replace the ball by
// the one through q tangent at p, r = |p − q|² / (2 n·(q − p)). The nearest points are exact points on
// the triangles (a bounding-volume hierarchy over them), so the result is the mesh's own thickness:
// exact for planes, cylinders and spheres up to the mesh's faceting, whatever the voxel size, and a
// decimated mesh does not let the ball slip between sparse vertices.
//
// Why not the voxel local-thickness map (balls centred on voxel centres, from the distance transform):
// centred on the grid, the largest ball of a slab is off the mid-plane by up to half a voxel, so a wall
// of n voxels reads one voxel thin or thick by parity; here the ball's centre is continuous. (The sub-
// voxel distance of surfaceDistance.ts fixes the radius but not the centre.)
//
// Across, not beside: a contact q counts only when it lies across the material from p, i.e. when q − p
// is within 45° of the inward normal (the angle p–centre–q of the ball through q is at least 90°), and
// p's own facets never count. Ma et al. use such a separation angle against noise (the facets next to
// p); it also keeps a blunt convex edge (a cube's 90° edge, a rounded ridge) from reading as a thin
// wall near it, while a wedge sharper than 90° still does (its contact lies at half its angle). A
// slab's contact is straight across, a cylinder's and a sphere's across their diameter.
//
// API:
//   wallThickness(mesh, opts) → { thicknessMm (per vertex), thinnest {mm, vertex, at}, thin (vertices
//     under opts.minMm) }. opts.maxMm caps the measure (default: the bounding box's diagonal).
//   For a pool (thicknessPool.ts): prepareThickness(mesh, maxMm, sharedMemory) (the positions, the tree
//   and the normals: typed arrays in memory every worker sees) then thicknessOfVertices(prepared, [v0, v1),
//   out) over vertex ranges. Every vertex is measured alike, so the split changes nothing.
import { typed, type Alloc } from './memory';
import type { Mesh, Vec3 } from './types';

export interface ThicknessOptions {
  /** vertices thinner than this are listed in `thin` (the printer's minimum wall) */
  minMm?: number;
  /** thickness is not measured beyond this (default: the bounding box's diagonal) */
  maxMm?: number;
}

export interface ThicknessResult {
  /** per vertex: the diameter (mm) of the largest inscribed ball touching the surface there; NaN at a
   *  vertex of no area (no normal) */
  thicknessMm: Float32Array;
  /** the thinnest place: its thickness, vertex and position (patient mm); null for an empty mesh */
  thinnest: { mm: number; vertex: number; at: Vec3 } | null;
  /** vertices thinner than opts.minMm, thinnest first */
  thin: Uint32Array;
}

/** What thicknessOfVertices needs, as typed arrays (cheap to send to a worker). */
export interface PreparedThickness {
  positions: Float32Array;
  /** unit inward normal per vertex (area-weighted) */
  inward: Float32Array;
  tree: TriangleTree;
  maxMm: number;
}

/**
 * Bounding-volume hierarchy over triangles: nodes in depth-first order, each leaf's triangles side by
 * side (their corners copied in leaf order: a query reads a leaf from one place, not through the
 * indices into the positions).
 */
export interface TriangleTree {
  /** per node: min x, y, z, max x, y, z */
  boxes: Float64Array;
  /** per node: for a leaf, −(first triangle slot + 1); for an inner node, its second child */
  child: Int32Array;
  /** per leaf: triangle count */
  count: Int32Array;
  /** per triangle slot (leaf order): its corners' x, y, z (9 numbers) */
  corners: Float32Array;
  /** per triangle slot: its 3 vertices */
  vertices: Uint32Array;
  /** per triangle slot: its plane, unit normal and offset (0, 0, 0, 0 for a triangle of no area) */
  planes: Float64Array;
}

const LEAF = 4;
/** mm²: far above the rounding of a squared distance in millimetres, far below anything measured */
const PLANE_MARGIN = 1e-9;
/** A contact q counts when q − p is within this angle of the inward normal (see the header). */
const COS_ACROSS = Math.cos((45 * Math.PI) / 180);
const MAX_ITERATIONS = 40;
const NORMAL_RINGS = 1;
/**
 * A normal off by β shortens the ball of a round wall by about β·r (its contact sits at the edge of the
 * 45° cone): on a sphere of 16 mm, 1.3° of facet noise (Taubin-smoothed marching cubes) cost 0.4 mm.
 * HR's ball only has to contain p, so the centre line is tilted away from the contact, by TILT (tan 3°)
 * and halving, while the ball grows.
 */
const TILT = Math.tan((3 * Math.PI) / 180);
const TILT_STEPS = 5;

export function wallThickness(mesh: Mesh, opts: ThicknessOptions = {}): ThicknessResult {
  const prepared = prepareThickness(mesh, opts.maxMm);
  const nv = mesh.positions.length / 3;
  const thicknessMm = new Float32Array(nv);
  thicknessOfVertices(prepared, [0, nv], thicknessMm);
  return summarize(mesh, thicknessMm, opts.minMm);
}

/** The thinnest vertex and the vertices under minMm, from a per-vertex map. */
export function summarize(mesh: Mesh, thicknessMm: Float32Array, minMm?: number): ThicknessResult {
  const P = mesh.positions;
  let best = -1;
  for (let v = 0; v < thicknessMm.length; v++) if (best < 0 || thicknessMm[v] < thicknessMm[best] || Number.isNaN(thicknessMm[best])) best = v;
  if (best >= 0 && Number.isNaN(thicknessMm[best])) best = -1;
  const thin: number[] = [];
  if (minMm !== undefined) for (let v = 0; v < thicknessMm.length; v++) if (thicknessMm[v] < minMm) thin.push(v);
  thin.sort((a, b) => thicknessMm[a] - thicknessMm[b]);
  return {
    thicknessMm,
    thinnest: best < 0 ? null : { mm: thicknessMm[best], vertex: best, at: [P[3 * best], P[3 * best + 1], P[3 * best + 2]] },
    thin: Uint32Array.from(thin),
  };
}

/**
 * The normals and the tree of `mesh`. With `alloc` (e.g. sharedMemory) its positions are copied and
 * everything made lives there; without, the result holds the mesh's own positions.
 */
export function prepareThickness(mesh: Mesh, maxMm?: number, alloc?: Alloc): PreparedThickness {
  const P = alloc ? copyTo(mesh.positions, Float32Array, alloc) : mesh.positions;
  const I = mesh.indices;
  const nv = P.length / 3;
  // inward normals: minus the area-weighted sum of the face normals
  const inward = alloc ? typed(Float32Array, alloc, 3 * nv) : new Float32Array(3 * nv);
  const acc = new Float64Array(3 * nv);
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
    const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
    for (const q of [a, b, c]) {
      acc[q] -= nx;
      acc[q + 1] -= ny;
      acc[q + 2] -= nz;
    }
  }
  normalizeInto(acc, inward);
  // smooth the normals over NORMAL_RINGS rings of neighbours: a facet's tilt (a few degrees, up to 15° on
  // raw marching cubes) shortens the chord across a curved wall by the cosine of the tilt
  for (let pass = 0; pass < NORMAL_RINGS; pass++) {
    acc.fill(0);
    for (let t = 0; t < I.length; t += 3)
      for (let k = 0; k < 3; k++) {
        const a = 3 * I[t + k];
        for (let j = 0; j < 3; j++) acc[a + j] += inward[3 * I[t + ((k + 1) % 3)] + j] + inward[3 * I[t + ((k + 2) % 3)] + j];
      }
    normalizeInto(acc, inward);
  }
  const built = buildTree(P, I);
  const tree = alloc
    ? {
        boxes: copyTo(built.boxes, Float64Array, alloc),
        child: copyTo(built.child, Int32Array, alloc),
        count: copyTo(built.count, Int32Array, alloc),
        corners: copyTo(built.corners, Float32Array, alloc),
        vertices: copyTo(built.vertices, Uint32Array, alloc),
        planes: copyTo(built.planes, Float64Array, alloc),
      }
    : built;
  const b = tree.boxes;
  const diagonal = I.length ? Math.hypot(b[3] - b[0], b[4] - b[1], b[5] - b[2]) : 0;
  return { positions: P, inward, tree, maxMm: maxMm ?? diagonal };
}

/** Thickness (mm) of vertices [v0, v1) into out[v] (NaN where a vertex has no normal: no area). */
export function thicknessOfVertices(pre: PreparedThickness, range: [number, number], out: Float32Array): void {
  const P = pre.positions, N = pre.inward;
  const rMax = pre.maxMm / 2;
  const q = new Float64Array(3);
  const stack = new Int32Array(128);
  const eps = 1e-5 * (pre.maxMm + 1);
  // every vertex starts alike (no warm start from its neighbour), so a pool's split changes nothing
  const start = rMax / 16;
  for (let v = range[0]; v < range[1]; v++) {
    const p: Vec3 = [P[3 * v], P[3 * v + 1], P[3 * v + 2]];
    let n: Vec3 = [N[3 * v], N[3 * v + 1], N[3 * v + 2]];
    if (n[0] === 0 && n[1] === 0 && n[2] === 0) {
      out[v] = NaN;
      continue;
    }
    let r = shrink(pre, v, p, n, start, rMax, eps, q, stack);
    // Tilt the ball away from its contact while that lets it grow: the largest ball through p need
    // not be centred exactly on the mesh's normal (see TILT)
    let k = TILT;
    for (let step = 0; step < TILT_STEPS && r < rMax; step++) {
      const e: Vec3 = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
      const along = e[0] * n[0] + e[1] * n[1] + e[2] * n[2];
      const w: Vec3 = [e[0] - along * n[0], e[1] - along * n[1], e[2] - along * n[2]];
      const wl = Math.hypot(w[0], w[1], w[2]);
      if (!(wl > 1e-9 * (r + 1))) break;
      const t: Vec3 = [n[0] - (k * w[0]) / wl, n[1] - (k * w[1]) / wl, n[2] - (k * w[2]) / wl];
      const tl = Math.hypot(t[0], t[1], t[2]);
      const tilted: Vec3 = [t[0] / tl, t[1] / tl, t[2] / tl];
      const q0 = q[0], q1 = q[1], q2 = q[2];
      const r2 = shrink(pre, v, p, tilted, r, rMax, eps, q, stack);
      if (r2 > r) {
        r = r2;
        n = tilted;
      } else {
        q[0] = q0;
        q[1] = q1;
        q[2] = q2;
        k /= 2;
      }
    }
    out[v] = 2 * r;
  }
}

/**
 * Radius of the largest ball tangent at p with centre along n that holds no contact across from p
 * (see the header); its last contact is left in q.
 */
function shrink(pre: PreparedThickness, v: number, p: Vec3, n: Vec3, start: number, rMax: number, eps: number, q: Float64Array, stack: Int32Array): number {
  // is there a contact across from p inside the ball of radius rr tangent at p? (into q)
  const contact = (rr: number): boolean => {
    const bound = (rr - eps) ** 2;
    return nearest(pre.tree, p[0] + rr * n[0], p[1] + rr * n[1], p[2] + rr * n[2], q, stack, bound, p, n, v) < bound;
  };
  // Grow from `start` until the ball holds a contact (or reaches the cap) …
  let r = Math.min(Math.max(start, 1e-3), rMax);
  let hit = false;
  while (r < rMax && !(hit = contact(r))) r = Math.min(rMax, r * 2);
  // … then shrink: the ball through the contact q, tangent at p (a contact the growth found is not asked
  // for again: the queries are the cost, about 30 a vertex)
  if (!hit) hit = contact(r);
  for (let it = 0; it < MAX_ITERATIONS && hit; it++) {
    const dx = q[0] - p[0], dy = q[1] - p[1], dz = q[2] - p[2];
    const next = (dx * dx + dy * dy + dz * dz) / (2 * (dx * n[0] + dy * n[1] + dz * n[2]));
    if (!(next < r)) break;
    r = next;
    if (it + 1 < MAX_ITERATIONS) hit = contact(r);
  }
  return r;
}

function copyTo<T extends Float32Array | Float64Array | Int32Array | Uint32Array>(a: T, Type: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number }, alloc: Alloc): T {
  const out = typed(Type, alloc, a.length);
  out.set(a as never);
  return out;
}

function normalizeInto(acc: Float64Array, out: Float32Array): void {
  for (let v = 0; v < out.length; v += 3) {
    const l = Math.hypot(acc[v], acc[v + 1], acc[v + 2]);
    for (let k = 0; k < 3; k++) out[v + k] = l > 0 ? acc[v + k] / l : 0;
  }
}

/** Builds the tree: median split of triangle centroids along the longest axis, LEAF triangles a leaf. */
function buildTree(P: Float32Array, I: Uint32Array): TriangleTree {
  const nt = I.length / 3;
  const order = new Uint32Array(nt);
  const cen = new Float64Array(3 * nt);
  const tb = new Float64Array(6 * nt); // per-triangle box
  for (let t = 0; t < nt; t++) {
    order[t] = t;
    for (let k = 0; k < 3; k++) {
      const a = P[3 * I[3 * t] + k], b = P[3 * I[3 * t + 1] + k], c = P[3 * I[3 * t + 2] + k];
      cen[3 * t + k] = (a + b + c) / 3;
      tb[6 * t + k] = Math.min(a, b, c);
      tb[6 * t + 3 + k] = Math.max(a, b, c);
    }
  }
  const maxNodes = Math.max(1, 2 * Math.ceil(nt / LEAF) * 2);
  let boxes = new Float64Array(6 * maxNodes);
  let child = new Int32Array(maxNodes);
  let count = new Int32Array(maxNodes);
  let nodes = 0;
  const build = (lo: number, hi: number): number => {
    const node = nodes++;
    if (node >= child.length) {
      const b2 = new Float64Array(boxes.length * 2), c2 = new Int32Array(child.length * 2), n2 = new Int32Array(count.length * 2);
      b2.set(boxes);
      c2.set(child);
      n2.set(count);
      boxes = b2;
      child = c2;
      count = n2;
    }
    const mn = [Infinity, Infinity, Infinity], mx = [-Infinity, -Infinity, -Infinity];
    const cmn = [Infinity, Infinity, Infinity], cmx = [-Infinity, -Infinity, -Infinity];
    for (let i = lo; i < hi; i++) {
      const t = order[i];
      for (let k = 0; k < 3; k++) {
        mn[k] = Math.min(mn[k], tb[6 * t + k]);
        mx[k] = Math.max(mx[k], tb[6 * t + 3 + k]);
        cmn[k] = Math.min(cmn[k], cen[3 * t + k]);
        cmx[k] = Math.max(cmx[k], cen[3 * t + k]);
      }
    }
    for (let k = 0; k < 3; k++) {
      boxes[6 * node + k] = mn[k];
      boxes[6 * node + 3 + k] = mx[k];
    }
    if (hi - lo <= LEAF) {
      child[node] = -(lo + 1);
      count[node] = hi - lo;
      return node;
    }
    const axis = cmx[0] - cmn[0] >= cmx[1] - cmn[1] && cmx[0] - cmn[0] >= cmx[2] - cmn[2] ? 0 : cmx[1] - cmn[1] >= cmx[2] - cmn[2] ? 1 : 2;
    const mid = (lo + hi) >> 1;
    select(order, cen, axis, lo, hi - 1, mid);
    build(lo, mid);
    child[node] = build(mid, hi);
    return node;
  };
  if (nt > 0) build(0, nt);
  const corners = new Float32Array(9 * nt);
  const vertices = new Uint32Array(3 * nt);
  const planes = new Float64Array(4 * nt);
  for (let i = 0; i < nt; i++) {
    for (let k = 0; k < 3; k++) {
      const v = I[3 * order[i] + k];
      vertices[3 * i + k] = v;
      corners[9 * i + 3 * k] = P[3 * v];
      corners[9 * i + 3 * k + 1] = P[3 * v + 1];
      corners[9 * i + 3 * k + 2] = P[3 * v + 2];
    }
    const c = 9 * i;
    const ux = corners[c + 3] - corners[c], uy = corners[c + 4] - corners[c + 1], uz = corners[c + 5] - corners[c + 2];
    const wx = corners[c + 6] - corners[c], wy = corners[c + 7] - corners[c + 1], wz = corners[c + 8] - corners[c + 2];
    const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
    const l = Math.hypot(nx, ny, nz);
    if (l > 0) {
      planes[4 * i] = nx / l;
      planes[4 * i + 1] = ny / l;
      planes[4 * i + 2] = nz / l;
      planes[4 * i + 3] = (nx * corners[c] + ny * corners[c + 1] + nz * corners[c + 2]) / l;
    }
  }
  return { boxes: boxes.slice(0, 6 * nodes), child: child.slice(0, nodes), count: count.slice(0, nodes), corners, vertices, planes };
}

/** Quickselect: order[lo … hi] partitioned so that order[k] has the k-th smallest centroid along axis. */
function select(order: Uint32Array, cen: Float64Array, axis: number, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = cen[3 * order[(lo + hi) >> 1] + axis];
    let i = lo, j = hi;
    while (i <= j) {
      while (cen[3 * order[i] + axis] < pivot) i++;
      while (cen[3 * order[j] + axis] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The box distances beside nearest's stack (a thread runs one query at a time). */
const DISTANCES = new Float64Array(128);

const boxDistance2 = (b: Float64Array, o: number, x: number, y: number, z: number): number => {
  const dx = Math.max(b[o] - x, 0, x - b[o + 3]);
  const dy = Math.max(b[o + 1] - y, 0, y - b[o + 4]);
  const dz = Math.max(b[o + 2] - z, 0, z - b[o + 5]);
  return dx * dx + dy * dy + dz * dz;
};

/**
 * Squared distance from (x, y, z) to the nearest point of the mesh closer than sqrt(bound); the point
 * goes into `out` (bound is returned when there is none). With `from` and `dir`, only points q with
 * q − from within 45° of dir count (contacts across the material); triangles using vertex
 * `skipVertex` are left out (a vertex's own facets lie beside it).
 */
export function nearest(
  tree: TriangleTree, x: number, y: number, z: number, out: Float64Array, stack: Int32Array,
  bound = Infinity, from?: Vec3, dir?: Vec3, skipVertex = -1,
): number {
  const { boxes, child, count, corners, vertices, planes } = tree;
  let best = bound;
  if (child.length === 0) return best;
  // depth first, the nearer child first; a node's box distance is computed once, when its parent is
  // opened, and kept beside it on the stack (the far child waits there; the near one is opened next)
  let top = 0;
  let node = 0;
  let dn = boxDistance2(boxes, 0, x, y, z);
  for (;;) {
    if (dn < best) {
      const c = child[node];
      if (c >= 0) {
        const a = node + 1;
        const da = boxDistance2(boxes, 6 * a, x, y, z), dc = boxDistance2(boxes, 6 * c, x, y, z);
        if (da < dc) {
          if (dc < best) {
            stack[top] = c;
            DISTANCES[top++] = dc;
          }
          node = a;
          dn = da;
        } else {
          if (da < best) {
            stack[top] = a;
            DISTANCES[top++] = da;
          }
          node = c;
          dn = dc;
        }
        continue;
      }
      const first = -c - 1;
      for (let i = first, e = first + count[node]; i < e; i++) {
        if (vertices[3 * i] === skipVertex || vertices[3 * i + 1] === skipVertex || vertices[3 * i + 2] === skipVertex) continue;
        // the triangle's plane is no nearer than the triangle (with a margin over rounding)
        const h = planes[4 * i] * x + planes[4 * i + 1] * y + planes[4 * i + 2] * z - planes[4 * i + 3];
        if (h * h > best + PLANE_MARGIN) continue;
        const d = closestOnTriangle(corners, 9 * i, 9 * i + 3, 9 * i + 6, x, y, z, best, out, from, dir);
        if (d < best) best = d;
      }
    }
    if (top === 0) break;
    node = stack[--top];
    dn = DISTANCES[top];
  }
  return best;
}

/**
 * Closest point of triangle (a, b, c) to p (Ericson, Real-Time Collision Detection 5.1.5); writes it
 * into `out` and returns the squared distance when it beats `best` (and, with from / dir, lies across:
 * see nearest), else returns best untouched.
 */
function closestOnTriangle(
  P: Float32Array, a: number, b: number, c: number, px: number, py: number, pz: number, best: number, out: Float64Array, from?: Vec3, dir?: Vec3,
): number {
  const ax = P[a], ay = P[a + 1], az = P[a + 2];
  const abx = P[b] - ax, aby = P[b + 1] - ay, abz = P[b + 2] - az;
  const acx = P[c] - ax, acy = P[c + 1] - ay, acz = P[c + 2] - az;
  const apx = px - ax, apy = py - ay, apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz, d2 = acx * apx + acy * apy + acz * apz;
  let u: number, w: number; // closest = a + u·ab + w·ac
  if (d1 <= 0 && d2 <= 0) (u = 0), (w = 0);
  else {
    const bpx = px - P[b], bpy = py - P[b + 1], bpz = pz - P[b + 2];
    const d3 = abx * bpx + aby * bpy + abz * bpz, d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - P[c], cpy = py - P[c + 1], cpz = pz - P[c + 2];
    const d5 = abx * cpx + aby * cpy + abz * cpz, d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2, vb = d5 * d2 - d1 * d6, va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) (u = 1), (w = 0);
    else if (d6 >= 0 && d5 <= d6) (u = 0), (w = 1);
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) (u = d1 / (d1 - d3)), (w = 0);
    else if (vb <= 0 && d2 >= 0 && d6 <= 0) (u = 0), (w = d2 / (d2 - d6));
    else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const s = (d4 - d3) / (d4 - d3 + (d5 - d6));
      u = 1 - s;
      w = s;
    } else {
      const den = 1 / (va + vb + vc);
      u = vb * den;
      w = vc * den;
    }
  }
  const qx = ax + u * abx + w * acx, qy = ay + u * aby + w * acy, qz = az + u * abz + w * acz;
  const d = (px - qx) ** 2 + (py - qy) ** 2 + (pz - qz) ** 2;
  if (d < best && from && dir) {
    const ex = qx - from[0], ey = qy - from[1], ez = qz - from[2];
    if (ex * dir[0] + ey * dir[1] + ez * dir[2] < COS_ACROSS * Math.hypot(ex, ey, ez)) return best; // beside, not across
  }
  if (d < best) {
    out[0] = qx;
    out[1] = qy;
    out[2] = qz;
    return d;
  }
  return best;
}
