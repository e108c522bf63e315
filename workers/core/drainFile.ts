// Drain holes for the file: drain.ts applied to the model as the file places it (its −z is down on the
// printer, its millimetres are the printed ones), with the holes the user clicked kept in the model's
// own coordinates so they survive a new placement or scale.
//
// API (wasm = await loadManifold()):
//   drainInFile(wasm, fileMesh, toFile, request) → { mesh, report }: `fileMesh` is the model as the
//     file has it, `toFile` the matrix from the model's coordinates to it (affine.ts; clicks and the
//     minimum void go through it). Automatic holes open every void of at least request.minVoidMm3
//     (model mm³) from its lowest point straight down; smaller voids are counted, not drilled.
//     report.removedMm3: the material the holes took (printed mm³). The mesh is closed and manifold
//     (manifold-3d); the input itself when no hole was cut.
import { applyDirection, applyPoint } from './affine';
import { drainHoles, type DrainClick, type DrainHole } from './drain';
import type { ManifoldToplevel } from './manifoldKernel';
import { checkMesh } from './meshCheck';
import type { Mat4 } from './placement';
import { classifyShells } from './shells';
import type { Mesh } from './types';

export interface DrainRequest {
  /** printed mm */
  diameterMm: number;
  /** holes the user clicked, in the model's own coordinates */
  clicks: DrainClick[];
  /** voids smaller than this (model mm³) get no automatic hole */
  minVoidMm3: number;
}

export interface DrainReport {
  diameterMm: number;
  /** every hole tried, automatic first, then the clicked ones in order; `at` in the file's coordinates */
  holes: DrainHole[];
  voidsBefore: number;
  voidsAfter: number;
  /** voids under the minimum, left without an automatic hole */
  smallVoids: number;
  /** material the holes removed, printed mm³ */
  removedMm3: number;
}

export function drainInFile(wasm: ManifoldToplevel, fileMesh: Mesh, toFile: Mat4, request: DrainRequest): { mesh: Mesh; report: DrainReport } {
  // 1. the request in the file's coordinates: volumes scale by the determinant
  const det = toFile[0] * (toFile[5] * toFile[10] - toFile[6] * toFile[9]) - toFile[1] * (toFile[4] * toFile[10] - toFile[6] * toFile[8]) + toFile[2] * (toFile[4] * toFile[9] - toFile[5] * toFile[8]);
  const minVoid = request.minVoidMm3 * Math.abs(det);
  const clicks = request.clicks.map((c) => ({ at: applyPoint(toFile, c.at), inward: applyDirection(toFile, c.inward) }));
  const small = classifyShells(fileMesh).shells.filter((s) => s.kind === 'void' && -s.volumeMm3 < minVoid).length;
  // 2. drill (drain.ts), down being the file's −z
  const r = drainHoles(wasm, fileMesh, { diameterMm: request.diameterMm, down: [0, 0, -1], minVoidMm3: minVoid, clicks });
  // 3. what it took
  const removedMm3 = r.mesh === fileMesh ? 0 : checkMesh(fileMesh).volumeMm3 - checkMesh(r.mesh).volumeMm3;
  return {
    mesh: r.mesh,
    report: { diameterMm: request.diameterMm, holes: r.holes, voidsBefore: r.voidsBefore, voidsAfter: r.voidsAfter, smallVoids: small, removedMm3 },
  };
}
