// Mesh checks used by the app's report, by tests and by the bench: open and non-manifold edges and
// vertices, orientation, shells, signed volume, area, bounding box, degenerate triangles.
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

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

export function checkMesh(mesh: Mesh): MeshReport {
  const P = mesh.positions;
  const I = mesh.indices;
  const nv = P.length / 3;
  const nt = I.length / 3;
  const ne = I.length; // half-edges

  // Half-edges sorted by undirected key (min, max): Float64 keys keep the pair exact for < 2^26 vertices.
  const keys = new Float64Array(ne);
  for (let h = 0; h < ne; h++) {
    const a = I[h];
    const b = I[h % 3 === 2 ? h - 2 : h + 1];
    keys[h] = a < b ? a * 67108864 + b : b * 67108864 + a;
  }
  // Sorted by two stable counting sorts (by max, then by min): the order a stable sort by key gives.
  const byMax = new Uint32Array(ne), order = new Uint32Array(ne);
  const count = new Int32Array(nv + 1);
  const other = (h: number) => I[h % 3 === 2 ? h - 2 : h + 1];
  for (let h = 0; h < ne; h++) count[Math.max(I[h], other(h)) + 1]++;
  for (let v = 0; v < nv; v++) count[v + 1] += count[v];
  for (let h = 0; h < ne; h++) byMax[count[Math.max(I[h], other(h))]++] = h;
  count.fill(0);
  for (let h = 0; h < ne; h++) count[Math.min(I[h], other(h)) + 1]++;
  for (let v = 0; v < nv; v++) count[v + 1] += count[v];
  for (let q = 0; q < ne; q++) {
    const h = byMax[q];
    order[count[Math.min(I[h], other(h))]++] = h;
  }

  const tri = new Int32Array(nt); // union-find over triangles: shells
  for (let t = 0; t < nt; t++) tri[t] = t;
  // Union-find over corners (half-edge h is the corner of its triangle at vertex I[h]): corners at one
  // vertex joined across manifold edges form that vertex's fans; more than one fan = non-manifold.
  const corner = new Int32Array(ne);
  for (let h = 0; h < ne; h++) corner[h] = h;
  const next = (h: number) => (h % 3 === 2 ? h - 2 : h + 1);
  const union = (parent: Int32Array, x: number, y: number) => {
    const rx = find(parent, x), ry = find(parent, y);
    if (rx !== ry) parent[rx] = ry;
  };
  const pinched = new Uint8Array(nv); // touches a non-manifold edge
  let edges = 0, boundary = 0, nonManifold = 0, inconsistent = 0;
  for (let s = 0; s < ne; ) {
    let e = s;
    while (e < ne && keys[order[e]] === keys[order[s]]) e++;
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
  let shells = 0;
  for (let t = 0; t < nt; t++) if (find(tri, t) === t) shells++;
  const fans = new Int32Array(nv);
  for (let h = 0; h < ne; h++) if (find(corner, h) === h) fans[I[h]]++;
  let nonManifoldVertices = 0;
  for (let v = 0; v < nv; v++) if (fans[v] > 1 || pinched[v]) nonManifoldVertices++;

  let volume = 0, area = 0, degenerate = 0;
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let v = 0; v < nv; v++) {
    for (let c = 0; c < 3; c++) {
      const x = P[3 * v + c];
      if (x < min[c]) min[c] = x;
      if (x > max[c]) max[c] = x;
    }
  }
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
  return {
    vertices: nv,
    triangles: nt,
    boundaryEdges: boundary,
    nonManifoldEdges: nonManifold,
    nonManifoldVertices,
    inconsistentEdges: inconsistent,
    shells,
    degenerateTriangles: degenerate,
    volumeMm3: volume,
    areaMm2: area,
    bbox: nv ? { min, max } : { min: [0, 0, 0], max: [0, 0, 0] },
    eulerCharacteristic: nv - edges + nt,
    closed: boundary === 0 && nonManifold === 0,
    manifold: nonManifold === 0 && nonManifoldVertices === 0,
    oriented: inconsistent === 0,
  };
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
