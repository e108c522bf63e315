// The segments of the scan on screen.
import { useRef } from 'react';
import type { SegmentStore } from './segmentStore';

/** The scan's segment store, set by useSegments; undo and redo revert and re-apply voxels through it. */
export function useSegmentStore() {
  return useRef<SegmentStore | null>(null);
}
