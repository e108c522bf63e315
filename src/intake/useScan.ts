// The scan the app works on, and loading one: files, a series of the files opened last, or the demo.
// One load at a time: a new one aborts the running one; Cancel stops it and keeps the scan shown.
import { useCallback, useRef, useState } from 'react';
import {
  closeScan,
  currentSeriesId,
  LoadCancelled,
  loadDemoScan,
  loadFiles,
  loadSeries,
  releaseBuildMemory,
  skippedSegmentations,
  splitSegmentationFiles,
  type LoadControl,
  type LoadedVolume,
  type Progress,
} from '../engine';
import type { Volume } from '../../workers/core/types';
import type { Downsample, SizeOffer } from '../../workers/intake/downsample';
import { sliceEngine } from '../viewer/cornerstone';

/** What loading is doing: reading (with progress), asking about the size, or how the last load ended. */
export type LoadActivity = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string } | { kind: 'info'; text: string };

/** "Decoding slices 37 / 300 · I370.dcm" (the file's base name). */
export function progressText(p: Progress): string {
  const file = p.file?.split('/').pop();
  return `${p.phase[0].toUpperCase()}${p.phase.slice(1)} ${p.done} / ${p.total}${file ? ` · ${file}` : ''}`;
}

/**
 * A scan being loaded while none is shown: its volume from the moment its buffer is made, its slices
 * arriving one by one (see LoadControl.onVolume), so the slice views can show it before it is done.
 */
export interface ArrivingScan {
  /** unique per load */
  key: string;
  volume: Volume;
  /** 1 for each slice (by k) written so far */
  arrived: Uint8Array;
  /** Calls `onSlice` with each slice (its k) written from now on; returns the call that stops it. */
  listen(onSlice: (k: number) => void): () => void;
}

export interface ScanHooks {
  /** a load starts (the scan shown may be replaced): stop work on the old one */
  onLoadStart?: () => void;
  /** a volume was loaded and is now the scan */
  onLoaded?: (v: LoadedVolume) => void;
  /**
   * segmentation files opened with the scan (after it loaded: `scanKey` names it), or alone onto the
   * scan on screen
   */
  onSegmentations?: (files: File[], scanKey: string) => void;
}

export function useScan({ onLoadStart, onLoaded, onSegmentations }: ScanHooks = {}) {
  const [loaded, setLoaded] = useState<LoadedVolume | null>(null);
  const [arriving, setArriving] = useState<ArrivingScan | null>(null);
  const [activity, setActivity] = useState<LoadActivity>({ kind: 'idle' });
  // the load running now (its abort stops it), and the size question it is waiting on, if any
  const running = useRef<AbortController | null>(null);
  const job = useRef(0);
  const [cancellable, setCancellable] = useState(false);
  const [sizeOffer, setSizeOffer] = useState<{ offer: SizeOffer; answer: (d: Downsample | null) => void } | null>(null);
  const hooks = useRef({ onLoadStart, onLoaded, onSegmentations });
  hooks.current = { onLoadStart, onLoaded, onSegmentations };
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  /** Shows the downsample offer; resolves to the choice, rejects with LoadCancelled on "Cancel" or abort. */
  const askSize = useCallback(
    (offer: SizeOffer, signal: AbortSignal) =>
      new Promise<Downsample>((resolve, reject) => {
        const cancel = () => {
          setSizeOffer(null);
          reject(new LoadCancelled());
        };
        signal.addEventListener('abort', cancel, { once: true });
        setActivity({ kind: 'busy', text: 'This scan is large: choose how to load it' });
        setSizeOffer({
          offer,
          answer: (d) => {
            signal.removeEventListener('abort', cancel);
            setSizeOffer(null);
            if (d) resolve(d);
            else reject(new LoadCancelled());
          },
        });
      }),
    [],
  );

  /**
   * Runs a load; a newer load makes its result stale and aborts it. A cancellable load (files) gets a
   * signal and the memory offer, and shows "Cancel loading". Resolves to the volume loaded, or null.
   */
  const load = useCallback(
    async (text: string, run: (onProgress: (p: Progress) => void, control: LoadControl) => Promise<LoadedVolume>, cancel = false): Promise<LoadedVolume | null> => {
      const id = ++job.current;
      running.current?.abort();
      const ac = new AbortController();
      running.current = ac;
      setCancellable(cancel);
      setActivity({ kind: 'busy', text });
      setArriving(null); // (a load this one replaces may have been showing)
      hooks.current.onLoadStart?.();
      releaseBuildMemory(); // (the load needs the memory; the new scan's overlay mask sets it aside again)
      // the slice views' WebGL set-up runs while the files are read (the Viewer reports its errors)
      sliceEngine().catch(() => {});
      // with no scan on screen, the views show this one while its slices arrive
      // (from its first slice, the middle one: so the axial view never shows a slice not there yet)
      const listeners = new Set<(k: number) => void>();
      let coming: Volume | null = null;
      let written = new Uint8Array(0);
      const onVolume = (volume: Volume) => {
        coming = volume;
        written = new Uint8Array(volume.dims[2]);
      };
      const arrived = (k: number) => {
        written[k] = 1;
        if (coming && !loadedRef.current) {
          const listen = (f: (k: number) => void) => (listeners.add(f), () => void listeners.delete(f));
          setArriving({ key: `arriving${id}`, volume: coming, arrived: written, listen });
        }
        coming = null;
        for (const f of listeners) f(k);
      };
      try {
        const v = await run(
          (p) => {
            if (id !== job.current) return;
            setActivity({ kind: 'busy', text: progressText(p) });
            if (p.slice !== undefined) arrived(p.slice);
          },
          { signal: ac.signal, offer: (o) => askSize(o, ac.signal), onVolume },
        );
        if (id === job.current) {
          setLoaded(v);
          setArriving(null);
          setActivity({ kind: 'idle' });
          hooks.current.onLoaded?.(v);
          return v;
        }
      } catch (e) {
        if (id === job.current) {
          setArriving(null);
          if (e instanceof LoadCancelled) setActivity({ kind: 'info', text: 'Loading cancelled' });
          else setActivity({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
        }
      } finally {
        if (running.current === ac) {
          running.current = null;
          setCancellable(false);
        }
      }
      return null;
    },
    [askSize],
  );

  /** Stops the running load at once: the app is usable again and shows the volume it had before, if any. */
  const cancelLoad = useCallback(() => {
    running.current?.abort();
    running.current = null;
    ++job.current;
    setCancellable(false);
    setArriving(null);
    setActivity({ kind: 'info', text: 'Loading cancelled' });
  }, []);

  const openDemo = useCallback(() => load('Loading the demo scan…', (p, c) => loadDemoScan(p, c), true), [load]);
  /**
   * Opened or dropped files: the scan loads first, then the segmentations among them are imported
   * onto it (label maps are told apart by content before the load; a DICOM SEG or NRRD the loader
   * skipped, after it). Segmentations alone are imported onto the scan on screen.
   */
  const openFiles = useCallback(
    async (files: File[]) => {
      const { scan, segmentations } = await splitSegmentationFiles(files);
      if (!scan.length && segmentations.length) {
        const on = loadedRef.current;
        if (on) hooks.current.onSegmentations?.(segmentations, on.key);
        else {
          const names = segmentations.map((f) => f.name).join(', ');
          setActivity({ kind: 'error', text: `${names}: ${segmentations.length === 1 ? 'a segmentation' : 'segmentations'}, not a scan. Open the scan first, or both together.` });
        }
        return;
      }
      const v = await load(`Reading ${scan.length} files…`, (p, c) => loadFiles(scan, p, c), true);
      if (!v) return;
      const found = [...segmentations, ...(await skippedSegmentations(scan, v))];
      if (found.length) hooks.current.onSegmentations?.(found, v.key);
    },
    [load],
  );
  const pickSeries = useCallback((seriesId: string) => load('Loading the series…', (p, c) => loadSeries(seriesId, p, c), true), [load]);

  /** Closes the scan: every buffer it owns is released (the caller stops its build first). */
  const close = useCallback(() => {
    running.current?.abort();
    running.current = null;
    ++job.current;
    setCancellable(false);
    setSizeOffer(null);
    setLoaded(null);
    setArriving(null);
    setActivity({ kind: 'idle' });
    closeScan();
  }, []);

  return {
    loaded,
    /** the scan being loaded, while no scan is shown (see ArrivingScan) */
    arriving,
    close,
    activity,
    busy: activity.kind === 'busy',
    /** set while a cancellable load runs */
    cancelLoad: cancellable ? cancelLoad : undefined,
    sizeOffer,
    openDemo,
    openFiles,
    pickSeries,
    seriesId: currentSeriesId(loaded),
  };
}
