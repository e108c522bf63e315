// --rotaxis / --rotangle: the model turned about a patient axis (X, Y or Z of LPS), right-handed as
// VTK's vtkTransform RotateX/Y/Z that dicom2stl uses. dicom2stl turns about the axis through the
// coordinate origin, which can carry a model far from where it was; here the axis passes through the
// centre of the model's bounding box, so the model turns in place (the two differ by a translation
// only). Multiples of 90° are exact: their sines and cosines are 0 and ±1, not 6e-17.
import { transformMesh, type Mat4 } from '../core/placement';
import type { Mesh } from '../core/types';

/** cos and sin of `degrees`, exact at multiples of 90°. */
function cosSin(degrees: number): [number, number] {
  const d = ((degrees % 360) + 360) % 360;
  if (d % 90 === 0) return ([[1, 0], [0, 1], [-1, 0], [0, -1]] as [number, number][])[d / 90];
  const r = (d * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/** The 3×3 right-handed rotation about a coordinate axis, as a 4×4 row-major matrix about the origin. */
export function axisRotation(axis: 'X' | 'Y' | 'Z', degrees: number): Mat4 {
  const [c, s] = cosSin(degrees);
  if (axis === 'X') return [1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0, 0, 0, 0, 1];
  if (axis === 'Y') return [c, 0, s, 0, 0, 1, 0, 0, -s, 0, c, 0, 0, 0, 0, 1];
  return [c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** Centre of the mesh's bounding box. */
export function boxCentre(mesh: Mesh): [number, number, number] {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  const P = mesh.positions;
  for (let i = 0; i < P.length; i += 3)
    for (let a = 0; a < 3; a++) {
      const v = P[i + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  return P.length ? [0, 1, 2].map((a) => (lo[a] + hi[a]) / 2) as [number, number, number] : [0, 0, 0];
}

/** The mesh turned by `degrees` about the axis parallel to `axis` through `centre` (a new mesh). */
export function rotateMesh(mesh: Mesh, axis: 'X' | 'Y' | 'Z', degrees: number, centre = boxCentre(mesh)): Mesh {
  const m = axisRotation(axis, degrees);
  // x' = R (x − c) + c: the translation column is c − R c
  for (let r = 0; r < 3; r++) m[4 * r + 3] = centre[r] - (m[4 * r] * centre[0] + m[4 * r + 1] * centre[1] + m[4 * r + 2] * centre[2]);
  return transformMesh(mesh, m);
}
