// What the 3D view shows: the model once built and current (each segment in its colour), else the live
// coarse preview (the segments', or the threshold's while there are no segments).
import { useMemo } from 'react';
import type { Mesh } from '../../workers/core/types';
import type { Model } from '../model/useModel';
import type { PreviewObject } from './MeshPreview';

export function usePreviewObjects(model: Model | null, stale: boolean, thresholdPreview: Mesh | null, segmentPreview: PreviewObject[] | null) {
  return useMemo(() => {
    if (model && !stale)
      return { live: false, objects: model.segments ? model.segments.map((g) => ({ mesh: g.mesh, color: g.color, name: g.name })) : [{ mesh: model.result.mesh }] };
    const objects = segmentPreview ?? (thresholdPreview ? [{ mesh: thresholdPreview }] : []);
    return { live: objects.length > 0, objects };
  }, [model, stale, thresholdPreview, segmentPreview]);
}
