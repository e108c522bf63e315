import { useCallback, useEffect, useMemo, useState } from 'react';
import { maskEditsFor, type PieceChoices } from '../../workers/core/maskEdits';
import type { CropBox } from '../../workers/core/maskOps';
import type { ThresholdRange } from '../../workers/core/types';
import { record, redo, startHistory, undo, type History } from './editHistory';
import { presetRange, type ThresholdPreset } from './presets';

/** Everything the user edits about what gets printed; every change can be undone. */
export interface EditState extends PieceChoices {
  range: ThresholdRange;
  /** the preset the range came from (null once the range is set by hand) */
  preset: string | null;
}

export const INITIAL_EDITS: EditState = { range: { lower: 300, upper: 3071 }, preset: null, keepLargest: true, fillCavities: false, minPieceMl: 0, seeds: [], crop: null };

/** The edit state with undo/redo (Ctrl+Z, Ctrl+Shift+Z), its setters, and the mask edits it means. */
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

  const set = useMemo(
    () => ({
      range: (r: ThresholdRange) => change('range', (s) => ({ ...s, range: r, preset: null, seedBand: undefined })),
      keepLargest: (v: boolean) => change('keep', (s) => ({ ...s, keepLargest: v })),
      fillCavities: (v: boolean) => change('fill', (s) => ({ ...s, fillCavities: v })),
      minPieceMl: (v: number) => change('small', (s) => ({ ...s, minPieceMl: v })),
      addSeed: (v: number) => change('seed', (s) => ({ ...s, seeds: [...s.seeds, v] })),
      clearSeeds: () => change('seed-clear', (s) => ({ ...s, seeds: [] })),
      crop: (c: CropBox | null) => change('crop', (s) => ({ ...s, crop: c })),
      /** the preset's range, clamped to the scan's values */
      preset: (p: ThresholdPreset, min: number, max: number) => {
        const r = presetRange(p, max);
        const clamp = (v: number) => Math.min(max, Math.max(min, v));
        change('preset', (s) => ({ ...s, range: { lower: clamp(r.lower), upper: clamp(r.upper) }, preset: p.id, seedBand: p.seedBand }));
      },
    }),
    [change],
  );

  const state = h.present;
  const { keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop } = state;
  const maskEdits = useMemo(
    () => maskEditsFor({ keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop }),
    [keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop],
  );

  return { state, maskEdits, set, reset, undo: onUndo, redo: onRedo, canUndo: h.past.length > 0, canRedo: h.future.length > 0 };
}
