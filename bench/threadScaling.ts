// What two threads can give on this machine, whatever our code does: three small kernels run on one
// worker thread, then on `threads` at once (each the same work), and the throughput ratio of each.
//   • arithmetic: a dependent chain of square roots, in registers (no memory);
//   • memory: a chase through a random cycle in 64 MB (each load waits for the one before, as the
//     half-edge walks of the decimation do);
//   • fresh pages: 64 MB written one byte a page (each a first touch, as every stage that takes new
//     memory pays; see bench.ts firstTouchUs).
// A kernel that scales perfectly gives `threads`× (2.00 on 2 threads); what the arithmetic gets is the
// cores' share, what the other two get is the memory system's. The pipeline cannot scale better than
// its kernels' mix of these.
import { Worker } from 'node:worker_threads';

/** Each kernel's source, run in a worker with its argument; it returns its own ms (the thread's start not in it). */
const KERNELS = {
  arithmetic: `(n) => { const t = performance.now(); let x = 1.0001, s = 0; for (let i = 0; i < n; i++) { s += Math.sqrt(x * i + s * 1e-9); x *= 1.0000001; } return [performance.now() - t, s]; }`,
  memory: `(n) => {
    const size = 1 << 24, a = new Int32Array(size);
    for (let i = 0; i < size; i++) a[i] = i;
    let seed = 12345;
    for (let i = size - 1; i > 0; i--) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; const j = seed % i; const x = a[i]; a[i] = a[j]; a[j] = x; }
    const t = performance.now(); let j = 0, s = 0;
    for (let i = 0; i < n; i++) { j = a[j]; s += j; }
    return [performance.now() - t, s];
  }`,
  'fresh pages': `(n) => { const t = performance.now(); let s = 0; for (let r = 0; r < n; r++) { const a = new Uint8Array(64 << 20); for (let i = 0; i < a.length; i += 4096) a[i] = 1; s += a[4096]; } return [performance.now() - t, s]; }`,
} as const;
const WORK: Record<keyof typeof KERNELS, number> = { arithmetic: 1e8, memory: 4e6, 'fresh pages': 3 };

/** ms of each of `k` workers running `kernel` at once (each timed from its own start). */
async function runOn(k: number, kernel: keyof typeof KERNELS): Promise<number[]> {
  const source = `const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage((${KERNELS[kernel]})(workerData)[0]);`;
  const workers = Array.from({ length: k }, () => new Worker(source, { eval: true, workerData: WORK[kernel] }));
  try {
    return await Promise.all(workers.map((w) => new Promise<number>((resolve, reject) => w.once('message', resolve).once('error', reject))));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export interface KernelScaling {
  kernel: string;
  /** ms on one thread, and the slowest of `threads` at once (medians of the rounds) */
  oneMs: number;
  manyMs: number;
  /** threads × oneMs / manyMs: the throughput of `threads` threads over one's */
  ratio: number;
}

/** Each kernel on 1 thread then on `threads`, `rounds` times in turns; the medians and their ratio. */
export async function threadScaling(threads: number, rounds = 3): Promise<KernelScaling[]> {
  const out: KernelScaling[] = [];
  for (const kernel of Object.keys(KERNELS) as (keyof typeof KERNELS)[]) {
    const one: number[] = [], many: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push((await runOn(1, kernel))[0]);
      many.push(Math.max(...(await runOn(threads, kernel))));
    }
    const oneMs = median(one), manyMs = median(many);
    out.push({ kernel, oneMs, manyMs, ratio: (threads * oneMs) / manyMs });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
