// Building the full model: one build at a time (a request during a build runs once it ends, with the
// settings of then), cancellable, and dropped when the scan changes meanwhile. With segments, the model
// is every shown segment, each meshed on its own (progress per segment); without, the threshold.
import { useCallback, useEffect, useRef, useState } from 'react';
import { cancelBuild, makeMesh, makeSegmentMeshes, ModelTooLarge, wasCancelled, type BuildProgress, type LoadedVolume } from '../engine';
import type { MaskEdits } from '../../workers/core/maskEdits';
import type { MeshResult } from '../../workers/core/pipeline';
import type { SegmentMeshResult } from '../../workers/core/segmentPipeline';
import type { Segment } from '../../workers/core/segments';
import type { ThresholdRange } from '../../workers/core/types';
import type { EditState } from '../segmentation/useEdits';
import type { ModelSettings } from './ModelOptions';
import { wholeOf } from './segmentModel';

/** The segments to build instead of the threshold: their layers and the shown ones (null: no segments). */
export interface SegmentParts {
  layers: Uint8Array[];
  visible: Segment[];
}

export interface Model {
  /** the whole model (a segments model: their meshes merged, their reports summed) */
  result: MeshResult;
  /** a segments model: one closed, named, coloured mesh per segment; null for a threshold model */
  segments: SegmentMeshResult[] | null;
  /** which segments were shown (ids), so showing or hiding one makes the model stale */
  shown: string;
  range: ThresholdRange;
  /** the edit state it was made from (compared by identity: any edit makes the model stale) */
  edit: EditState;
  refine: ModelSettings;
  ms: number;
  /** the scan it was made from, by key (never held: a stale model must not keep an old scan alive) */
  scanKey: string;
  /** the scan's series description */
  description: string;
  /** the denoised copy it was made from (LoadedVolume.denoised), so another Denoise choice makes it stale */
  denoised?: string;
}

/** How far decimation moved the surface (mm), as the report shows it: measured after the model is shown. */
export type DeviationShown = number | 'measuring' | 'not measured';

export type BuildActivity = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string } | { kind: 'info'; text: string };

/** A build refused because the tab could not hold it: what to tell, and whether half resolution is left to try. */
export interface TooLarge {
  text: string;
  canHalve: boolean;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;

function tooLargeText(e: ModelTooLarge): string {
  const { triangles, peakBytes } = e.estimate;
  const spare = e.limitBytes > 0 ? `this tab can spare about ${mib(e.limitBytes)}` : 'this tab has no memory to spare for it';
  return `This model would have about ${(triangles / 1e6).toFixed(1)} million triangles before decimation and need about ${mib(peakBytes)} while it is built; ${spare}.`;
}

/** "Building the 3D model: smoothing 40 %…" */
export const progressText = (p: BuildProgress) =>
  `Building the 3D model: ${p.stage}${p.fraction === undefined ? '' : ` ${Math.floor(100 * p.fraction)} %`}…`;

const sameSettings = (a: ModelSettings, b: ModelSettings) => JSON.stringify(a) === JSON.stringify(b);

const shownKey = (parts: SegmentParts | null) => (parts ? parts.visible.map((g) => g.id).join(',') : '');

export function useModel(loaded: LoadedVolume | null, edit: EditState, edits: MaskEdits, refine: ModelSettings, parts: SegmentParts | null) {
  const [model, setModel] = useState<Model | null>(null);
  const [activity, setActivity] = useState<BuildActivity>({ kind: 'idle' });
  const [building, setBuilding] = useState(false);
  const [tooLarge, setTooLarge] = useState<TooLarge | null>(null);
  const [progress, setProgress] = useState<BuildProgress | null>(null);
  // each model's deviation once it comes, by its result (kept apart from the model, whose identity
  // other hooks depend on: its figure coming must not redo the export or the print facts), so a
  // figure can only ever go to the model it was measured for
  const deviations = useRef(new WeakMap<MeshResult, DeviationShown>());
  const [, figureCame] = useState(0);
  const buildingRef = useRef(false);
  const pending = useRef(false);
  const job = useRef(0);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const run = useCallback(async (allowLarge: boolean) => {
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
    setTooLarge(null);
    const t0 = performance.now();
    const onProgress = (p: BuildProgress) => {
      if (id !== job.current || !buildingRef.current) return;
      setActivity({ kind: 'busy', text: progressText(p) });
      setProgress(p);
    };
    try {
      let result: MeshResult;
      let segments: SegmentMeshResult[] | null = null;
      if (parts) {
        if (!parts.visible.length) throw new Error('Every segment is hidden: show the segments to print (tick them in the list).');
        // segments are meshed at full resolution (each on its own box)
        const { resolution: _, ...refineOptions } = refine;
        const r = await makeSegmentMeshes(loaded.volume, parts.layers, parts.visible, refineOptions, (stage) => onProgress({ stage }));
        // each segment's time in workers, in the performance timeline (segments run side by side, so these overlap)
        for (const g of r.results) performance.measure(`segment-mesh ${g.name}`, { start: t0, duration: g.stages.reduce((s, x) => s + x.ms, 0) });
        if (!r.results.length) throw new Error('The shown segments are empty: paint them, or show others.');
        segments = r.results;
        result = wholeOf(r);
      } else result = await makeMesh(loaded.volume, range, { ...edits, ...refine, allowLarge }, onProgress);
      if (id !== job.current || loadedRef.current?.key !== loaded.key) return;
      const ms = performance.now() - t0;
      setModel({ result, segments, shown: shownKey(parts), range, edit, refine, ms, scanKey: loaded.key, description: loaded.seriesDescription, denoised: loaded.denoised });
      setActivity({ kind: 'idle' });
      // ('not measured': the workers were stopped first, by a next build cancelled or a new scan, or failed)
      const figure = (d: DeviationShown) => {
        deviations.current.set(result, d);
        figureCame((k) => k + 1);
      };
      result.deviation.then((d) => figure(d.mm), () => figure('not measured'));
    } catch (e) {
      if (id !== job.current) return;
      if (e instanceof ModelTooLarge) {
        const canHalve = refine.resolution !== 'half';
        setTooLarge({ text: tooLargeText(e), canHalve });
        setActivity({ kind: 'info', text: 'The model is too large for this tab: see "Build the model"' });
      } else setActivity(wasCancelled(e) ? { kind: 'info', text: 'Build cancelled' } : { kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      buildingRef.current = false;
      setBuilding(false);
      setProgress(null);
      if (pending.current) {
        pending.current = false;
        setTimeout(() => makeRef.current(), 0);
      }
    }
  }, [loaded, edit, edits, refine, parts]);
  const make = useCallback(() => run(false), [run]);
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
    setTooLarge(null);
  }, []);

  // a new scan: the old model goes
  useEffect(() => {
    setModel((m) => (m && m.scanKey !== loaded?.key ? null : m));
  }, [loaded]);

  // the refusal stands for the settings it was made with
  useEffect(() => setTooLarge(null), [edit, refine]);

  const current = model && model.scanKey === loaded?.key ? model : null;
  const stale = current !== null && (current.edit !== edit || !sameSettings(current.refine, refine) || current.shown !== shownKey(parts) || current.denoised !== loaded?.denoised);

  return {
    model: current,
    /** the model's deviation, once measured */
    deviationMm: (current && deviations.current.get(current.result)) ?? 'measuring',
    stale,
    activity,
    building,
    make,
    /** builds a moment after a slider or histogram handle is let go (the preview showed the coarse mesh meanwhile) */
    makeSoon: useCallback(() => setTimeout(() => makeRef.current(), 60), []),
    cancel: building ? cancel : undefined,
    stop,
    /** the running build's stage and how far it is */
    progress,
    /** the last build was refused as too large for this tab (until the settings change) */
    tooLarge,
    /** builds whatever the estimate says (the user knows the machine) */
    makeAnyway: useCallback(() => run(true), [run]),
  };
}
