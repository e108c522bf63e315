// Solids and voids: the closed shells of a mesh, sorted into solids (wound outward, positive signed
// volume) and enclosed voids (wound inward, negative, inside a solid), so a report can say
// "1 solid + N enclosed voids" instead of "N + 1 pieces".
//
// API:
//   classifyShells(mesh) → ShellReport
//     shells: one entry per edge-connected piece of triangles, with its signed volume, area, bounding
//     box, triangle count and kind:
//       'solid'    positive volume
//       'void'     negative volume and inside a solid (`inside` = that solid's index in `shells`: the
//                  smallest solid containing it)
//       'inverted' negative volume inside no solid: an inside-out piece (a bug upstream, or an open mesh)
//     solids, voids, inverted: the counts; solidMm3 = the sum of all signed volumes (what prints).
//     shellOfTriangle: per triangle, the index of its shell.
//   Containment: a vertex of the void is tested against each solid whose bounding box holds it, with the
//   generalised winding number (sum of the signed solid angles of the solid's triangles, Van Oosterom &
//   Strackee), robust on edges and vertices where a ray test is not. A closed surface gives 1 inside,
//   0 outside; > 0.5 counts as inside. Shells are assumed not to intersect each other (true for
//   marching cubes and for manifold-3d results).
import type { Mesh, Vec3 } from './types';

export type ShellKind = 'solid' | 'void' | 'inverted';

export interface ShellInfo {
  kind: ShellKind;
  volumeMm3: number;
  areaMm2: number;
  triangles: number;
  bbox: { min: Vec3; max: Vec3 };
  /** for a void: the index (in `shells`) of the solid it lies in */
  inside?: number;
}

export interface ShellReport {
  shells: ShellInfo[];
  shellOfTriangle: Int32Array;
  solids: number;
  voids: number;
  inverted: number;
  /** total signed volume: the material */
  solidMm3: number;
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

export function classifyShells(mesh: Mesh): ShellReport {
  const P = mesh.positions, I = mesh.indices;
  const nv = P.length / 3, nt = I.length / 3;
  // 1. shells: union-find over vertices joined by triangles (for a manifold mesh, vertex-connected and
  //    edge-connected pieces are the same)
  const parent = new Int32Array(nv);
  for (let v = 0; v < nv; v++) parent[v] = v;
  for (let t = 0; t < nt; t++) {
    const a = find(parent, I[3 * t]);
    for (let k = 1; k < 3; k++) {
      const b = find(parent, I[3 * t + k]);
      if (a !== b) parent[b] = a;
    }
  }
  const shellOfRoot = new Int32Array(nv).fill(-1);
  const shellOfTriangle = new Int32Array(nt);
  const shells: ShellInfo[] = [];
  const firstVertex: number[] = [];
  for (let t = 0; t < nt; t++) {
    const root = find(parent, I[3 * t]);
    if (shellOfRoot[root] < 0) {
      shellOfRoot[root] = shells.length;
      shells.push({ kind: 'solid', volumeMm3: 0, areaMm2: 0, triangles: 0, bbox: { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] } });
      firstVertex.push(I[3 * t]);
    }
    const s = shellOfRoot[root];
    shellOfTriangle[t] = s;
    // 2. signed volume, area, box per shell
    const info = shells[s];
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    info.triangles++;
    info.volumeMm3 += (P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c])) / 6;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
    info.areaMm2 += Math.hypot(uy * wz - uz * wy, uz * wx - ux * wz, ux * wy - uy * wx) / 2;
    for (const q of [a, b, c])
      for (let k = 0; k < 3; k++) {
        if (P[q + k] < info.bbox.min[k]) info.bbox.min[k] = P[q + k];
        if (P[q + k] > info.bbox.max[k]) info.bbox.max[k] = P[q + k];
      }
  }
  // 3. negative shells: the smallest solid whose winding number at one of their vertices is ~1
  const solidIds = shells.map((s, i) => (s.volumeMm3 > 0 ? i : -1)).filter((i) => i >= 0);
  let solids = solidIds.length, voids = 0, inverted = 0;
  for (let s = 0; s < shells.length; s++) {
    if (shells[s].volumeMm3 > 0) continue;
    const v = 3 * firstVertex[s];
    const p: Vec3 = [P[v], P[v + 1], P[v + 2]];
    let best = -1;
    for (const o of solidIds) {
      const box = shells[o].bbox;
      if (p.some((x, k) => x < box.min[k] || x > box.max[k])) continue;
      if (best >= 0 && shells[o].volumeMm3 >= shells[best].volumeMm3) continue;
      if (windingNumber(mesh, shellOfTriangle, o, p) > 0.5) best = o;
    }
    if (best >= 0) {
      shells[s].kind = 'void';
      shells[s].inside = best;
      voids++;
    } else {
      shells[s].kind = 'inverted';
      inverted++;
    }
  }
  let solidMm3 = 0;
  for (const s of shells) solidMm3 += s.volumeMm3;
  return { shells, shellOfTriangle, solids, voids, inverted, solidMm3 };
}

/** Generalised winding number of shell `s` at point p: Σ signed solid angles / 4π. */
function windingNumber(mesh: Mesh, shellOfTriangle: Int32Array, s: number, p: Vec3): number {
  const P = mesh.positions, I = mesh.indices;
  let total = 0;
  for (let t = 0; t < shellOfTriangle.length; t++) {
    if (shellOfTriangle[t] !== s) continue;
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    const ax = P[a] - p[0], ay = P[a + 1] - p[1], az = P[a + 2] - p[2];
    const bx = P[b] - p[0], by = P[b + 1] - p[1], bz = P[b + 2] - p[2];
    const cx = P[c] - p[0], cy = P[c + 1] - p[1], cz = P[c + 2] - p[2];
    const la = Math.hypot(ax, ay, az), lb = Math.hypot(bx, by, bz), lc = Math.hypot(cx, cy, cz);
    const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    const den = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (bx * cx + by * cy + bz * cz) * la + (cx * ax + cy * ay + cz * az) * lb;
    total += 2 * Math.atan2(det, den);
  }
  return total / (4 * Math.PI);
}
