// Undo/redo over the edit state (threshold, pieces, cavities, crop). A drag of a slider makes many
// changes a second: changes of the same kind within a short time merge into one step.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** kind and time of the last recorded change, for merging */
  lastKind: string;
  lastAt: number;
}

export const MERGE_MS = 800;

export const startHistory = <T>(present: T): History<T> => ({ past: [], present, future: [], lastKind: '', lastAt: -Infinity });

/** Records `next` as the new present; merges with the previous step when it is the same kind of change made moments ago. */
export function record<T>(h: History<T>, next: T, kind: string, now: number): History<T> {
  if (Object.is(next, h.present)) return h;
  const merge = kind === h.lastKind && now - h.lastAt < MERGE_MS && h.past.length > 0;
  return { past: merge ? h.past : [...h.past, h.present], present: next, future: [], lastKind: kind, lastAt: now };
}

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future], lastKind: '', lastAt: -Infinity };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1), lastKind: '', lastAt: -Infinity };
}
