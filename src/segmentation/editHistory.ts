// Undo/redo over the edit state (threshold, pieces, cavities, crop, segments). A drag of a slider makes
// many changes a second: changes of the same kind within a short time merge into one step.
//
// A step may also carry a voxel Patch (segments: a brush stroke, scissors, an import…): the voxels it
// changed in the shared label layers, with their values before and after. The history stays pure: it
// says which patch to revert on undo (undoPatch) and which to re-apply on redo (redoPatch); the caller
// does that on the layers, then moves the history. So threshold edits and voxel edits are one history.
import { mergePatches, type Patch } from '../../workers/core/patch';

/** One state of the history, with the voxel change that led to it from the state before (if any). */
export interface Step<T> {
  state: T;
  patch: Patch | null;
}

export interface History<T> {
  /** older steps, oldest first */
  past: Step<T>[];
  /** the current step: `current.state` is what the app shows */
  current: Step<T>;
  /** undone steps, next first */
  future: Step<T>[];
  /** kind and time of the last recorded change, for merging */
  lastKind: string;
  lastAt: number;
}

export const MERGE_MS = 800;

export const startHistory = <T>(present: T): History<T> => ({ past: [], current: { state: present, patch: null }, future: [], lastKind: '', lastAt: -Infinity });

export interface RecordOptions {
  /** the voxels this change wrote (already written: the caller applied it) */
  patch?: Patch | null;
  /** merge with the previous step whenever it is of the same kind, however long ago (one brush stroke) */
  group?: boolean;
}

const joined = (a: Patch | null, b: Patch | null | undefined): Patch | null => (a && b ? mergePatches([a, b]) : (a ?? b ?? null));

/**
 * Records `next` as the new present; merges with the previous step when it is the same kind of change
 * made moments ago (or `group`), the patches then joining into one.
 */
export function record<T>(h: History<T>, next: T, kind: string, now: number, opts: RecordOptions = {}): History<T> {
  const patch = opts.patch && opts.patch.layers.length ? opts.patch : null;
  if (Object.is(next, h.current.state) && !patch) return h;
  const merge = kind === h.lastKind && (opts.group || now - h.lastAt < MERGE_MS) && h.past.length > 0;
  return {
    past: merge ? h.past : [...h.past, h.current],
    current: { state: next, patch: merge ? joined(h.current.patch, patch) : patch },
    future: [],
    lastKind: kind,
    lastAt: now,
  };
}

/** The voxel change an undo must revert before calling undo(), if any. */
export const undoPatch = <T>(h: History<T>): Patch | null => (h.past.length ? h.current.patch : null);

/** The voxel change a redo must apply before calling redo(), if any. */
export const redoPatch = <T>(h: History<T>): Patch | null => h.future[0]?.patch ?? null;

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), current: h.past[h.past.length - 1], future: [h.current, ...h.future], lastKind: '', lastAt: -Infinity };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.current], current: h.future[0], future: h.future.slice(1), lastKind: '', lastAt: -Infinity };
}
