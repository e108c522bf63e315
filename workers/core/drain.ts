// Drain holes through the wall of a hollowed model, cut into its surface with manifold-3d: one from the
// lowest point of every enclosed void straight down (for the way the model will stand on the printer),
// and one at every point the user clicked, straight into the model until it meets a void.
//
// Why on the surface rather than in the mask (hollow.ts can drill the mask too): "down" on the bed is
// chosen on the finished surface (placement.ts findBase), after the mask is meshed; and a clicked hole
// then needs no new build, only a boolean on the mesh.
//
// API (wasm = await loadManifold(), see manifoldKernel.ts):
//   drainHoles(wasm, mesh, opts) → DrainResult
//     opts.diameterMm; opts.down: automatic holes, one per void of at least opts.minVoidMm3 (default
//     0: every void); opts.clicks: { at (a point on the surface), inward (into the model) }.
//   Each hole is a cylinder along its axis: from inside the void (up to 2 diameters, at most half
//   the void's height there, so the hole opens fully and never reaches the far wall) through the wall
//   to a diameter beyond the outer surface (less when more of the model lies just beyond). Axes are
//   found by ray casting against the mesh's triangles. A hole that would cut a piece off (the model has
//   more solids after it; e.g. it drills away the only neck holding a part) or that opens no void is
//   left out, with the reason, and the model stays as it was there.
//   result.mesh: closed and manifold (manifold-3d), the input itself when no hole was cut.
import { columnMajor, fromManifold, toManifold, type Manifold, type ManifoldToplevel } from './manifoldKernel';
import { rotationBetween } from './placement';
import { classifyShells, type ShellReport } from './shells';
import type { Mesh, Vec3 } from './types';

export interface DrainClick {
  /** a point on the model's surface (mm, the mesh's coordinates) */
  at: Vec3;
  /** into the model (e.g. minus the surface normal there) */
  inward: Vec3;
}

export interface DrainOptions {
  diameterMm: number;
  /** automatic holes: the direction that will point down on the printer */
  down?: Vec3;
  /** voids smaller than this get no automatic hole, mm³ (default 0) */
  minVoidMm3?: number;
  clicks?: DrainClick[];
}

export interface DrainHole {
  kind: 'auto' | 'click';
  /** where the hole leaves the model's outer surface (mm) */
  at: Vec3;
  /** its axis, from the void outward */
  axis: Vec3;
  /** wall drilled, mm */
  wallMm: number;
  /** the hole was cut (false: see `why`) */
  cut: boolean;
  why?: string;
}

export interface DrainResult {
  mesh: Mesh;
  holes: DrainHole[];
  /** voids before and after */
  voidsBefore: number;
  voidsAfter: number;
}

/** Segments round a hole's circle: 3 mm holes at 0.3 mm chords. */
const SEGMENTS = 32;

interface Cylinder {
  hole: DrainHole;
  /** the void it opens (index in the shell report) */
  target: number;
  /** ends of the axis, mm */
  from: Vec3;
  to: Vec3;
}

export function drainHoles(wasm: ManifoldToplevel, mesh: Mesh, opts: DrainOptions): DrainResult {
  const r = opts.diameterMm / 2;
  if (!(r > 0)) throw new RangeError(`drain holes: the diameter must be > 0 mm, got ${opts.diameterMm}`);
  const shells = classifyShells(mesh);
  const rays = new RayCaster(mesh, shells);
  const plans: Cylinder[] = [];
  const holes: DrainHole[] = [];
  // 1. where: the axis of every hole
  if (opts.down) {
    const down = unit(opts.down);
    shells.shells.forEach((s, i) => {
      if (s.kind !== 'void' || -s.volumeMm3 < (opts.minVoidMm3 ?? 0)) return;
      const plan = autoHole(rays, i, down, r);
      holes.push(plan.hole);
      if (plan.hole.cut) plans.push(plan);
    });
  }
  for (const c of opts.clicks ?? []) {
    const plan = clickedHole(rays, c, r);
    holes.push(plan.hole);
    if (plan.hole.cut) plans.push(plan);
  }
  if (plans.length === 0) return { mesh, holes, voidsBefore: shells.voids, voidsAfter: shells.voids };

  // 2. cut them all at once; when that cuts a piece off or leaves a void a hole was for, one at a time
  const model = toManifold(wasm, mesh, 'the model');
  try {
    const all = subtract(wasm, model, plans, r);
    const after = classifyShells(fromManifold(all));
    const openedAll = after.voids <= shells.voids - new Set(plans.map((p) => p.target)).size && after.solids === shells.solids;
    if (openedAll) {
      const out = fromManifold(all);
      all.delete();
      return { mesh: out, holes, voidsBefore: shells.voids, voidsAfter: after.voids };
    }
    all.delete();
    let current = model.translate([0, 0, 0]);
    let counts = { solids: shells.solids, voids: shells.voids };
    const opened = new Set<number>();
    for (const p of plans) {
      const next = subtract(wasm, current, [p], r);
      const c = classifyShells(fromManifold(next));
      // (a second hole into a cavity already opened opens nothing new, and is fine)
      const why =
        c.solids > counts.solids ? 'it would cut a piece off the model' : c.voids >= counts.voids && !opened.has(p.target) ? 'it would not open the cavity' : null;
      if (why) {
        p.hole.cut = false;
        p.hole.why = why;
        next.delete();
        continue;
      }
      current.delete();
      current = next;
      counts = { solids: c.solids, voids: c.voids };
      opened.add(p.target);
    }
    const out = fromManifold(current);
    current.delete();
    return { mesh: out, holes, voidsBefore: shells.voids, voidsAfter: counts.voids };
  } finally {
    model.delete();
  }
}

/** `model` minus the holes' cylinders (a new Manifold). */
function subtract(wasm: ManifoldToplevel, model: Manifold, plans: Cylinder[], r: number): Manifold {
  const tools = plans.map((p) => cylinder(wasm, p.from, p.to, r));
  const cutter = tools.length === 1 ? tools[0] : wasm.Manifold.union(tools);
  const out = model.subtract(cutter);
  if (cutter !== tools[0]) cutter.delete();
  for (const t of tools) t.delete();
  return out;
}

/** A cylinder of radius r from point a to point b. */
function cylinder(wasm: ManifoldToplevel, a: Vec3, b: Vec3, r: number): Manifold {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len = Math.hypot(...d);
  const m = rotationBetween([0, 0, 1], d);
  m[3] = a[0];
  m[7] = a[1];
  m[11] = a[2];
  const c = wasm.Manifold.cylinder(len, r, r, SEGMENTS, false);
  const placed = c.transform(columnMajor(m));
  c.delete();
  return placed;
}

/** From the lowest point of void `s` straight down through the wall. */
function autoHole(rays: RayCaster, s: number, down: Vec3, r: number): Cylinder {
  const p = rays.extremeVertex(s, down);
  const hole: DrainHole = { kind: 'auto', at: p, axis: down, wallMm: 0, cut: false };
  // out: the first crossing that leaves a solid's outer surface going down; in: the void's far side above
  const below = rays.cast(p, down);
  const exit = below.findIndex((x) => x.solid && x.leaving);
  if (exit < 0) return { hole: { ...hole, why: 'no way out of the model below this cavity' }, target: s, from: p, to: p };
  const tOut = below[exit].t;
  const tNext = below[exit + 1]?.t ?? Infinity;
  const up = rays.cast(p, neg(down)).find((x) => x.shell === s);
  const tTop = up?.t ?? 0;
  const inside = Math.min(4 * r, tTop / 2);
  const beyond = Math.min(2 * r, (tNext - tOut) / 2);
  hole.at = along(p, down, tOut);
  hole.wallMm = tOut;
  hole.cut = true;
  return { hole, target: s, from: along(p, down, -inside), to: along(p, down, tOut + beyond) };
}

/** From a clicked point straight in, until the wall opens into a void. */
function clickedHole(rays: RayCaster, c: DrainClick, r: number): Cylinder {
  const u = unit(c.inward);
  const hole: DrainHole = { kind: 'click', at: c.at, axis: neg(u), wallMm: 0, cut: false };
  // start a little outside the surface: the first crossing is the clicked wall itself
  const start = along(c.at, u, -Math.max(0.5, r));
  const hits = rays.cast(start, u);
  const enter = hits.findIndex((x) => !x.leaving);
  const leave = enter < 0 ? -1 : hits.findIndex((x, i) => i > enter && x.leaving);
  if (enter < 0 || leave < 0) return { hole: { ...hole, why: 'the click is not on the model' }, target: -1, from: c.at, to: c.at };
  const wall = hits[leave];
  if (wall.solid) return { hole: { ...hole, why: 'there is no cavity behind that point' }, target: -1, from: c.at, to: c.at };
  const tIn = hits[enter].t, tWall = wall.t;
  const tFar = hits.find((x, i) => i > leave && x.shell === wall.shell)?.t ?? tWall;
  const behind = rays.cast(start, neg(u))[0]?.t ?? Infinity; // more of the model just outside the clicked wall
  const outside = Math.min(2 * r, behind / 2);
  const inside = Math.min(4 * r, (tFar - tWall) / 2);
  hole.at = along(start, u, tIn);
  hole.wallMm = tWall - tIn;
  hole.cut = true;
  return { hole, target: wall.shell, from: along(start, u, tWall + inside), to: along(start, u, tIn - outside) };
}

interface Hit {
  t: number;
  shell: number;
  /** the shell is a solid (else a void) */
  solid: boolean;
  /** the ray leaves the material there (the triangle faces along the ray) */
  leaving: boolean;
}

/** Rays against every triangle (Möller–Trumbore), with the shell each belongs to. */
class RayCaster {
  constructor(
    private readonly mesh: Mesh,
    private readonly shells: ShellReport,
  ) {}

  /** The vertex of shell `s` farthest along `dir`. */
  extremeVertex(s: number, dir: Vec3): Vec3 {
    const P = this.mesh.positions, I = this.mesh.indices;
    let best = -Infinity, at: Vec3 = [0, 0, 0];
    for (let t = 0; t < I.length / 3; t++) {
      if (this.shells.shellOfTriangle[t] !== s) continue;
      for (let k = 0; k < 3; k++) {
        const v = 3 * I[3 * t + k];
        const h = P[v] * dir[0] + P[v + 1] * dir[1] + P[v + 2] * dir[2];
        if (h > best) (best = h), (at = [P[v], P[v + 1], P[v + 2]]);
      }
    }
    return at;
  }

  /** Crossings of the ray o + t·d (t > a hair), nearest first. */
  cast(o: Vec3, d: Vec3): Hit[] {
    const P = this.mesh.positions, I = this.mesh.indices;
    const hits: Hit[] = [];
    for (let t = 0; t < I.length / 3; t++) {
      const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
      const e1x = P[b] - P[a], e1y = P[b + 1] - P[a + 1], e1z = P[b + 2] - P[a + 2];
      const e2x = P[c] - P[a], e2y = P[c + 1] - P[a + 1], e2z = P[c + 2] - P[a + 2];
      const px = d[1] * e2z - d[2] * e2y, py = d[2] * e2x - d[0] * e2z, pz = d[0] * e2y - d[1] * e2x;
      const det = e1x * px + e1y * py + e1z * pz;
      if (det === 0) continue;
      const inv = 1 / det;
      const sx = o[0] - P[a], sy = o[1] - P[a + 1], sz = o[2] - P[a + 2];
      const u = (sx * px + sy * py + sz * pz) * inv;
      if (u < 0 || u > 1) continue;
      const qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
      const v = (d[0] * qx + d[1] * qy + d[2] * qz) * inv;
      if (v < 0 || u + v > 1) continue;
      const dist = (e2x * qx + e2y * qy + e2z * qz) * inv;
      if (!(dist > 1e-6)) continue;
      const shell = this.shells.shellOfTriangle[t];
      // the normal e1 × e2 points out of the material: along the ray (det < 0 with this sign convention) means leaving
      hits.push({ t: dist, shell, solid: this.shells.shells[shell].kind === 'solid', leaving: det < 0 });
    }
    hits.sort((x, y) => x.t - y.t);
    // a ray through an edge or vertex meets two triangles of one crossing: keep one
    return hits.filter((h, i) => i === 0 || h.t - hits[i - 1].t > 1e-6 || h.shell !== hits[i - 1].shell || h.leaving !== hits[i - 1].leaving);
  }
}

const along = (p: Vec3, d: Vec3, t: number): Vec3 => [p[0] + t * d[0], p[1] + t * d[1], p[2] + t * d[2]];
const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
function unit(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new RangeError('drain holes: a direction must not be zero');
  return [v[0] / l, v[1] / l, v[2] / l];
}
