// Denoising for the masks (issue 14): one filtered copy of the scan's int16 volume, in a new
// SharedArrayBuffer, made by the mesh pool's workers (the core's voxel passes over z ranges). The scan
// itself is never changed: the slice views keep showing it. A run that a newer choice replaced stops
// at its next z range (the pool is shared with builds, so it is never terminated for this).
import { curvatureDiffusion, DICOM2STL_DIFFUSION, type DiffusionWorker } from '../../workers/core/anisotropicDiffusion';
import { medianFilter, type MedianWorker } from '../../workers/core/median';
import { sharedBytes } from '../../workers/core/sharedMemory';
import type { Volume } from '../../workers/core/types';
import { releaseBuildMemory } from './model';
import { meshPool } from './workers';

/** What the masks read: the scan as loaded, its 3 × 3 × 1 median, or its curvature anisotropic diffusion. */
export type DenoiseKind = 'none' | 'median' | 'anisotropic';

/** Rejection of a run whose choice was replaced before it finished. */
export class DenoiseSuperseded extends Error {
  constructor() {
    super('a newer denoise choice replaced this one');
    this.name = 'DenoiseSuperseded';
  }
}

export interface DenoiseControl {
  /** false once a newer choice replaced this run: it stops before its next z range */
  current: () => boolean;
  /** fraction done, 0–1 (the median reports only its end: it takes a moment) */
  onProgress?: (fraction: number) => void;
}

type DenoiseWorker = MedianWorker & DiffusionWorker;

/** The workers' calls, each refused once the run is no longer current. */
function guarded(workers: DenoiseWorker[], current: () => boolean): DenoiseWorker[] {
  const check = () => {
    if (!current()) throw new DenoiseSuperseded();
  };
  return workers.map((w): DenoiseWorker => ({
    medianSlices: (...a) => (check(), w.medianSlices(...a)),
    diffusionLoad: (...a) => (check(), w.diffusionLoad(...a)),
    diffusionGradient: (...a) => (check(), w.diffusionGradient(...a)),
    diffusionStep: (...a) => (check(), w.diffusionStep(...a)),
    diffusionStore: (...a) => (check(), w.diffusionStore(...a)),
  }));
}

/**
 * A denoised copy of `volume` (same geometry, new shared voxels), filtered by `workers`; `volume` is
 * only read. Rejects with DenoiseSuperseded when `control.current()` turns false first.
 */
export async function denoisedCopy(workers: DenoiseWorker[], volume: Volume, kind: Exclude<DenoiseKind, 'none'>, control: DenoiseControl): Promise<Volume> {
  const data = new Int16Array(sharedBytes(volume.data.byteLength));
  data.set(volume.data);
  const copy: Volume = { ...volume, data };
  const ws = guarded(workers, control.current);
  if (kind === 'median') await medianFilter(ws, copy);
  else await curvatureDiffusion(ws, copy, DICOM2STL_DIFFUSION, (done, total) => control.onProgress?.(done / (total + 1)));
  if (!control.current()) throw new DenoiseSuperseded();
  control.onProgress?.(1);
  return copy;
}

/** denoisedCopy() on the mesh pool. Rejects with Aborted when the pool is stopped (a cancelled build, a new scan). */
export function denoiseVolume(volume: Volume, kind: Exclude<DenoiseKind, 'none'>, control: DenoiseControl): Promise<Volume> {
  releaseBuildMemory(); // (the copy takes 2 bytes a voxel; the new mask sets the build's memory aside again)
  return meshPool.run((workers) => denoisedCopy(workers, volume, kind, control));
}
