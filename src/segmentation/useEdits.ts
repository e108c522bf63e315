import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { maskEditsFor, type PieceChoices } from '../../workers/core/maskEdits';
import type { CropBox } from '../../workers/core/maskOps';
import type { Patch } from '../../workers/core/patch';
import type { Segment } from '../../workers/core/segments';
import type { ThresholdRange } from '../../workers/core/types';
import { record, redo, redoPatch, startHistory, undo, undoPatch, type History, type RecordOptions } from './editHistory';
import { presetRange, type ThresholdPreset } from './presets';

/** Everything the user edits about what gets printed; every change can be undone. */
export interface EditState extends PieceChoices {
  range: ThresholdRange;
  /** the preset the range came from (null once the range is set by hand) */
  preset: string | null;
  /** the segments' records (name, colour, layer and value); their voxels are in the segment store's layers */
  segments: readonly Segment[];
}

export const INITIAL_EDITS: EditState = {
  range: { lower: 300, upper: 3071 },
  preset: null,
  keepLargest: true,
  fillCavities: false,
  minPieceMl: 0,
  seeds: [],
  crop: null,
  segments: [],
};

/** Where undo and redo put voxels back (the scan's segment store), after any edit still writing them. */
export interface VoxelUndo {
  apply(p: Patch): void;
  revert(p: Patch): void;
  serial<T>(task: () => T): Promise<T>;
}

/**
 * The edit state with undo/redo (Ctrl+Z, Ctrl+Shift+Z), its setters, and the mask edits it means.
 * Steps that changed segment voxels carry their patch: undo reverts it on `voxels`, redo re-applies it.
 */
export function useEdits(voxels: { readonly current: VoxelUndo | null }) {
  const [h, setH] = useState<History<EditState>>(() => startHistory(INITIAL_EDITS));
  // the history is read through a ref: undo runs after queued voxel edits, on the history of then
  const hRef = useRef(h);
  const commit = useCallback((next: History<EditState>) => {
    hRef.current = next;
    setH(next);
  }, []);
  const change = useCallback(
    (kind: string, f: (s: EditState) => EditState, opts?: RecordOptions) => commit(record(hRef.current, f(hRef.current.current.state), kind, performance.now(), opts)),
    [commit],
  );
  const reset = useCallback((s: EditState) => commit(startHistory(s)), [commit]);
  /** the state now, even before React renders it (for edits queued behind others) */
  const peek = useCallback(() => hRef.current.current.state, []);
  const walk = useCallback(
    (back: boolean) => {
      const go = () => {
        const cur = hRef.current;
        const patch = back ? undoPatch(cur) : redoPatch(cur);
        if (patch) {
          if (back) voxels.current!.revert(patch);
          else voxels.current!.apply(patch);
        }
        commit(back ? undo(cur) : redo(cur));
      };
      if (voxels.current) void voxels.current.serial(go);
      else go();
    },
    [commit, voxels],
  );
  const onUndo = useCallback(() => walk(true), [walk]);
  const onRedo = useCallback(() => walk(false), [walk]);

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

  const state = h.current.state;
  const { keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop } = state;
  const maskEdits = useMemo(
    () => maskEditsFor({ keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop }),
    [keepLargest, fillCavities, minPieceMl, seeds, seedBand, crop],
  );

  return { state, maskEdits, set, change, peek, reset, undo: onUndo, redo: onRedo, canUndo: h.past.length > 0, canRedo: h.future.length > 0 };
}
