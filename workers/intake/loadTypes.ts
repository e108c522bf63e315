// What a load is: its sources, progress, result, the way it is steered and cancelled, and how slices
// are decoded. Types only (and the cancellation error), shared by every intake module.
import type { Volume } from '../core/types';
import type { SeriesChoice } from './choices';
import type { Downsample, SizeOffer } from './downsample';
import type { MemoryBudget } from './limits';
import type { NiftiResult } from './nifti';
import type { SliceHeader } from './pixels';

export interface SourceFile {
  /** shown in messages: the relative path when known */
  name: string;
  read(): Promise<ArrayBuffer>;
  /** the first `n` bytes (all of a shorter file) and the file's size, without reading the rest */
  head?(n: number): Promise<{ bytes: ArrayBuffer; size: number }>;
  /** the file's bytes in small chunks, read (or inflated) only as far as the consumer iterates */
  chunks?(): AsyncIterable<Uint8Array>;
}

export interface LoadProgress {
  phase: string;
  done: number;
  total: number;
  /** the file read or decoded last (its name as given: a relative path when known) */
  file?: string;
  /** the slice of the volume (its k) just written, while slices are decoded straight into the volume (see LoadControl.onVolume) */
  slice?: number;
}

/** Thrown by a load whose AbortSignal fired: the load stopped and gave no volume (never a partial one). */
export class LoadCancelled extends Error {
  constructor() {
    super('Loading cancelled');
    this.name = 'LoadCancelled';
  }
}

/** Throws LoadCancelled once `signal` has fired. */
export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new LoadCancelled();
}

export interface LoadResult {
  volume: Volume;
  seriesDescription: string;
  modality: string;
  fileCount: number;
  skipped: { count: number; reasons: Record<string, number> };
  warnings: string[];
  /** the stacks not chosen, with the reason (e.g. "localizer", "smaller") */
  otherSeries: { description: string; slices: number; why: string }[];
  /** every stack and NIfTI file found (loadSources only): the automatic choice first; `chosen` marks the one loaded here */
  series?: SeriesChoice[];
  /** loads another volume of `series` (by id) from the same files, without reading the headers again */
  reload?: (id: string, onProgress?: (p: LoadProgress) => void, options?: LoadControl) => Promise<LoadResult>;
}

/** How a running load is steered from outside. */
export interface LoadControl {
  /** aborting it stops the load: it rejects with LoadCancelled */
  signal?: AbortSignal;
  /** the tab's memory budget for the volume; without it every volume loads at full size */
  budget?: MemoryBudget;
  /**
   * Asks what to do with a volume over `budget`, before anything is decoded: resolves to how to
   * reduce it (possibly not at all: "load anyway"), or rejects (e.g. LoadCancelled) to stop.
   * Absent: full size.
   */
  offer?: (offer: SizeOffer) => Promise<Downsample>;
  /**
   * The volume being loaded, as soon as its buffer is made and before any slice is decoded into it,
   * when the slices are decoded straight into the volume (not for a stack that is resampled after,
   * nor for NIfTI): its slices then arrive one by one, each named by LoadProgress.slice as it is
   * written, the middle one first (so that a view of it shows the scan early). The load's result
   * holds this same object. Not called for a load that is cancelled or fails before decoding.
   */
  onVolume?: (volume: Volume) => void;
}

/**
 * How slices are decoded: `decode` writes slice `k` of the volume into `data` (a shared view) and
 * resolves to the number of voxels it had to clamp to the int16 range (−32768…32767).
 */
export interface SliceDecoder<F extends SourceFile> {
  /** slices decoded at the same time */
  concurrency: number;
  decode(file: F, header: SliceHeader, k: number, data: Int16Array): Promise<number>;
  /** Called with the slices' buffer once it is made, before the first slice is decoded into it. */
  prepare?(data: Int16Array): void;
  /**
   * Reads NIfTI file `file`'s first volume into `data` (its voxel count, shared memory) where the
   * decoder has a better place for it (a worker); absent: read on the calling thread.
   */
  readNifti?(file: F, data: Int16Array, signal?: AbortSignal): Promise<NiftiResult>;
}
