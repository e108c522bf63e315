// Where a stage's arrays come from: new memory (plain, or shared for several threads), or memory an
// earlier stage no longer needs (the mask after the isosurface, the decimation's after it), so that a
// build's peak is not the sum of its stages.

/** A place for an array: a buffer and a byte offset in it (8-byte aligned). */
export interface Region {
  buffer: ArrayBufferLike;
  byteOffset: number;
}

/**
 * Gives `bytes` bytes, zeroed. With `kernel`, in a WebAssembly memory (see wasmMemory) where one can
 * be had, for arrays the WebAssembly kernels work on (wasm/kernels.ts).
 */
export type Alloc = (bytes: number, kernel?: boolean) => Region;

/** Bytes of a WebAssembly memory page. */
export const WASM_PAGE = 65536;

/** WebAssembly's most pages (4 GB) */
const MAX_PAGES = 65536;

/** This thread's WebAssembly memories by their buffer (see memoryOf). */
const wasmMemories = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/**
 * A new shared WebAssembly memory of `bytes` bytes or a little more (whole pages, at least the two the
 * kernels' module asks for), zeroed; with `growable`, one that growMemory can grow up to WebAssembly's
 * 4 GB (address space only is set aside for that). Null where there is no shared memory (a page that
 * is not cross-origin isolated) or more than 4 GB is asked for. Its buffer is a SharedArrayBuffer like
 * any other, which memoryOf maps back to it on this thread.
 */
export function wasmMemory(bytes: number, growable = false): WebAssembly.Memory | null {
  const pages = Math.max(2, Math.ceil(bytes / WASM_PAGE));
  if (pages > MAX_PAGES || typeof SharedArrayBuffer !== 'function') return null;
  for (const maximum of growable ? [MAX_PAGES, pages] : [pages]) {
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum, shared: true });
      wasmMemories.set(memory.buffer, memory);
      return memory;
    } catch {
      // (no address space for the maximum: try without growing; no shared memory at all: none)
    }
  }
  return null;
}

/**
 * Grows `memory` (of wasmMemory) to at least `bytes` bytes, by at least a sixteenth of its size (fewer
 * grows); its new buffer, or null where it cannot grow that far. Arrays over its earlier buffers stay
 * as they are (shared memory never moves).
 */
export function growMemory(memory: WebAssembly.Memory, bytes: number): ArrayBufferLike | null {
  const have = memory.buffer.byteLength / WASM_PAGE;
  const want = Math.ceil(bytes / WASM_PAGE);
  if (want <= have) return memory.buffer;
  if (want > MAX_PAGES) return null;
  try {
    memory.grow(Math.min(MAX_PAGES, Math.max(want, have + (have >> 4))) - have);
  } catch {
    try {
      memory.grow(want - have);
    } catch {
      return null;
    }
  }
  wasmMemories.set(memory.buffer, memory);
  return memory.buffer;
}

/** The WebAssembly memory (made on this thread by wasmMemory) whose buffer `buffer` is, if any. */
export const memoryOf = (buffer: ArrayBufferLike): WebAssembly.Memory | null => wasmMemories.get(buffer) ?? null;

/** A region at the start of a new WebAssembly memory, or null (see wasmMemory). */
function kernelRegion(bytes: number): Region | null {
  const memory = wasmMemory(bytes);
  return memory && { buffer: memory.buffer, byteOffset: 0 };
}

/** Memory of this thread (a kernel's: shared WebAssembly memory, which WebAssembly needs). */
export const plainMemory: Alloc = (bytes, kernel) => (kernel && kernelRegion(bytes)) || { buffer: new ArrayBuffer(bytes), byteOffset: 0 };

/** Memory every worker can see (plain memory where SharedArrayBuffer is missing). */
export const sharedMemory: Alloc = (bytes, kernel) =>
  (kernel && kernelRegion(bytes)) || {
    buffer: typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
    byteOffset: 0,
  };

/** Bytes of a memory page (the OS maps fresh memory a page at a time, at the first write to it). */
const PAGE = 4096;

/**
 * Makes the OS map every page of `data` (shared memory) now, on this thread, without changing any
 * value, even while other threads write into it: a compare-exchange of 0 for 0 per page, a write
 * access on x86 whatever the value. So the thread that fills `data` next finds its pages mapped
 * (each first write to a fresh page costs 10–14 µs on the 2-core machine here).
 */
export function mapPages(data: Int16Array): void {
  for (let i = 0; i < data.length; i += PAGE / 2) Atomics.compareExchange(data, i, 0, 0);
}

export interface TypedArrayOf<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A typed array of `length` elements in memory from `alloc` (a kernel's: see Alloc). */
export function typed<T>(Type: TypedArrayOf<T>, alloc: Alloc, length: number, kernel = false): T {
  const r = alloc(length * Type.BYTES_PER_ELEMENT, kernel);
  return new Type(r.buffer, r.byteOffset, length);
}

/**
 * Hands out memory from buffers given back (first fit, never freed one by one: an arena lives for
 * one build), and new memory from `fresh` when none has room.
 */
export class Arena {
  private free: { buffer: ArrayBufferLike; at: number; end: number }[] = [];
  constructor(private fresh: Alloc) {}

  /** Memory under these arrays is no longer needed by anyone: later allocations may reuse it. */
  giveBack(...arrays: ArrayBufferView[]): void {
    for (const a of arrays) {
      const at = Math.ceil(a.byteOffset / 8) * 8;
      if (a.byteOffset + a.byteLength - at >= 1 << 16) this.free.push({ buffer: a.buffer, at, end: a.byteOffset + a.byteLength });
    }
  }

  alloc: Alloc = (bytes, kernel) => {
    for (const f of this.free)
      if (f.end - f.at >= bytes && (!kernel || memoryOf(f.buffer))) {
        const byteOffset = f.at;
        f.at = Math.ceil((f.at + bytes) / 8) * 8;
        new Uint8Array(f.buffer, byteOffset, bytes).fill(0);
        return { buffer: f.buffer, byteOffset };
      }
    return this.fresh(bytes, kernel);
  };
}
