// The segments of the scan on screen: their records (in the edit history, so every change undoes),
// which are shown and which is selected, and every operation on them. Voxel writes go through the
// scan's SegmentStore one at a time (serial): imports and heavy edits in the segments worker, brush
// strokes on the main thread; each returns the patch its history step carries.
//
// The scan is named by key, never held: callbacks read it through a ref, so a replaced scan is not
// kept alive by a stale closure.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { editSegment, exportSegmentation, importSegmentation, printMask, type LoadedVolume } from '../engine';
import type { MaskEdits } from '../../workers/core/maskEdits';
import type { Patch } from '../../workers/core/patch';
import type { SegmentEdit } from '../../workers/core/segmentEdits';
import {
  addEmptySegment,
  addImportedSegments,
  addSegmentFromMask,
  addSplitPieces,
  freeValues,
  removeSegment,
  type Rgb,
  type Segment,
} from '../../workers/core/segments';
import type { LogicalOp } from '../../workers/core/logical';
import type { ThresholdRange, Vec3 } from '../../workers/core/types';
import { downloadBlob, modelFileName } from '../export/modelFile';
import type { useEdits } from '../segmentation/useEdits';
import type { SegmentOverlay } from '../viewer/overlay';
import { viewGeometry } from '../viewer/overlay';
import { BrushStroke, type BrushSettings } from './brushStroke';
import { overlayColors } from './segmentColors';
import { SegmentStore } from './segmentStore';

type Edits = ReturnType<typeof useEdits>;

/** The scan's segment store, set by useSegments; undo and redo revert and re-apply voxels through it. */
export function useSegmentStore() {
  return useRef<SegmentStore | null>(null);
}

export interface SegmentMessage {
  text: string;
  error?: boolean;
}

/** What "Add segment" makes: the threshold's print mask, named after the preset. */
export interface ThresholdSource {
  range: ThresholdRange;
  maskEdits: MaskEdits;
  /** the active preset's label, or '' */
  label: string;
}

export type ScissorsMode = 'erase-inside' | 'erase-outside' | 'fill-inside';

/** `base`, or `base 2`, `base 3`… whichever no segment has. */
function uniqueName(base: string, segments: readonly Segment[]): string {
  const names = new Set(segments.map((g) => g.name));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useSegments(loaded: LoadedVolume | null, edits: Edits, storeRef: { current: SegmentStore | null }) {
  // one store per scan, made when the scan is first seen (it makes no layer before the first segment)
  if (loaded && storeRef.current?.key !== loaded.key) storeRef.current = new SegmentStore(loaded.key, loaded.volume);
  if (!loaded) storeRef.current = null;
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  const records = edits.state.segments;
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [chosen, setChosen] = useState<number | null>(null);
  const [pending, setPending] = useState<string[]>([]);
  const [messages, setMessages] = useState<SegmentMessage[]>([]);
  const [brush, setBrush] = useState<BrushSettings>({ radiusMm: 5, limitHu: false, hu: { lower: 300, upper: 3071 } });
  const [scissors, setScissors] = useState<ScissorsMode>('erase-inside');
  const key = loaded?.key;
  useEffect(() => {
    setHidden(new Set());
    setChosen(null);
    setMessages([]);
    setPending([]);
  }, [key]);

  const selected = chosen !== null && records.some((g) => g.id === chosen) ? chosen : null;
  const { change, peek } = edits;

  /**
   * Runs `task` on the store after the voxel writes queued before it; `label` says what is running.
   * A task whose scan was replaced meanwhile commits nothing.
   */
  const run = useCallback(
    (label: string, task: (s: SegmentStore, scan: LoadedVolume) => Promise<void> | void) => {
      const s = storeRef.current, scan = loadedRef.current;
      if (!s || !scan) return Promise.resolve();
      setPending((p) => [...p, label]);
      return s
        .serial(() => (storeRef.current === s ? task(s, scan) : undefined))
        .catch((e: unknown) => {
          if (storeRef.current === s) setMessages((m) => [...m, { text: message(e), error: true }]);
        })
        .finally(() =>
          setPending((p) => {
            const i = p.indexOf(label);
            return i < 0 ? p : [...p.slice(0, i), ...p.slice(i + 1)];
          }),
        );
    },
    [storeRef],
  );

  /** Commits the store's records (after an operation changed them) with the voxels it wrote. */
  const commitRecords = useCallback(
    (kind: string, s: SegmentStore, patch: Patch | null) => change(kind, (st) => ({ ...st, segments: s.records() }), { patch }),
    [change],
  );

  const addFromThreshold = useCallback(
    (src: ThresholdSource) =>
      run('Adding the segment', async (s, scan) => {
        const mask = await printMask(scan.volume, src.range, src.maskEdits);
        if (storeRef.current !== s) return;
        s.useRecords(peek().segments);
        const name = uniqueName(src.label || 'Segment', s.seg.segments);
        const { segment, patch } = addSegmentFromMask(s.seg, { name, source: 'threshold', range: src.range }, mask);
        s.counted(patch);
        commitRecords('segment-add', s, patch);
        setChosen(segment.id);
        if (!s.voxels(segment)) setMessages([{ text: `${name} is empty: nothing is inside the threshold. Paint it, or change the threshold and add again.` }]);
      }),
    [run, peek, commitRecords, storeRef],
  );

  const addEmpty = useCallback(
    () =>
      run('Adding the segment', (s) => {
        s.useRecords(peek().segments);
        const g = addEmptySegment(s.seg, { name: uniqueName('Painted', s.seg.segments), source: 'paint' });
        commitRecords('segment-add', s, null);
        setChosen(g.id);
      }),
    [run, peek, commitRecords],
  );

  /** Imports segmentation files onto the scan, one after another; each says what it brought or why not. */
  const importFiles = useCallback(
    (files: File[]) => {
      setMessages([]);
      for (const file of files)
        void run(`Importing ${file.name}`, async (s, scan) => {
          const t0 = performance.now();
          const imp = await importSegmentation(file, scan.volume);
          if (storeRef.current !== s) return;
          s.useRecords(peek().segments);
          const { segments, patch } = addImportedSegments(s.seg, imp.layers, imp.segments);
          s.counted(patch);
          commitRecords('import', s, patch);
          performance.measure('segments-import', { start: t0 });
          const names = segments.length <= 6 ? `: ${segments.map((g) => g.name).join(', ')}` : '';
          const notes = imp.notes.map((n) => `${n[0].toUpperCase()}${n.slice(1)}${/[.!?]$/.test(n) ? '' : '.'}`);
          const text = [`${file.name}: ${segments.length} segment${segments.length === 1 ? '' : 's'} imported (${imp.format})${names}.`, ...notes].join(' ');
          setMessages((m) => [...m, { text }]);
        });
    },
    [run, peek, commitRecords, storeRef],
  );

  // files opened with a scan wait for it to be the scan on screen (its store), then import
  const [queued, setQueued] = useState<{ key: string; files: File[] } | null>(null);
  useEffect(() => {
    if (!queued || queued.key !== key) return;
    setQueued(null);
    importFiles(queued.files);
  }, [queued, key, importFiles]);
  const importOnto = useCallback((files: File[], scanKey: string) => setQueued({ key: scanKey, files }), []);

  const remove = useCallback(
    (id: number) =>
      run('Deleting the segment', (s) => {
        s.useRecords(peek().segments);
        const { patch } = removeSegment(s.seg, id);
        s.counted(patch);
        commitRecords('segment-remove', s, patch);
      }),
    [run, peek, commitRecords],
  );

  /** Changes a record (name, colour) after any queued operation, so none overwrites it. */
  const update = useCallback(
    (kind: string, id: number, f: (g: Segment) => Segment) =>
      run('Updating the segment', () => change(kind, (st) => ({ ...st, segments: st.segments.map((g) => (g.id === id ? f(g) : g)) }))),
    [run, change],
  );
  const rename = useCallback((id: number, name: string) => update(`rename:${id}`, id, (g) => ({ ...g, name })), [update]);
  const recolour = useCallback((id: number, color: Rgb) => update(`colour:${id}`, id, (g) => ({ ...g, color })), [update]);

  /** Runs an edit of the selected segment in the segments worker (in the slice views' geometry for `viewGrid`). */
  const editSelected = useCallback(
    (label: string, kind: string, make: (g: Segment) => SegmentEdit, viewGrid = false) => {
      const id = selected;
      if (id === null) return Promise.resolve();
      return run(label, async (s, scan) => {
        const g = peek().segments.find((x) => x.id === id);
        if (!g) return;
        s.useRecords(peek().segments);
        const e = make(g);
        const grid = viewGrid ? viewGeometry(scan.volume) : scan.volume;
        const r = await editSegment(s.layers, { dims: grid.dims, spacing: grid.spacing, origin: grid.origin, direction: grid.direction }, e);
        if (storeRef.current !== s) return;
        s.counted(r.patch);
        s.useRecords(peek().segments);
        if (r.pieces && r.pieces.length > 1) addSplitPieces(s.seg, id, r.pieces);
        if (!r.patch.layers.length && !r.pieces) setMessages([{ text: `${label}: nothing changed.` }]);
        commitRecords(kind, s, r.patch);
      });
    },
    [selected, run, peek, commitRecords, storeRef],
  );

  const target = (g: Segment) => ({ layer: g.layer, value: g.value });
  const ops = useMemo(
    () => ({
      removeSmall: (minMl: number) => editSelected('Removing small islands', 'islands', (g) => ({ kind: 'removeSmallIslands', target: target(g), minMl })),
      split: () =>
        editSelected('Splitting into pieces', 'split', (g) => ({ kind: 'split', target: target(g), values: freeValues(storeRef.current!.seg, g.layer), maxPieces: 64 })),
      margin: (mm: number) => editSelected(mm > 0 ? 'Growing' : 'Shrinking', 'margin', (g) => ({ kind: 'margin', target: target(g), mm })),
      fillHoles: () => editSelected('Filling holes', 'fill-holes', (g) => ({ kind: 'fillHoles', target: target(g) })),
      logical: (otherId: number, op: LogicalOp) =>
        editSelected(`${op[0].toUpperCase()}${op.slice(1)}`, 'logical', (g) => {
          const o = peek().segments.find((x) => x.id === otherId)!;
          return { kind: 'logical', target: target(g), other: target(o), op };
        }),
      keepIslandAt: (voxel: number) => editSelected('Keeping the island', 'keep-island', (g) => ({ kind: 'keepIsland', target: target(g), seed: voxel })),
      /** a scissors outline in a view (patient mm on the view's plane, the view's normal) */
      cut: (polygon: Vec3[], normal: Vec3) =>
        editSelected(
          'Scissors',
          'scissors',
          (g) => ({
            kind: 'scissors',
            target: target(g),
            cut: { polygon, normal, region: scissors === 'erase-outside' ? 'outside' : 'inside', action: scissors === 'fill-inside' ? 'fill' : 'erase' },
          }),
          true,
        ),
    }),
    [editSelected, peek, scissors, storeRef],
  );

  // ---- the brush: strokes painted on the main thread ----
  const stroke = useRef<{ s: SegmentStore; b: BrushStroke } | null>(null);
  const strokes = useRef(0);
  const strokeStart = useCallback(
    (centre: Vec3, erase: boolean): boolean => {
      const s = storeRef.current, scan = loadedRef.current;
      const g = records.find((x) => x.id === selected);
      if (!s || !scan || !g || s.busy) return false;
      const b = new BrushStroke(s, target(g), scan.volume, { ...brush, erase }, scan.volume.data);
      stroke.current = { s, b };
      b.to(centre);
      return true;
    },
    [records, selected, brush, storeRef],
  );
  const strokeMove = useCallback((centre: Vec3) => stroke.current?.b.to(centre), []);
  const strokeEnd = useCallback(() => {
    const st = stroke.current;
    stroke.current = null;
    if (!st || storeRef.current !== st.s) return;
    const patch = st.b.finish();
    // one undo step per stroke (a new object: the model and the previews see a change)
    if (patch) change(`stroke:${++strokes.current}`, (x) => ({ ...x }), { patch, group: true });
  }, [change, storeRef]);

  const saveSegmentation = useCallback(
    (kind: 'seg.nrrd' | 'nii.gz') =>
      run('Saving the segmentation', async (s, scan) => {
        const segs = peek().segments;
        if (!segs.length) return;
        const r = await exportSegmentation(kind, scan.volume, s.layers, [...segs]);
        downloadBlob([r.bytes], modelFileName(scan.seriesDescription || 'segmentation', kind, 'segments'), kind === 'nii.gz' ? 'application/gzip' : 'application/octet-stream');
        if (r.overlapVoxels)
          setMessages([{ text: `${r.overlapVoxels} voxels belong to two segments: a NIfTI label map holds one label per voxel, so the later segment kept them (a .seg.nrrd keeps both).` }]);
      }),
    [run, peek],
  );

  const store = storeRef.current;
  const layerCount = store?.layers.length ?? 0;
  const colors = useMemo(() => overlayColors(layerCount, records, hidden, selected), [layerCount, records, hidden, selected]);
  // a new object after every voxel change, so the views redraw and the preview follows
  const version = store?.version ?? 0;
  const overlay = useMemo<SegmentOverlay | null>(
    () => (store && records.length && layerCount ? { layers: [...store.layers], colors } : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, records.length, layerCount, colors, version],
  );
  const visible = useMemo(() => records.filter((g) => !hidden.has(g.id)).map((g) => ({ ...g, visible: true })), [records, hidden]);

  return {
    records,
    /** the shown segments: what the previews show and the model prints */
    visible,
    hidden,
    setShown: useCallback(
      (ids: number[], shown: boolean) =>
        setHidden((h) => {
          const next = new Set(h);
          for (const id of ids) {
            if (shown) next.delete(id);
            else next.add(id);
          }
          return next;
        }),
      [],
    ),
    selected,
    select: setChosen,
    /** volume of a segment in mL, and its voxels */
    ml: (g: Segment) => store?.ml(g) ?? 0,
    voxels: (g: Segment) => store?.voxels(g) ?? 0,
    overlay,
    /** the label layers while there are segments (else null), and their voxel version */
    layers: overlay ? store!.layers : null,
    version,
    busy: pending[0] ?? null,
    messages,
    brush,
    setBrush,
    scissors,
    setScissors,
    addFromThreshold,
    addEmpty,
    importFiles,
    /** imports files onto the scan `scanKey` once it is the one on screen */
    importOnto,
    remove,
    rename,
    recolour,
    ops,
    strokeStart,
    strokeMove,
    strokeEnd,
    saveSegmentation,
  };
}

export type Segments = ReturnType<typeof useSegments>;
