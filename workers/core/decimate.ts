// Decimation that keeps a closed mesh closed: quadric-error edge collapse (Garland & Heckbert 1997)
// on a half-edge structure, where a collapse happens only if
//   • the link condition holds (the endpoints share exactly the two opposite vertices), which is what
//     keeps a 2-manifold a 2-manifold with the same topology (Dey et al. 1999);
//   • no surrounding triangle flips or degenerates when the vertex moves;
//   • the third vertex of each removed triangle keeps at least three neighbours (no tetrahedron
//     collapses to a sheet).
// Vertices on open, non-manifold or pinched parts of the input are never moved, so a mesh that is not
// closed comes out no worse than it went in. Pure function over typed arrays; no per-vertex objects.
import type { Mesh } from './types';

export interface DecimateOptions {
  /** stop when this many triangles are left (or fewer) */
  targetTriangles?: number;
  /** stop before a collapse whose estimated error exceeds this distance (mm) */
  maxDeviationMm?: number;
}

export interface DecimateResult {
  mesh: Mesh;
  trianglesIn: number;
  trianglesOut: number;
  /**
   * The largest quadric error of any collapse made, as a distance (mm): the square root of the sum of
   * squared distances from the vertex to the original planes it stands for (plus the weak pull toward
   * its original vertices). A bound on the distance to any one of those planes, not to the surface:
   * use meshDeviation() for the measured distance between the two surfaces.
   */
  estimatedDeviationMm: number;
}

/** Weight of the point term in the quadrics (see below). */
const W = 0.1;

const next = (h: number) => (h % 3 === 2 ? h - 2 : h + 1);
const prev = (h: number) => (h % 3 === 0 ? h + 2 : h - 1);

/**
 * Cost buckets: the top 14 bits of a non-negative float64 (exponent and 3 mantissa bits) order costs
 * exactly between buckets and to within 9 % inside one, so a histogram of them finds a quantile in
 * one pass.
 */
const BUCKETS = 1 << 14;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
function bucketOf(c: number): number {
  f64[0] = c;
  return u32[HI] >>> 17;
}

export function decimate(mesh: Mesh, options: DecimateOptions): DecimateResult {
  const I = new Int32Array(mesh.indices);
  const nv = mesh.positions.length / 3;
  const ne = I.length;
  const nt = ne / 3;
  const target = Math.max(4, Math.floor(options.targetTriangles ?? 0));
  const maxCost = options.maxDeviationMm === undefined ? Infinity : options.maxDeviationMm * options.maxDeviationMm;
  const P = new Float64Array(mesh.positions);

  // Outgoing half-edges per vertex (CSR), then opposites: u→v pairs with the only v→u.
  const outStart = new Int32Array(nv + 1);
  for (let h = 0; h < ne; h++) outStart[I[h] + 1]++;
  for (let v = 0; v < nv; v++) outStart[v + 1] += outStart[v];
  const outList = new Int32Array(ne);
  const fill = outStart.slice(0, nv);
  const outTo = new Int32Array(ne); // where each listed half-edge goes, read sequentially below
  for (let h = 0; h < ne; h++) {
    const q = fill[I[h]]++;
    outList[q] = h;
    outTo[q] = I[next(h)];
  }
  const opp = new Int32Array(ne).fill(-1);
  const locked = new Uint8Array(nv);
  for (let h = 0; h < ne; h++) {
    const u = I[h], v = I[next(h)];
    let back = -1, found = 0, same = 0;
    for (let q = outStart[v]; q < outStart[v + 1]; q++)
      if (outTo[q] === u) {
        back = outList[q];
        found++;
      }
    for (let q = outStart[u]; q < outStart[u + 1]; q++) if (outTo[q] === v) same++;
    if (found === 1 && same === 1 && u !== v) opp[h] = back;
    else locked[u] = locked[v] = 1;
  }
  // A vertex whose triangles are not one closed fan (open, pinched) stays where it is.
  const vOut = new Int32Array(nv).fill(-1);
  for (let v = 0; v < nv; v++) {
    const deg = outStart[v + 1] - outStart[v];
    if (deg === 0) continue;
    vOut[v] = outList[outStart[v]];
    if (locked[v]) continue;
    let e = vOut[v], steps = 0;
    do {
      const o = opp[prev(e)];
      if (o < 0) {
        steps = -1;
        break;
      }
      e = o;
      steps++;
    } while (e !== vOut[v] && steps <= deg);
    if (steps !== deg) locked[v] = 1;
  }

  // Quadrics: the planes of the original triangles, unweighted, so the error is a sum of squared
  // distances (mm²) and its square root bounds the distance to any one of those planes.
  const Q = new Float64Array(10 * nv);
  // and the area-weighted normal of the original surface each vertex stands for
  const N = new Float64Array(3 * nv);
  for (let t = 0; t < nt; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
    let nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
    const l = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (l === 0) continue;
    nx /= l;
    ny /= l;
    nz /= l;
    const d = -(nx * P[a] + ny * P[a + 1] + nz * P[a + 2]);
    for (let k = 0; k < 3; k++) {
      const q = 10 * I[3 * t + k];
      Q[q] += nx * nx;
      Q[q + 1] += nx * ny;
      Q[q + 2] += nx * nz;
      Q[q + 3] += ny * ny;
      Q[q + 4] += ny * nz;
      Q[q + 5] += nz * nz;
      Q[q + 6] += nx * d;
      Q[q + 7] += ny * d;
      Q[q + 8] += nz * d;
      Q[q + 9] += d * d;
      N[3 * I[3 * t + k]] += nx * l;
      N[3 * I[3 * t + k] + 1] += ny * l;
      N[3 * I[3 * t + k] + 2] += nz * l;
    }
  }
  // Plus a weak pull toward each original vertex (|p − v|², weight W): planes alone cost nothing
  // for sliding a vertex along a thin fin or spike, which would shorten it unnoticed.
  for (let v = 0; v < nv; v++) {
    const q = 10 * v, x = P[3 * v], y = P[3 * v + 1], z = P[3 * v + 2];
    Q[q] += W;
    Q[q + 3] += W;
    Q[q + 5] += W;
    Q[q + 6] -= W * x;
    Q[q + 7] -= W * y;
    Q[q + 8] -= W * z;
    Q[q + 9] += W * (x * x + y * y + z * z);
  }

  // Best position for an edge's merged quadric: minimise it, pulled gently toward the edge midpoint
  // so flat and cylindrical regions (singular quadrics) keep the vertex on the edge. With a plane
  // constraint g·p = h (the volume constraint below) the minimum moves along M⁻¹g to meet it.
  const best = new Float64Array(3);
  const place = (a: number, b: number, gx = 0, gy = 0, gz = 0, h = 0): number => {
    const qa = 10 * a, qb = 10 * b;
    const a11 = Q[qa] + Q[qb], a12 = Q[qa + 1] + Q[qb + 1], a13 = Q[qa + 2] + Q[qb + 2];
    const a22 = Q[qa + 3] + Q[qb + 3], a23 = Q[qa + 4] + Q[qb + 4], a33 = Q[qa + 5] + Q[qb + 5];
    const b1 = Q[qa + 6] + Q[qb + 6], b2 = Q[qa + 7] + Q[qb + 7], b3 = Q[qa + 8] + Q[qb + 8];
    const cc = Q[qa + 9] + Q[qb + 9];
    const mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
    const eps = 1e-3 * (a11 + a22 + a33) + 1e-12;
    const m11 = a11 + eps, m22 = a22 + eps, m33 = a33 + eps;
    const r1 = -b1 + eps * mx, r2 = -b2 + eps * my, r3 = -b3 + eps * mz;
    // symmetric inverse by cofactors
    const c11 = m22 * m33 - a23 * a23, c12 = a13 * a23 - a12 * m33, c13 = a12 * a23 - a13 * m22;
    const c22 = m11 * m33 - a13 * a13, c23 = a12 * a13 - m11 * a23, c33 = m11 * m22 - a12 * a12;
    const inv = 1 / (m11 * c11 + a12 * c12 + a13 * c13);
    let x = (c11 * r1 + c12 * r2 + c13 * r3) * inv;
    let y = (c12 * r1 + c22 * r2 + c23 * r3) * inv;
    let z = (c13 * r1 + c23 * r2 + c33 * r3) * inv;
    const gg = gx * gx + gy * gy + gz * gz;
    if (gg > 0) {
      const wx = (c11 * gx + c12 * gy + c13 * gz) * inv;
      const wy = (c12 * gx + c22 * gy + c23 * gz) * inv;
      const wz = (c13 * gx + c23 * gy + c33 * gz) * inv;
      const gw = gx * wx + gy * wy + gz * wz;
      if (gw > 1e-12 * gg) {
        const lambda = (h - (gx * x + gy * y + gz * z)) / gw;
        x += lambda * wx;
        y += lambda * wy;
        z += lambda * wz;
      }
    }
    best[0] = x;
    best[1] = y;
    best[2] = z;
    const e = a11 * x * x + 2 * a12 * x * y + 2 * a13 * x * z + a22 * y * y + 2 * a23 * y * z + a33 * z * z + 2 * (b1 * x + b2 * y + b3 * z) + cc;
    return e > 0 ? e : 0;
  };

  // Volume constraint (Lindstrom & Turk 1998): the merged vertex p must leave the volume enclosed by
  // the triangles around a and b unchanged. Relative to the edge midpoint m, the new fan encloses
  // (p − m)·G / 6 with G = Σ (x − m) × (y − m) over its triangles (p, x, y), so the constraint is the
  // plane G·p = 6·V_old + G·m. Fills vol[] with G and h.
  const vol = new Float64Array(4);
  const volumePlane = (a: number, b: number, t0: number, t1: number) => {
    const mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
    let gx = 0, gy = 0, gz = 0, old6 = 0;
    for (const v of [a, b]) {
      const px = P[3 * v] - mx, py = P[3 * v + 1] - my, pz = P[3 * v + 2] - mz;
      const e0 = vOut[v];
      let e = e0;
      do {
        const t = (e / 3) | 0;
        const x = 3 * I[next(e)], y = 3 * I[prev(e)];
        const xx = P[x] - mx, xy = P[x + 1] - my, xz = P[x + 2] - mz;
        const yx = P[y] - mx, yy = P[y + 1] - my, yz = P[y + 2] - mz;
        const cx = xy * yz - xz * yy, cy = xz * yx - xx * yz, cz = xx * yy - xy * yx;
        if (t !== t0 && t !== t1) {
          gx += cx;
          gy += cy;
          gz += cz;
          old6 += px * cx + py * cy + pz * cz;
        } else if (v === a) old6 += px * cx + py * cy + pz * cz;
        e = opp[prev(e)];
      } while (e !== e0);
    }
    vol[0] = gx;
    vol[1] = gy;
    vol[2] = gz;
    vol[3] = old6 + gx * mx + gy * my + gz * mz;
  };

  const deadTri = new Uint8Array(nt);
  const mark = new Int32Array(nv);
  let markId = 0;
  const maxBucket = maxCost === Infinity ? BUCKETS : bucketOf(maxCost);
  /** Would moving vertex v (one corner of each of its triangles) to p flip or flatten a triangle? */
  const flips = (v: number, px: number, py: number, pz: number, t0: number, t1: number): boolean => {
    const e0 = vOut[v];
    let e = e0;
    do {
      const t = (e / 3) | 0;
      if (t !== t0 && t !== t1) {
        const b = 3 * I[next(e)], c = 3 * I[prev(e)], a = 3 * v;
        const bx = P[b], by = P[b + 1], bz = P[b + 2];
        const ux = P[c] - bx, uy = P[c + 1] - by, uz = P[c + 2] - bz;
        // old and new normals of (a, b, c): (b − a) × (c − a) = (c − b) × (a − b)
        const oax = P[a] - bx, oay = P[a + 1] - by, oaz = P[a + 2] - bz;
        const nax = px - bx, nay = py - by, naz = pz - bz;
        const ox = uy * oaz - uz * oay, oy = uz * oax - ux * oaz, oz = ux * oay - uy * oax;
        const nx = uy * naz - uz * nay, ny = uz * nax - ux * naz, nz = ux * nay - uy * nax;
        const dot = ox * nx + oy * ny + oz * nz;
        const nn = nx * nx + ny * ny + nz * nz;
        const oo = ox * ox + oy * oy + oz * oz;
        // reject flips, and turns of more than ~78° that fold thin features
        if (dot <= 0.2 * Math.sqrt(nn * oo) || nn <= 1e-12 * (ux * ux + uy * uy + uz * uz) ** 2) return true;
        // Small turns add up over many collapses: the triangle must also still face the way the
        // original surface under its three vertices faced (within ~72°).
        const vb = I[next(e)], vc = I[prev(e)];
        const rx = N[3 * v] + N[3 * vb] + N[3 * vc], ry = N[3 * v + 1] + N[3 * vb + 1] + N[3 * vc + 1], rz = N[3 * v + 2] + N[3 * vb + 2] + N[3 * vc + 2];
        if (nx * rx + ny * ry + nz * rz <= 0.3 * Math.sqrt(nn * (rx * rx + ry * ry + rz * rz))) return true;
        // The file stores float32: the triangle must keep a non-zero area once rounded, or slicers
        // see two vertices merge (a degenerate facet).
        const f = Math.fround;
        const fbx = f(bx), fby = f(by), fbz = f(bz);
        const gx = f(P[c]) - fbx, gy = f(P[c + 1]) - fby, gz = f(P[c + 2]) - fbz;
        const hx = f(px) - fbx, hy = f(py) - fby, hz = f(pz) - fbz;
        if (gy * hz - gz * hy === 0 && gz * hx - gx * hz === 0 && gx * hy - gy * hx === 0) return true;
      }
      e = opp[prev(e)];
    } while (e !== e0);
    return false;
  };
  const degree = (v: number): number => {
    const e0 = vOut[v];
    let e = e0, n = 0;
    do {
      n++;
      e = opp[prev(e)];
    } while (e !== e0);
    return n;
  };

  // Collapses run in passes over the edges in memory order (cache-friendly, unlike a global priority
  // queue, which was 3× slower here). Each pass costs every edge, picks the cost below which the pass
  // may collapse about an eighth of them, and collapses those edges whose endpoints did not move yet
  // in this pass (their cost is current). Cheap edges go first, as with a queue, to within a pass.
  const cost = new Float64Array(ne);
  const moved = new Int32Array(nv);
  const hist = new Int32Array(BUCKETS + 1);
  let alive = nt;
  /** The link condition (the rings of a and b meet only in c and d) and enough neighbours for c and d. */
  const topologyAllows = (h: number): boolean => {
    const g = opp[h];
    const a = I[h], b = I[next(h)], c = I[prev(h)], d = I[prev(g)];
    // (c or d on an open or pinched part: their fans can't be walked, so leave them be)
    if (c === d || locked[c] || locked[d]) return false;
    markId++;
    let e = vOut[a];
    const ea = e;
    do {
      mark[I[next(e)]] = markId;
      e = opp[prev(e)];
    } while (e !== ea);
    e = vOut[b];
    const eb = e;
    do {
      const w = I[next(e)];
      if (mark[w] === markId && w !== c && w !== d && w !== a) return false;
      e = opp[prev(e)];
    } while (e !== eb);
    return degree(c) > 3 && degree(d) > 3;
  };

  /** Collapses edge h: its end b merges into its start a, which moves to p; two triangles go. */
  const collapse = (h: number, px: number, py: number, pz: number) => {
    const g = opp[h];
    const a = I[h], b = I[next(h)], c = I[prev(h)], d = I[prev(g)];
    const eb = vOut[b];
    let e = eb;
    do {
      I[e] = a;
      e = opp[prev(e)];
    } while (e !== eb);
    const h1 = next(h), h2 = prev(h), g1 = next(g), g2 = prev(g);
    const o1 = opp[h1], o2 = opp[h2], p1 = opp[g1], p2 = opp[g2];
    opp[o1] = o2;
    opp[o2] = o1;
    opp[p1] = p2;
    opp[p2] = p1;
    deadTri[(h / 3) | 0] = deadTri[(g / 3) | 0] = 1;
    alive -= 2;
    vOut[a] = o2;
    vOut[c] = o1;
    vOut[d] = p1;
    vOut[b] = -1;
    P[3 * a] = px;
    P[3 * a + 1] = py;
    P[3 * a + 2] = pz;
    for (let k = 0; k < 10; k++) Q[10 * a + k] += Q[10 * b + k];
    for (let k = 0; k < 3; k++) N[3 * a + k] += N[3 * b + k];
  };

  // First, vertices that share one float32 position (smoothing can pull a tiny blob onto a point):
  // merging them changes no shape, and removes the zero-area triangles a slicer would reject.
  const f32 = Math.fround;
  const coincide = (a: number, b: number) =>
    f32(P[3 * a]) === f32(P[3 * b]) && f32(P[3 * a + 1]) === f32(P[3 * b + 1]) && f32(P[3 * a + 2]) === f32(P[3 * b + 2]);
  for (let merged = 1; merged > 0; ) {
    merged = 0;
    for (let h = 0; h < ne; h++) {
      const g = opp[h];
      if (g < h || deadTri[(h / 3) | 0]) continue;
      const a = I[h], b = I[next(h)];
      if (locked[a] || locked[b] || !coincide(a, b) || !topologyAllows(h)) continue;
      collapse(h, P[3 * a], P[3 * a + 1], P[3 * a + 2]);
      merged++;
    }
  }

  let worst = 0;
  let boost = 1;
  for (let pass = 1; alive > target; pass++) {
    hist.fill(0);
    let live = 0;
    for (let h = 0; h < ne; h++) {
      const g = opp[h];
      if (g < h || deadTri[(h / 3) | 0]) continue;
      const a = I[h], b = I[next(h)];
      if (locked[a] || locked[b]) continue;
      // an edge's cost changes only when an endpoint moved (a collapse into it) in the last pass
      if (pass === 1 || moved[a] === pass - 1 || moved[b] === pass - 1) cost[h] = place(a, b);
      hist[bucketOf(cost[h])]++;
      live++;
    }
    const want = Math.max(1, Math.min(Math.ceil((alive - target) / 2) * boost, Math.ceil(live / 8) * boost, live));
    let limit = 0;
    for (let acc = hist[0]; acc < want && limit < BUCKETS; acc += hist[++limit]);
    if (limit > maxBucket) limit = maxBucket;
    let collapsed = 0;
    for (let h = 0; h < ne && alive > target; h++) {
      const g = opp[h];
      if (g < h || deadTri[(h / 3) | 0]) continue;
      const a = I[h], b = I[next(h)];
      if (moved[a] === pass || moved[b] === pass || locked[a] || locked[b] || bucketOf(cost[h]) > limit) continue;
      const t0 = (h / 3) | 0, t1 = (g / 3) | 0;
      if (!topologyAllows(h)) continue;
      volumePlane(a, b, t0, t1);
      const cc = place(a, b, vol[0], vol[1], vol[2], vol[3]);
      if (cc > maxCost || bucketOf(cc) > limit) continue;
      const px = best[0], py = best[1], pz = best[2];
      // never farther from the edge's midpoint than the edge is long (a nearly singular volume
      // constraint can ask for that, and it would tear the surface out of shape)
      const ex = P[3 * a] - P[3 * b], ey = P[3 * a + 1] - P[3 * b + 1], ez = P[3 * a + 2] - P[3 * b + 2];
      const mx = px - (P[3 * a] + P[3 * b]) / 2, my = py - (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = pz - (P[3 * a + 2] + P[3 * b + 2]) / 2;
      if (mx * mx + my * my + mz * mz > ex * ex + ey * ey + ez * ez) continue;
      if (flips(a, px, py, pz, t0, t1) || flips(b, px, py, pz, t0, t1)) continue;

      collapse(h, px, py, pz);
      moved[a] = pass;
      if (cc > worst) worst = cc;
      collapsed++;
    }
    // When most cheap edges were refused (link condition, flips), widen the next pass; stop when
    // every edge was a candidate and none could go.
    if (collapsed === 0 && (want >= live || limit >= maxBucket)) break;
    boost = collapsed < want / 4 ? boost * 2 : 1;
  }

  // Compact: live vertices in their original order, live triangles in theirs.
  const remap = new Int32Array(nv).fill(-1);
  let count = 0;
  for (let t = 0; t < nt; t++) {
    if (deadTri[t]) continue;
    for (let k = 0; k < 3; k++) {
      const v = I[3 * t + k];
      if (remap[v] < 0) remap[v] = 0;
    }
  }
  for (let v = 0; v < nv; v++) if (remap[v] === 0) remap[v] = count++;
  const positions = new Float32Array(3 * count);
  for (let v = 0; v < nv; v++)
    if (remap[v] >= 0) {
      positions[3 * remap[v]] = P[3 * v];
      positions[3 * remap[v] + 1] = P[3 * v + 1];
      positions[3 * remap[v] + 2] = P[3 * v + 2];
    }
  const indices = new Uint32Array(3 * alive);
  let o = 0;
  for (let t = 0; t < nt; t++) {
    if (deadTri[t]) continue;
    indices[o++] = remap[I[3 * t]];
    indices[o++] = remap[I[3 * t + 1]];
    indices[o++] = remap[I[3 * t + 2]];
  }
  return { mesh: { positions, indices }, trianglesIn: nt, trianglesOut: alive, estimatedDeviationMm: Math.sqrt(worst) };
}
