// The "Denoise" choice: None, or one filtered copy of the scan (median, anisotropic diffusion) that
// the masks read — live overlay, 3D preview, segments from the threshold, the model — while the slice
// views keep showing the scan. The copy is made by the engine's workers; a newer choice replaces a
// running one (its result is never applied), None or a new scan drops the copy.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { denoiseVolume, DenoiseSuperseded, wasCancelled, type DenoiseKind, type LoadedVolume } from '../engine';
import type { Volume } from '../../workers/core/types';

export interface DenoiseState {
  choice: DenoiseKind;
  choose: (kind: DenoiseKind) => void;
  /** fraction done of the copy being made, null when none is running */
  progress: number | null;
  error: string | null;
  /** what the masks read: the scan, or its denoised copy once made (same key: the scan's state stays) */
  source: LoadedVolume | null;
}

export function useDenoise(loaded: LoadedVolume | null): DenoiseState {
  const [choice, setChoice] = useState<DenoiseKind>('none');
  // the copy, by scan key (a copy of an old scan is never used, and goes with it)
  const [ready, setReady] = useState<{ key: string; kind: Exclude<DenoiseKind, 'none'>; volume: Volume } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRef(0);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const start = useCallback((kind: DenoiseKind) => {
    const id = ++run.current;
    const scan = loadedRef.current;
    setReady(null); // the masks read the scan until the new copy is made (and the old copy's memory goes)
    setError(null);
    if (kind === 'none' || !scan) {
      setProgress(null);
      return;
    }
    const current = () => run.current === id;
    setProgress(0);
    denoiseVolume(scan.volume, kind, { current, onProgress: (f) => current() && setProgress(f) }).then(
      (volume) => {
        if (!current()) return;
        setReady({ key: scan.key, kind, volume });
        setProgress(null);
      },
      (e: unknown) => {
        if (!current() || e instanceof DenoiseSuperseded) return;
        // a cancelled build stops the shared pool: start again on fresh workers
        if (wasCancelled(e) && loadedRef.current === scan) return void startRef.current(kind);
        setProgress(null);
        setError(`Denoising failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }, []);
  const startRef = useRef(start);
  startRef.current = start;

  const choose = useCallback(
    (kind: DenoiseKind) => {
      setChoice(kind);
      start(kind);
    },
    [start],
  );

  // a new scan (or none) starts with None, and drops the old scan's copy
  const key = loaded?.key;
  useEffect(() => {
    run.current++;
    setChoice('none');
    setReady(null);
    setProgress(null);
    setError(null);
  }, [key]);

  const source = useMemo(
    () => (loaded && ready && ready.key === loaded.key ? { ...loaded, volume: ready.volume, denoised: ready.kind } : loaded),
    [loaded, ready],
  );
  return { choice, choose, progress, error, source };
}
