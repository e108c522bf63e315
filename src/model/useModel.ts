// Building the full model: one build at a time (a request during a build runs once it ends, with the
// settings of then), cancellable, and dropped when the scan changes meanwhile.
import { useCallback, useEffect, useRef, useState } from 'react';
import { cancelBuild, makeMesh, wasCancelled, type LoadedVolume } from '../engine';
import type { MaskEdits } from '../../workers/core/maskEdits';
import type { MeshResult } from '../../workers/core/pipeline';
import type { ThresholdRange } from '../../workers/core/types';
import type { EditState } from '../segmentation/useEdits';
import type { ModelSettings } from './ModelOptions';

export interface Model {
  result: MeshResult;
  range: ThresholdRange;
  /** the edit state it was made from (compared by identity: any edit makes the model stale) */
  edit: EditState;
  refine: ModelSettings;
  ms: number;
  /** the scan it was made from, by key (never held: a stale model must not keep an old scan alive) */
  scanKey: string;
  /** the scan's series description */
  description: string;
}

export type BuildActivity = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string } | { kind: 'info'; text: string };

const sameSettings = (a: ModelSettings, b: ModelSettings) => JSON.stringify(a) === JSON.stringify(b);

export function useModel(loaded: LoadedVolume | null, edit: EditState, edits: MaskEdits, refine: ModelSettings) {
  const [model, setModel] = useState<Model | null>(null);
  const [activity, setActivity] = useState<BuildActivity>({ kind: 'idle' });
  const [building, setBuilding] = useState(false);
  const buildingRef = useRef(false);
  const pending = useRef(false);
  const job = useRef(0);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const make = useCallback(async () => {
    if (!loaded) return;
    if (buildingRef.current) {
      pending.current = true;
      return;
    }
    buildingRef.current = true;
    setBuilding(true);
    const id = ++job.current;
    const range = { ...edit.range };
    setActivity({ kind: 'busy', text: 'Building the 3D model…' });
    const t0 = performance.now();
    try {
      const result = await makeMesh(loaded.volume, range, { ...edits, ...refine }, (stage) => {
        if (id === job.current) setActivity({ kind: 'busy', text: `Building the 3D model: ${stage}…` });
      });
      if (id !== job.current || loadedRef.current !== loaded) return;
      setModel({ result, range, edit, refine, ms: performance.now() - t0, scanKey: loaded.key, description: loaded.seriesDescription });
      setActivity({ kind: 'idle' });
    } catch (e) {
      if (id === job.current) setActivity(wasCancelled(e) ? { kind: 'info', text: 'Build cancelled' } : { kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      buildingRef.current = false;
      setBuilding(false);
      if (pending.current) {
        pending.current = false;
        setTimeout(() => makeRef.current(), 0);
      }
    }
  }, [loaded, edit, edits, refine]);
  const makeRef = useRef(make);
  makeRef.current = make;

  /** Stops the running build; the last model (if any) stays. */
  const cancel = useCallback(() => {
    if (!buildingRef.current) return;
    pending.current = false;
    cancelBuild();
  }, []);

  /** Stops any build and forgets its result: a new scan is coming (the model stays until it arrives). */
  const stop = useCallback(() => {
    ++job.current;
    pending.current = false;
    if (buildingRef.current) cancelBuild();
    setActivity({ kind: 'idle' });
  }, []);

  // a new scan: the old model goes
  useEffect(() => {
    setModel((m) => (m && m.scanKey !== loaded?.key ? null : m));
  }, [loaded]);

  const current = model && model.scanKey === loaded?.key ? model : null;
  const stale = current !== null && (current.edit !== edit || !sameSettings(current.refine, refine));

  return {
    model: current,
    stale,
    activity,
    building,
    make,
    /** builds a moment after a slider or histogram handle is let go (the preview showed the coarse mesh meanwhile) */
    makeSoon: useCallback(() => setTimeout(() => makeRef.current(), 60), []),
    cancel: building ? cancel : undefined,
    stop,
  };
}
