// A bounded queue of asynchronous tasks that a load's AbortSignal stops, and a lane that runs tasks one at a time.
import { throwIfCancelled } from './loadTypes';

/**
 * Runs `count` tasks with at most `concurrency` at a time; rejects with the first error, or with
 * LoadCancelled once `signal` fires (no new task starts then; those running finish unobserved).
 */
export async function runQueue(count: number, concurrency: number, run: (i: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        throwIfCancelled(signal);
        await run(i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}

/** Runs tasks one at a time, in the order they arrive. */
export class Lane {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
