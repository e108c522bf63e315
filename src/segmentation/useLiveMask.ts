// What follows the edits live: the coarse 3D preview (newest request wins) and, a moment after the
// last change, the exact full-resolution mask of what will print for the slice overlay.
import { useEffect, useMemo, useRef, useState } from 'react';
import { previewMesh, printMaskWithStats, reserveBuildMemory, startPreview, type LoadedVolume } from '../engine';
import type { MaskEditStats, MaskEdits } from '../../workers/core/maskEdits';
import type { Mesh, ThresholdRange } from '../../workers/core/types';
import { latestOnly } from '../preview/latest';

/** Delay after the last change before the exact overlay mask is computed. */
const EXACT_MASK_DELAY_MS = 250;

export function useLiveMask(loaded: LoadedVolume | null, range: ThresholdRange, edits: MaskEdits) {
  // (scans are named by key, never held: a stale state must not keep an old scan's voxels alive)
  const [preview, setPreview] = useState<{ mesh: Mesh; requested: number; key: string } | null>(null);
  const [exact, setExact] = useState<{ mask: Uint8Array; stats: MaskEditStats; edits: MaskEdits; range: ThresholdRange } | null>(null);
  const previewReady = useRef<Promise<void> | null>(null);

  // a new scan: its coarse copy for the preview; the old scan's masks go
  useEffect(() => {
    previewReady.current = loaded ? startPreview(loaded.volume) : null;
    setExact(null);
    setPreview(null);
  }, [loaded]);

  const requestPreview = useMemo(
    () =>
      latestOnly(
        async (a: { range: ThresholdRange; edits: MaskEdits; requested: number; key: string }) => {
          await previewReady.current;
          const t0 = performance.now();
          const mesh = await previewMesh(a.range, a.edits);
          performance.measure('preview-mesh', { start: t0 });
          return mesh;
        },
        (mesh, a) => setPreview({ mesh, requested: a.requested, key: a.key }),
        () => {}, // a failed preview leaves the last one; the real build reports errors
      ),
    [],
  );
  useEffect(() => {
    if (loaded) requestPreview({ range, edits, requested: performance.now(), key: loaded.key });
  }, [loaded, range, edits, requestPreview]);

  useEffect(() => {
    if (!loaded) return;
    const t = setTimeout(() => {
      printMaskWithStats(loaded.volume, range, edits).then(
        ({ mask, stats }) => {
          setExact({ mask, stats, range, edits });
          // (the build's memory, sized by this mask and mapped while the page is idle)
          reserveBuildMemory(loaded.volume, range, mask).catch(() => {});
        },
        () => {}, // the overlay keeps showing the threshold band
      );
    }, EXACT_MASK_DELAY_MS);
    return () => clearTimeout(t);
  }, [loaded, range, edits]);

  useEffect(() => {
    if (!preview) return;
    // measured once the new mesh has been drawn (the preview renders on mesh change)
    requestAnimationFrame(() => performance.measure('preview-update', { start: preview.requested }));
  }, [preview]);

  return {
    /** the coarse mesh of the current scan, once one is made */
    previewMesh: preview && preview.key === loaded?.key ? preview.mesh : null,
    /** the exact mask for exactly these settings, else null (the overlay shows the threshold band) */
    overlayMask: exact && exact.edits === edits && exact.range === range ? exact.mask : null,
    /** what the piece edits did to exactly these settings (null until measured) */
    pieceStats: exact && exact.edits === edits && exact.range === range ? exact.stats : null,
  };
}
