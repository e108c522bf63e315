// What the 3D view shows: the model once built and current — as it will be written (placed on the bed
// and scaled when chosen), each segment in its colour, with its thin places marked — else the live
// coarse preview (the segments', or the threshold's while there are no segments).
import { useMemo } from 'react';
import type { Mesh, Vec3 } from '../../workers/core/types';
import type { Model } from '../model/useModel';
import type { PreviewObject } from './MeshPreview';

/**
 * `placed` is the model's whole mesh as written: the segments' meshes merged in order, so each
 * segment's vertices are the next run of it (placement moves vertices only); `marks` are vertices of it,
 * and `thickness` (the model's wall-thickness map, null until measured) has a value for each.
 */
export function usePreviewObjects(model: Model | null, stale: boolean, thresholdPreview: Mesh | null, segmentPreview: PreviewObject[] | null, placed: Mesh | null, marks: number[], thickness: Float32Array | null) {
  return useMemo(() => {
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
      return { live: false, objects, marks: points };
    }
    const objects = segmentPreview ?? (thresholdPreview ? [{ mesh: thresholdPreview }] : []);
    return { live: objects.length > 0, objects, marks: [] as Vec3[] };
  }, [model, stale, thresholdPreview, segmentPreview, placed, marks, thickness]);
}
