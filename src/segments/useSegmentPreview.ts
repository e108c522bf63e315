// The live 3D preview of the segments: each shown segment's coarse surface (the preview worker's
// coarse grid, labels downsampled by majority vote) in its colour, made again after every change of
// the segments (newest request wins). Null while there are no segments: the view then shows the
// threshold's preview as it always did.
import { useEffect, useMemo, useRef, useState } from 'react';
import { previewSegments, type LoadedVolume } from '../engine';
import type { Segment } from '../../workers/core/segments';
import type { Mesh } from '../../workers/core/types';
import type { PreviewObject } from '../preview/MeshPreview';
import { latestOnly } from '../preview/latest';

/** `version` goes up with every voxel change of `layers`; `visible`: the segments shown. */
export function useSegmentPreview(loaded: LoadedVolume | null, layers: Uint8Array[] | null, version: number, visible: Segment[]): PreviewObject[] | null {
  const [meshes, setMeshes] = useState<{ key: string; meshes: Map<number, Mesh> } | null>(null);
  const request = useMemo(
    () =>
      latestOnly(
        async (a: { key: string; layers: Uint8Array[]; segments: Segment[] }) => {
          const t0 = performance.now();
          const r = await previewSegments(a.layers, a.segments);
          performance.measure('segments-preview', { start: t0 });
          return r;
        },
        (r, a) => setMeshes({ key: a.key, meshes: new Map(r.map((x) => [x.id, x.mesh])) }),
        () => {}, // a failed preview leaves the last one; the real build reports errors
      ),
    [],
  );
  const key = loaded?.key;
  // made again after voxel edits and when segments are shown or hidden (a new name or colour alone
  // changes no surface)
  const where = visible.map((g) => `${g.id}:${g.layer}:${g.value}`).join(' ');
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  useEffect(() => {
    if (key && layers && where) request({ key, layers: [...layers], segments: visibleRef.current });
  }, [key, layers, version, where, request]);

  return useMemo(() => {
    if (!layers || !key) return null;
    const m = meshes?.key === key ? meshes.meshes : null;
    return visible.flatMap((g) => {
      const mesh = m?.get(g.id);
      return mesh ? [{ mesh, color: g.color, name: g.name }] : [];
    });
  }, [layers, key, meshes, visible]);
}
