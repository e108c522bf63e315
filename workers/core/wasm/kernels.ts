// WebAssembly kernels: hot loops compiled from C (this folder's .c files, built by build.mjs into
// kernels.wasm.ts), for where V8's code over typed arrays is bound by its own instructions. They
// work on arrays in a WebAssembly memory (memory.ts wasmMemory: the build's reserve, or a region
// asked for with `kernel`), shared by every thread of a job: each thread instantiates the module once
// per memory, over that same memory, and passes the arrays as byte addresses in it.

import { kernelsWasm } from './kernels.wasm';

export interface Kernels {
  /** smooth.ts umbrellaStep, the same bits; every array in the memory these kernels were made for */
  umbrella(src: Float64Array, dst: Float64Array, offsets: Uint32Array, neighbours: Uint32Array, v0: number, v1: number, f: number): void;
}

let compiled: WebAssembly.Module | null = null;
const made = new WeakMap<WebAssembly.Memory, Kernels>();

/** The kernels over `memory` (a shared WebAssembly memory of wasmMemory's), made once per memory on this thread. */
export function kernelsFor(memory: WebAssembly.Memory): Kernels {
  let k = made.get(memory);
  if (k) return k;
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(kernelsWasm), (c) => c.charCodeAt(0)));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as {
    umbrella: (src: number, dst: number, offsets: number, neighbours: number, v0: number, v1: number, f: number) => void;
  };
  const bytes = memory.buffer.byteLength;
  /** an array's address, once it is known to lie in the memory (a guard against arrays of other memory, not a proof) */
  const at = (a: ArrayBufferView) => {
    if (a.byteOffset + a.byteLength > bytes || a.buffer.byteLength !== bytes) throw new Error('kernels: an array outside their WebAssembly memory');
    return a.byteOffset;
  };
  k = {
    umbrella: (src, dst, offsets, neighbours, v0, v1, f) => {
      if (src.length < 3 * v1 || dst.length < 3 * v1 || offsets.length < v1 - v0 + 1) throw new RangeError('umbrella: vertices beyond the arrays');
      exports.umbrella(at(src), at(dst), at(offsets), at(neighbours), v0, v1, f);
    },
  };
  made.set(memory, k);
  return k;
}
