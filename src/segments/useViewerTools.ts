// What a click or drag in the slice views does, from the tool chosen: pick pieces, crop, the segment
// tools (paint, erase, scissors, keep island: they edit the selected segment, so without one they
// stop), or Cornerstone's HU probe and ruler.
import { useEffect, useMemo } from 'react';
import type { SliceTool } from '../segmentation/EditTools';
import type { BrushHandlers } from '../viewer/Viewer';
import type { Segments } from './useSegments';

const SEGMENT_TOOLS: SliceTool[] = ['paint', 'erase', 'scissors', 'island'];

export function useViewerTools(tool: SliceTool, setTool: (t: SliceTool) => void, segments: Segments, pick: (voxel: number) => void) {
  const { selected, brush: settings, strokeStart, strokeMove, strokeEnd, ops } = segments;
  useEffect(() => {
    if (selected === null && SEGMENT_TOOLS.includes(tool)) setTool('none');
  }, [selected, tool, setTool]);
  const painting = selected !== null && (tool === 'paint' || tool === 'erase');
  const erase = tool === 'erase';
  const brush = useMemo<BrushHandlers | null>(
    () => (painting ? { radiusMm: settings.radiusMm, erase, start: (c) => strokeStart(c, erase), move: strokeMove, end: strokeEnd } : null),
    [painting, erase, settings.radiusMm, strokeStart, strokeMove, strokeEnd],
  );
  return {
    segments: segments.overlay,
    brush,
    onPick: tool === 'pick' ? pick : tool === 'island' && selected !== null ? ops.keepIslandAt : undefined,
    onCut: tool === 'scissors' && selected !== null ? ops.cut : undefined,
    measure: tool === 'probe' || tool === 'ruler' ? tool : null,
    onMeasure: (m: 'probe' | 'ruler' | null) => setTool(m ?? 'none'),
  };
}
