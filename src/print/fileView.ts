// What the 3D view shows of a file written in manifold-3d's worker (cut to fit, flat base, drain holes):
// the meshes the file holds, where they are in it, and where the drain holes open.
import type { DrainReport } from '../../workers/core/drainFile';
import type { Mat4 } from '../../workers/core/placement';
import type { Mesh, Vec3 } from '../../workers/core/types';

export interface FileView {
  /** the meshes the file holds, in its coordinates; named when there are several (cut parts) */
  objects: { mesh: Mesh; name?: string }[];
  /** from the model's coordinates to the file's (null: each part moved its own way, as a cut lays them out) */
  toFile: Mat4 | null;
  /** where each drain hole cut opens, in the file's coordinates (none for cut parts: they are moved) */
  holes: Vec3[];
}

const holesOf = (report: DrainReport | null): Vec3[] => (report ? report.holes.filter((h) => h.cut).map((h) => h.at) : []);

/** The model whole, drilled or on its base: one mesh, the model's points map into it. */
export function wholeView(mesh: Mesh, toFile: Mat4, drained: DrainReport | null): FileView {
  return { objects: [{ mesh }], toFile, holes: holesOf(drained) };
}

/** Cut parts, laid out on the bed, each named. */
export function cutView(meshes: Mesh[], names: string[]): FileView {
  return { objects: meshes.map((mesh, i) => ({ mesh, name: names[i] })), toFile: null, holes: [] };
}
