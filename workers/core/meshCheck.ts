// Mesh checks used by the app's report, by tests and by the bench: open and non-manifold edges and
// vertices, orientation, shells, signed volume, area, bounding box, degenerate triangles.
import { emptyBox, growBox } from './bounds';
import { prefixSums } from './prefixSums';
import type { Mesh, Vec3 } from './types';

export interface MeshReport {
  vertices: number;
  triangles: number;
  /** edges used by exactly one triangle */
  boundaryEdges: number;
  /** edges used by three or more triangles */
  nonManifoldEdges: number;
  /** vertices whose triangles form more than one fan */
  nonManifoldVertices: number;
  /** manifold edges whose two triangles run along them in the same direction */
  inconsistentEdges: number;
  /** connected pieces of triangles (sharing edges) */
  shells: number;
  /** zero-area triangles or triangles repeating a vertex */
  degenerateTriangles: number;
  /** signed, positive when the triangles face outward */
  volumeMm3: number;
  areaMm2: number;
  bbox: { min: Vec3; max: Vec3 };
  /** V − E + F */
  eulerCharacteristic: number;
  closed: boolean;
  manifold: boolean;
  oriented: boolean;
}

// checkMesh reads as its stages: edges (half-edges sorted by undirected edge, with countingSort),
// walkEdges (shells, boundary, non-manifold and inconsistent edges, the fans at each vertex),
// countNonManifoldVertices, measures (bounding box, area, volume, degenerate triangles). Each stage is a function of its own at
// module level: one function with every loop inside, and helpers made afresh on each call, kept being
// deoptimised by V8 (new loops without type feedback, new closures), so a worker's first checks ran
// at half speed or less.

/** The half-edge after h in its triangle. */
const next = (h: number) => (h % 3 === 2 ? h - 2 : h + 1);

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

function union(parent: Int32Array, x: number, y: number): void {
  const rx = find(parent, x), ry = find(parent, y);
  if (rx !== ry) parent[rx] = ry;
}

export function checkMesh(mesh: Mesh): MeshReport {
  const P = mesh.positions;
  const I = mesh.indices;
  const nv = P.length / 3;
  const nt = I.length / 3;
  const { lo, hi, order } = edges(I, nv);
  const walk = walkEdges(I, nv, lo, hi, order);
  const nonManifoldVertices = countNonManifoldVertices(I, nv, walk.corner, walk.pinched);
  const m = measures(P, I);
  return {
    vertices: nv,
    triangles: nt,
    boundaryEdges: walk.boundary,
    nonManifoldEdges: walk.nonManifold,
    nonManifoldVertices,
    inconsistentEdges: walk.inconsistent,
    shells: walk.shells,
    degenerateTriangles: m.degenerate,
    volumeMm3: m.volume,
    areaMm2: m.area,
    bbox: nv ? { min: m.min, max: m.max } : { min: [0, 0, 0], max: [0, 0, 0] },
    eulerCharacteristic: nv - walk.edges + nt,
    closed: walk.boundary === 0 && walk.nonManifold === 0,
    manifold: walk.nonManifold === 0 && nonManifoldVertices === 0,
    oriented: walk.inconsistent === 0,
  };
}

/**
 * Each half-edge's undirected edge (lo, hi: its smaller and larger vertex), and the half-edges sorted
 * by (lo, hi) by two stable counting sorts (by hi, then by lo): the order a stable sort by key gives.
 */
function edges(I: Uint32Array, nv: number): { lo: Uint32Array; hi: Uint32Array; order: Uint32Array } {
  const ne = I.length;
  const lo = new Uint32Array(ne), hi = new Uint32Array(ne);
  edgeEnds(I, lo, hi);
  const byMax = countingSort(hi, null, nv);
  const order = countingSort(lo, byMax, nv);
  return { lo, hi, order };
}

// (Each loop below is a function of its own too: V8 compiles a hot loop of a longer function by
// compiling that whole function again, once per loop, in every fresh worker.)

function edgeEnds(I: Uint32Array, lo: Uint32Array, hi: Uint32Array): void {
  for (let h = 0; h < I.length; h++) {
    const a = I[h];
    const b = I[next(h)];
    lo[h] = a < b ? a : b;
    hi[h] = a < b ? b : a;
  }
}

/** The items (in the order `items`, or 0, 1, …) stably sorted by key[item] < n. */
function countingSort(key: Uint32Array, items: Uint32Array | null, n: number): Uint32Array {
  const count = new Int32Array(n + 1);
  countKeys(key, count);
  prefixSums(count);
  const out = new Uint32Array(key.length);
  if (items) scatterItems(key, items, count, out);
  else scatterIndices(key, count, out);
  return out;
}

function countKeys(key: Uint32Array, count: Int32Array): void {
  for (let h = 0; h < key.length; h++) count[key[h] + 1]++;
}

function scatterItems(key: Uint32Array, items: Uint32Array, at: Int32Array, out: Uint32Array): void {
  for (let q = 0; q < items.length; q++) out[at[key[items[q]]]++] = items[q];
}

function scatterIndices(key: Uint32Array, at: Int32Array, out: Uint32Array): void {
  for (let h = 0; h < key.length; h++) out[at[key[h]]++] = h;
}

/** 0, 1, …, n − 1 (union-find sets of one each). */
function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** The sets of a union-find (its roots). */
function countRoots(parent: Int32Array): number {
  let roots = 0;
  for (let i = 0; i < parent.length; i++) if (find(parent, i) === i) roots++;
  return roots;
}

/**
 * Every edge once (a run of equal (lo, hi)): shells by union-find over triangles; boundary (one half-edge),
 * non-manifold (three or more) and inconsistent (two, the same way) edges. Corners (half-edge h is the
 * corner of its triangle at vertex I[h]) are joined across manifold edges, so the corners at one
 * vertex form that vertex's fans; `pinched`: the vertex touches a non-manifold edge.
 */
function walkEdges(I: Uint32Array, nv: number, lo: Uint32Array, hi: Uint32Array, order: Uint32Array) {
  const ne = I.length, nt = ne / 3;
  const tri = identity(nt);
  const corner = identity(ne);
  const pinched = new Uint8Array(nv);
  let edges = 0, boundary = 0, nonManifold = 0, inconsistent = 0;
  for (let s = 0; s < ne; ) {
    let e = s;
    while (e < ne && lo[order[e]] === lo[order[s]] && hi[order[e]] === hi[order[s]]) e++;
    const count = e - s;
    edges++;
    const h0 = order[s];
    const a = I[h0];
    for (let q = s + 1; q < e; q++) union(tri, (h0 / 3) | 0, (order[q] / 3) | 0);
    if (count === 1) boundary++;
    else if (count > 2) {
      nonManifold++;
      pinched[a] = pinched[I[next(h0)]] = 1;
    } else {
      const h1 = order[s + 1];
      if (I[h1] === a) {
        inconsistent++;
        union(corner, h0, h1);
        union(corner, next(h0), next(h1));
      } else {
        union(corner, h0, next(h1));
        union(corner, next(h0), h1);
      }
    }
    s = e;
  }
  return { edges, boundary, nonManifold, inconsistent, shells: countRoots(tri), corner, pinched };
}

/** Vertices whose corners form more than one fan, or that touch a non-manifold edge. */
function countNonManifoldVertices(I: Uint32Array, nv: number, corner: Int32Array, pinched: Uint8Array): number {
  const fans = new Int32Array(nv);
  countFans(I, corner, fans);
  let n = 0;
  for (let v = 0; v < nv; v++) if (fans[v] > 1 || pinched[v]) n++;
  return n;
}

/** fans[v] += the fans (sets of corners) at v */
function countFans(I: Uint32Array, corner: Int32Array, fans: Int32Array): void {
  for (let h = 0; h < I.length; h++) if (find(corner, h) === h) fans[I[h]]++;
}

/** Bounding box, area, signed volume and degenerate triangles. */
function measures(P: Float32Array, I: Uint32Array) {
  const box = emptyBox();
  growBox(P, 0, P.length / 3, box);
  const min: Vec3 = [box[0], box[1], box[2]], max: Vec3 = [box[3], box[4], box[5]];
  const nt = I.length / 3;
  let volume = 0, area = 0, degenerate = 0;
  for (let t = 0; t < nt; t++) {
    const ia = I[3 * t], ib = I[3 * t + 1], ic = I[3 * t + 2];
    const a = 3 * ia, b = 3 * ib, c = 3 * ic;
    const ax = P[a], ay = P[a + 1], az = P[a + 2];
    const ux = P[b] - ax, uy = P[b + 1] - ay, uz = P[b + 2] - az;
    const wx = P[c] - ax, wy = P[c + 1] - ay, wz = P[c + 2] - az;
    const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
    const twiceArea = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (ia === ib || ib === ic || ia === ic || twiceArea === 0) degenerate++;
    area += twiceArea / 2;
    // signed tetrahedron volume with the origin, relative to the first vertex for precision
    volume += (P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c])) / 6;
  }
  return { volume, area, degenerate, min, max };
}

/** The signed volume a closed mesh encloses (mm³; positive when its triangles face outward). */
export function signedVolume(mesh: Mesh): number {
  const P = mesh.positions, I = mesh.indices;
  let volume = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    volume += (P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c])) / 6;
  }
  return volume;
}
