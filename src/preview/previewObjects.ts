// What the 3D view shows: the model once built and current — as it will be written (placed on the bed
// and scaled when chosen), each segment in its colour, with its thin places marked — else the live
// coarse preview (the segments', or the threshold's while there are no segments). A file written in
// manifold-3d's worker (cut parts laid out on the bed, a flat base, drain holes) is shown as the file
// holds it: each part in a shade of its own, the drain holes marked, the thin places only where the
// model's points still map into the file (not on cut parts, each moved its own way).
import { useMemo } from 'react';
import { applyPoint } from '../../workers/core/affine';
import type { Mat4 } from '../../workers/core/placement';
import type { Rgb } from '../../workers/core/segments';
import type { Mesh, Vec3 } from '../../workers/core/types';
import type { Model } from '../model/useModel';
import type { FileView } from '../print/fileView';
import type { PreviewObject } from './MeshPreview';

/** Cut parts' shades: bone first, then apart in hue and light enough to read the shape. */
export const PART_SHADES: Rgb[] = [
  [232, 224, 200],
  [130, 180, 235],
  [240, 160, 100],
  [140, 210, 140],
  [215, 150, 215],
  [235, 215, 110],
  [120, 210, 210],
  [235, 130, 140],
];

/**
 * `placed` is the model's whole mesh as written: the segments' meshes merged in order, so each
 * segment's vertices are the next run of it (placement moves vertices only); `marks` are vertices of it,
 * and `thickness` (the model's wall-thickness map, null until measured) has a value for each.
 */
export function usePreviewObjects(
  model: Model | null,
  stale: boolean,
  thresholdPreview: Mesh | null,
  segmentPreview: PreviewObject[] | null,
  placed: Mesh | null,
  marks: number[],
  thickness: Float32Array | null,
  file: FileView | null = null,
) {
  return useMemo((): { live: boolean; objects: PreviewObject[]; marks: Vec3[]; holes: Vec3[]; toFile: Mat4 | null; legend: boolean } => {
    if (model && !stale && file) return { live: false, ...fileObjects(model.result.mesh, file, marks), legend: file.objects.length > 1 };
    if (model && !stale) {
      const whole = placed ?? model.result.mesh;
      // the map of this model only (its vertex count matches), each segment's run of it
      const map = thickness && thickness.length === whole.positions.length / 3 ? thickness : undefined;
      let at = 0;
      const objects: PreviewObject[] = model.segments
        ? model.segments.map((g) => {
            const from = at;
            at += g.mesh.positions.length;
            return { mesh: { positions: whole.positions.subarray(from, at), indices: g.mesh.indices }, color: g.color, name: g.name, thicknessMm: map?.subarray(from / 3, at / 3) };
          })
        : [{ mesh: whole, thicknessMm: map }];
      const points = marks.map((v) => [whole.positions[3 * v], whole.positions[3 * v + 1], whole.positions[3 * v + 2]] as Vec3);
      return { live: false, objects, marks: points, holes: [], toFile: null, legend: false };
    }
    const objects = segmentPreview ?? (thresholdPreview ? [{ mesh: thresholdPreview }] : []);
    return { live: objects.length > 0, objects, marks: [] as Vec3[], holes: [], toFile: null, legend: false };
  }, [model, stale, thresholdPreview, segmentPreview, placed, marks, thickness, file]);
}

/** A file's meshes, several in distinct shades; `marks` (vertices of the model's own mesh) where they are in the file. */
export function fileObjects(model: Mesh, file: FileView, marks: number[]): { objects: PreviewObject[]; marks: Vec3[]; holes: Vec3[]; toFile: Mat4 | null } {
  const several = file.objects.length > 1;
  const objects = file.objects.map((o, i) => (several ? { ...o, color: PART_SHADES[i % PART_SHADES.length] } : o));
  const m = file.toFile;
  const points = m ? marks.map((v) => applyPoint(m, [model.positions[3 * v], model.positions[3 * v + 1], model.positions[3 * v + 2]])) : [];
  return { objects, marks: points, holes: file.holes, toFile: m };
}
