// What the printability report needs beyond meshCheck, measured once per model in a worker:
//   pieceFacts(mesh) → solids, enclosed voids (and their volume), inverted shells (shells.ts): the
//     report says "1 solid + N enclosed voids", not "N pieces";
//   wallFacts(mesh, minWallMm) → the thinnest wall (thinWalls.ts thinnestPatch over the thickness map
//     of thickness.ts: a patch of at least 4 mm², so a decimation sliver does not count) and the thin
//     patches under the printer's minimum wall, thinnest first (at most MAX_THIN, with where they are);
//   placedSize(mesh) → the bounding box's size of a mesh already placed (placement.ts placeMesh).
//   sectionArea(mesh, z) → the area of the closed mesh's cross-section by the plane at height z (mm²;
//     holes and voids subtract): each triangle crossing the plane adds its segment, oriented by the
//     outward normal so the material lies on its left, to the shoelace sum. firstLayerArea(mesh) is the
//     section half a first layer (FIRST_LAYER_MM) above the lowest point: what the first layer prints
//     (a model standing on a tip has next to none: PrusaSlicer then refuses it, "no extrusions in the
//     first layer").
import { classifyShells } from './shells';
import { wallThickness } from './thickness';
import { thinnestPatch, thinPatches, type ThinPatch } from './thinWalls';
import type { Mesh, Vec3 } from './types';

export interface PieceFacts {
  solids: number;
  voids: number;
  /** enclosed voids' volume, mm³ */
  voidMm3: number;
  inverted: number;
}

export interface WallFacts {
  /** thinnest patch (null: no patch of the area, e.g. an empty mesh) */
  thinnest: ThinPatch | null;
  /** patches thinner than the minimum wall, thinnest first (at most MAX_THIN) */
  thin: ThinPatch[];
  /** how many there were before the cut to MAX_THIN */
  thinCount: number;
}

const MAX_THIN = 5;

export function pieceFacts(mesh: Mesh): PieceFacts {
  const r = classifyShells(mesh);
  const voidMm3 = r.shells.reduce((s, sh) => s + (sh.kind === 'void' ? Math.abs(sh.volumeMm3) : 0), 0);
  return { solids: r.solids, voids: r.voids, voidMm3, inverted: r.inverted };
}

export function wallFacts(mesh: Mesh, minWallMm: number): WallFacts {
  if (mesh.indices.length === 0) return { thinnest: null, thin: [], thinCount: 0 };
  const { thicknessMm } = wallThickness(mesh);
  const thin = thinPatches(mesh, thicknessMm, minWallMm);
  return { thinnest: thinnestPatch(mesh, thicknessMm), thin: thin.slice(0, MAX_THIN), thinCount: thin.length };
}

export function placedSize(mesh: Mesh): Vec3 {
  const P = mesh.positions;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < P.length; i += 3)
    for (let a = 0; a < 3; a++) {
      if (P[i + a] < lo[a]) lo[a] = P[i + a];
      if (P[i + a] > hi[a]) hi[a] = P[i + a];
    }
  return P.length === 0 ? [0, 0, 0] : [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
}

/** A usual first layer height, mm. */
export const FIRST_LAYER_MM = 0.2;

export function sectionArea(mesh: Mesh, z: number): number {
  const P = mesh.positions, I = mesh.indices;
  let twice = 0;
  const cut: number[] = [];
  for (let t = 0; t < I.length; t += 3) {
    const v = [3 * I[t], 3 * I[t + 1], 3 * I[t + 2]];
    cut.length = 0;
    for (let e = 0; e < 3; e++) {
      const a = v[e], b = v[(e + 1) % 3];
      const za = P[a + 2] - z, zb = P[b + 2] - z;
      if ((za < 0) === (zb < 0)) continue;
      const s = za / (za - zb);
      cut.push(P[a] + s * (P[b] - P[a]), P[a + 1] + s * (P[b + 1] - P[a + 1]));
    }
    if (cut.length !== 4) continue;
    // the triangle's normal (not normalised): material lies against it
    const ux = P[v[1]] - P[v[0]], uy = P[v[1] + 1] - P[v[0] + 1], uz = P[v[1] + 2] - P[v[0] + 2];
    const wx = P[v[2]] - P[v[0]], wy = P[v[2] + 1] - P[v[0] + 1], wz = P[v[2] + 2] - P[v[0] + 2];
    const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz;
    let [x0, y0, x1, y1] = cut;
    // left of the segment (ẑ × d = (−dy, dx)) must point away from the normal: into the material
    if (-(y1 - y0) * nx + (x1 - x0) * ny > 0) [x0, y0, x1, y1] = [x1, y1, x0, y0];
    twice += x0 * y1 - x1 * y0;
  }
  return twice / 2;
}

export function firstLayerArea(mesh: Mesh): number {
  const P = mesh.positions;
  let minZ = Infinity;
  for (let i = 2; i < P.length; i += 3) if (P[i] < minZ) minZ = P[i];
  return Number.isFinite(minZ) ? sectionArea(mesh, minZ + FIRST_LAYER_MM / 2) : 0;
}
