// Cut to fit the bed, for the file: the model at its export scale cut into parts that each fit the
// printer's bed (cut.ts cutToFit), every part turned the way it fits, stood on the bed (lowest point
// at z = 0) and laid out in a row along x, GAP_MM apart, the row centred on x = y = 0: one object per
// part in a 3MF, ready to arrange or print plate by plate.
//
// API: cutLayout(wasm, mesh, scalePercent, bedMm, pins?) → CutLayout | null (null: the model fits
//   whole, no cut; write it as placed). Parts that still do not fit (more than cut.ts's maxParts
//   needed) are laid out all the same, with fitsBed false.
//   planeCutLayout(wasm, mesh, placement, plane, bedMm, pins?) → CutLayout: the model as placed (the
//   frame the 3D view shows) cut at the user's plane (userPlane.ts) into one part per side, laid out
//   the same way; each part says whether it fits.
// pins (pins.ts): alignment pins and holes on every cut face with room for them.
import { cutByPlanes, cutToFit, type CutResult, type PinOptions } from './cut';
import type { ManifoldToplevel } from './manifoldKernel';
import { placeMesh, placeOnBed, scaleMesh, transformMesh, type Placement } from './placement';
import { userPlane, type UserPlane } from './userPlane';
import { placedSize } from './printFacts';
import type { Mesh, Vec3 } from './types';
import type { ModelObject } from './writers';

export const GAP_MM = 10;

export interface CutLayout {
  objects: ModelObject[];
  /** per part, as laid out: size (mm), volume (mm³), whether it fits the bed */
  parts: { sizeMm: Vec3; volumeMm3: number; fits: boolean }[];
  fitsBed: boolean;
  /** alignment pins placed, and cut faces with no room for one */
  pins: number;
  facesWithoutPins: number;
}

const bedOf = (bedMm: Vec3) => ({ widthMm: bedMm[0], depthMm: bedMm[1], heightMm: bedMm[2] });

export function cutLayout(wasm: ManifoldToplevel, mesh: Mesh, scalePercent: number, bedMm: Vec3, pins?: PinOptions): CutLayout | null {
  const scaled = scalePercent === 100 ? mesh : scaleMesh(mesh, scalePercent);
  const cut = cutToFit(wasm, scaled, { bed: bedOf(bedMm), pins });
  if (cut.parts.length === 1 && cut.fitsBed) return null;
  return layOut(cut);
}

export function planeCutLayout(wasm: ManifoldToplevel, mesh: Mesh, placement: Placement, plane: UserPlane, bedMm: Vec3, pins?: PinOptions): CutLayout {
  const placed = placeMesh(mesh, placement);
  return layOut(cutByPlanes(wasm, placed, [userPlane(placed, plane)], { bed: bedOf(bedMm), pins }));
}

/** Each part turned the way it fits (as it is when it does not), stood on z = 0, in a row along x. */
function layOut(cut: CutResult): CutLayout {
  // each part turned to fit, centred on x = y = 0 and stood at z = 0
  const stood = cut.parts.map((p) => placeOnBed(p.fit ? transformMesh(p.mesh, p.fit.rotation) : p.mesh, { scalePercent: 100, flatSideDown: false }));
  const sizes = stood.map(placedSize);
  const row = sizes.reduce((s, z) => s + z[0], 0) + GAP_MM * (stood.length - 1);
  let left = -row / 2;
  const n = stood.length;
  const objects = stood.map((m, i) => {
    const dx = left + sizes[i][0] / 2;
    left += sizes[i][0] + GAP_MM;
    for (let v = 0; v < m.positions.length; v += 3) m.positions[v] += dx;
    return { mesh: m, name: `Part ${i + 1} of ${n}` };
  });
  return {
    objects,
    parts: cut.parts.map((p, i) => ({ sizeMm: sizes[i], volumeMm3: p.volumeMm3, fits: p.fit !== null })),
    fitsBed: cut.fitsBed,
    pins: cut.pins,
    facesWithoutPins: cut.facesWithoutPins,
  };
}
