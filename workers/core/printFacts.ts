// What the printability report needs beyond meshCheck, measured once per model in a worker:
//   pieceFacts(mesh) → solids, enclosed voids (and their volume), inverted shells (shells.ts): the
//     report says "1 solid + N enclosed voids", not "N pieces";
//   wallFacts(mesh, minWallMm, thicknessMm?) → the thinnest wall (thinWalls.ts thinnestPatch over the
//     thickness map of thickness.ts: a patch of at least 4 mm², so a decimation sliver does not count),
//     the thin patches under the printer's minimum wall, thinnest first (at most MAX_THIN, with where
//     they are), and the map itself (per vertex, for the 3D view's colours). The app measures the map
//     once per model over a pool (thicknessPool.ts) and passes it, for every printer and scale;
//   placedSize(mesh) → the bounding box's size of a mesh already placed (placement.ts placeMesh).
// (The first layer as placed: base.ts firstLayer with down = −z.)
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
  /** the thickness map: per vertex of the mesh, mm (NaN at a vertex of no area; see thickness.ts) */
  thicknessMm: Float32Array;
}

const MAX_THIN = 5;

export function pieceFacts(mesh: Mesh): PieceFacts {
  const r = classifyShells(mesh);
  const voidMm3 = r.shells.reduce((s, sh) => s + (sh.kind === 'void' ? Math.abs(sh.volumeMm3) : 0), 0);
  return { solids: r.solids, voids: r.voids, voidMm3, inverted: r.inverted };
}

export function wallFacts(mesh: Mesh, minWallMm: number, thicknessMm?: Float32Array): WallFacts {
  if (mesh.indices.length === 0) return { thinnest: null, thin: [], thinCount: 0, thicknessMm: thicknessMm ?? new Float32Array(mesh.positions.length / 3).fill(NaN) };
  thicknessMm ??= wallThickness(mesh).thicknessMm;
  const thin = thinPatches(mesh, thicknessMm, minWallMm);
  return { thinnest: thinnestPatch(mesh, thicknessMm), thin: thin.slice(0, MAX_THIN), thinCount: thin.length, thicknessMm };
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

