import { useCallback, useEffect, useState } from 'react';
import type { CropBox } from '../../workers/core/maskOps';
import type { ThresholdRange } from '../../workers/core/types';
import { record, redo, startHistory, undo, type History } from './editHistory';

/** Everything the user edits about what gets printed; every change can be undone. */
export interface EditState {
  range: ThresholdRange;
  /** the preset the range came from (null once the range is set by hand) */
  preset: string | null;
  /** the preset's narrow band, when it is a double threshold (dicom2stl's tissues) */
  seedBand?: ThresholdRange;
  keepLargest: boolean;
  fillCavities: boolean;
  /** pieces smaller than this (mL) are dropped when not keeping only the largest */
  minPieceMl: number;
  /** voxels (linear indices) picked in the slice views: keep the pieces through them */
  seeds: number[];
  /** only voxels inside this box print (null: the whole volume) */
  crop: CropBox | null;
}

export const INITIAL_EDITS: EditState = { range: { lower: 300, upper: 3071 }, preset: null, keepLargest: true, fillCavities: false, minPieceMl: 0, seeds: [], crop: null };

export function useEdits() {
  const [h, setH] = useState<History<EditState>>(() => startHistory(INITIAL_EDITS));
  const change = useCallback(
    (kind: string, f: (s: EditState) => EditState) => setH((x) => record(x, f(x.present), kind, performance.now())),
    [],
  );
  const reset = useCallback((s: EditState) => setH(startHistory(s)), []);
  const onUndo = useCallback(() => setH(undo), []);
  const onRedo = useCallback(() => setH(redo), []);

  // Ctrl/⌘+Z undoes, Ctrl/⌘+Shift+Z or Ctrl+Y redoes (not while typing in a text field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' && (t as HTMLInputElement).type === 'number')) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) onUndo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') onRedo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onUndo, onRedo]);

  return { edits: h.present, change, reset, undo: onUndo, redo: onRedo, canUndo: h.past.length > 0, canRedo: h.future.length > 0 };
}
