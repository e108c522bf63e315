// Picking pieces in the slices: a click keeps the piece under it. A click that misses every piece
// (on a voxel outside the threshold or the crop box) would keep nothing: it is refused and said.
import { useCallback, useEffect, useState } from 'react';
import type { LoadedVolume } from '../engine';
import { pickLands } from '../../workers/core/maskEdits';
import type { useEdits } from './useEdits';

export function usePicking(loaded: LoadedVolume | null, edits: ReturnType<typeof useEdits>) {
  const [miss, setMiss] = useState<string | null>(null);
  const { range, crop } = edits.state;
  const addSeed = edits.set.addSeed;
  useEffect(() => setMiss(null), [loaded, range, crop]);
  const pick = useCallback(
    (voxel: number) => {
      if (!loaded) return;
      if (pickLands(loaded.volume, range, voxel, crop)) {
        setMiss(null);
        addSeed(voxel);
      } else {
        const value = `${loaded.volume.data[voxel]}${loaded.modality === 'CT' ? ' HU' : ''}`;
        setMiss(`That click is not on any piece (${value} is outside the threshold${crop ? ' or the crop box' : ''}), so nothing was picked: click on the orange.`);
      }
    },
    [loaded, range, crop, addSeed],
  );
  return { pick, miss };
}
