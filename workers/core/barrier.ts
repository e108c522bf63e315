// Threads of one parallel job meeting in shared memory: a reusable barrier (Atomics.wait/notify) and
// slots for per-thread figures. Only workers ever wait here (a page's main thread may not block): the
// pipeline starts one call per worker and awaits them all; with one thread nothing waits.

import { typed, type Alloc } from './memory';

/** Shared state of a barrier: [threads arrived, generation]. */
export const barrierState = (alloc: Alloc): Int32Array => typed(Int32Array, alloc, 2);

/**
 * Waits until `parties` threads have called this with the same `state` (the last to arrive releases
 * the others). Each call is one meeting; the state is reused for the next one.
 */
export function barrier(state: Int32Array, parties: number): void {
  if (parties <= 1) return;
  const generation = Atomics.load(state, 1);
  if (Atomics.add(state, 0, 1) === parties - 1) {
    Atomics.store(state, 0, 0);
    Atomics.add(state, 1, 1);
    Atomics.notify(state, 1);
    return;
  }
  while (Atomics.load(state, 1) === generation) Atomics.wait(state, 1, generation);
}
