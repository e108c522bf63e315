// Placement of several objects (segments) exported as one model: they move together, so the parts of
// a multi-object print keep their places relative to each other. As scanned: patient LPS mm (scaled
// about the scanner origin when asked). On the bed: one transform, found on all of them merged, turns
// them flat side down, scales, centres and sets the lowest point of the whole at z = 0.
import { bedMatrix, scaleMesh, transformMesh, type Placement } from './placement';
import { mergeMeshes, type ModelObject, type WriteOptions } from './writers';

/** The placed objects and the coordinate space their file may declare (LPS only when untouched). */
export function placeObjects(objects: ModelObject[], placement: Placement): { objects: ModelObject[]; space: WriteOptions['space'] } {
  if (placement.where === 'scanner') {
    if (placement.scalePercent === 100) return { objects, space: 'LPS' };
    return { objects: objects.map((o) => ({ ...o, mesh: scaleMesh(o.mesh, placement.scalePercent) })), space: undefined };
  }
  const m = bedMatrix(mergeMeshes(objects.map((o) => o.mesh)), { scalePercent: placement.scalePercent, flatSideDown: true });
  const placed = objects.map((o) => ({ ...o, mesh: transformMesh(o.mesh, m) }));
  // float rounding can leave the lowest vertex a hair off 0: snap the whole exactly
  let minZ = Infinity;
  for (const o of placed) for (let i = 2; i < o.mesh.positions.length; i += 3) minZ = Math.min(minZ, o.mesh.positions[i]);
  if (Number.isFinite(minZ) && minZ !== 0)
    for (const o of placed) for (let i = 2; i < o.mesh.positions.length; i += 3) o.mesh.positions[i] = Math.max(0, o.mesh.positions[i] - minZ);
  return { objects: placed, space: undefined };
}
