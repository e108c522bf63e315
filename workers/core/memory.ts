// Where a stage's arrays come from: new memory (plain, or shared for several threads), or memory an
// earlier stage no longer needs (the mask after the isosurface, the decimation's after it), so that a
// build's peak is not the sum of its stages.

/** A place for an array: a buffer and a byte offset in it (8-byte aligned). */
export interface Region {
  buffer: ArrayBufferLike;
  byteOffset: number;
}

/** Gives `bytes` bytes, zeroed. */
export type Alloc = (bytes: number) => Region;

/** Memory of this thread. */
export const plainMemory: Alloc = (bytes) => ({ buffer: new ArrayBuffer(bytes), byteOffset: 0 });

/** Memory every worker can see (plain memory where SharedArrayBuffer is missing). */
export const sharedMemory: Alloc = (bytes) => ({
  buffer: typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  byteOffset: 0,
});

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

interface TypedArrayOf<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A typed array of `length` elements in memory from `alloc`. */
export function typed<T>(Type: TypedArrayOf<T>, alloc: Alloc, length: number): T {
  const r = alloc(length * Type.BYTES_PER_ELEMENT);
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

  alloc: Alloc = (bytes) => {
    for (const f of this.free)
      if (f.end - f.at >= bytes) {
        const byteOffset = f.at;
        f.at = Math.ceil((f.at + bytes) / 8) * 8;
        new Uint8Array(f.buffer, byteOffset, bytes).fill(0);
        return { buffer: f.buffer, byteOffset };
      }
    return this.fresh(bytes);
  };
}
