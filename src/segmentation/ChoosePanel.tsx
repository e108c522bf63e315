import type { ReactNode } from 'react';
import type { LoadedVolume } from '../engine';
import type { ThresholdPreset } from './presets';
import { EditTools, type SliceTool } from './EditTools';
import { ThresholdControls } from './ThresholdControls';
import { valueUnit } from './autoThreshold';
import type { useEdits } from './useEdits';

interface Props {
  loaded: LoadedVolume;
  presets: ThresholdPreset[];
  edits: ReturnType<typeof useEdits>;
  tool: SliceTool;
  onTool: (t: SliceTool) => void;
  /** a load is running */
  locked: boolean;
  /** a slider or histogram handle was let go */
  onRelease: () => void;
  pickMiss?: string | null;
  /** the segments section: after the threshold while there are none, first once there are */
  segments?: ReactNode;
  segmentsFirst?: boolean;
  /** the Denoise choice, under the threshold */
  denoise?: ReactNode;
}

/** Step 2: the threshold (presets, histogram, sliders), which pieces print, and the slice tools. */
export function ChoosePanel({ loaded, presets, edits, tool, onTool, locked, onRelease, pickMiss, segments, segmentsFirst, denoise }: Props) {
  const edit = edits.state;
  const set = edits.set;
  return (
    <section className="panel" aria-labelledby="step-choose" id="choose">
      <h2 id="step-choose">2 · Choose what to print</h2>
      {segmentsFirst && segments}
      <ThresholdControls
        range={edit.range}
        hist={loaded.histogram}
        presets={presets}
        unit={valueUnit(loaded.modality)}
        activePreset={edit.preset}
        onPreset={(p) => set.preset(p, loaded.min, loaded.max)}
        onRelease={onRelease}
        min={loaded.min}
        max={loaded.max}
        keepLargest={edit.keepLargest}
        fillCavities={edit.fillCavities}
        minPieceMl={edit.minPieceMl}
        disabled={locked}
        onRange={set.range}
        onKeepLargest={set.keepLargest}
        onFillCavities={set.fillCavities}
        onMinPieceMl={set.minPieceMl}
      />
      {denoise}
      <EditTools
        tool={tool}
        onTool={onTool}
        hasCrop={!!edit.crop}
        onRemoveCrop={() => set.crop(null)}
        picks={edit.seeds.length}
        onClearPicks={set.clearSeeds}
        canUndo={edits.canUndo}
        canRedo={edits.canRedo}
        onUndo={edits.undo}
        onRedo={edits.redo}
        pickMiss={pickMiss}
      />
      {!segmentsFirst && segments}
    </section>
  );
}
