// Byte ranges of a file, read only where asked: in place for a file on disk or a Blob, forward through
// a stream for what must be inflated (a zip entry, a deflated dataset). The header reader jumps over
// large values with it instead of reading them.

export interface ByteReader {
  /** bytes in all; Infinity while a stream has not ended (then `read` tells the end by returning less) */
  readonly size: number;
  /** false for a stream: bytes jumped over are still pulled (inflated), so a jump costs work */
  readonly seekable: boolean;
  /**
   * Bytes [start, end), fewer at the end of the file. A forward reader needs `start` at or after the
   * previous read's start (bytes before it are dropped; bytes skipped over are never kept).
   */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A Blob (a File) read in place. */
export const blobReader = (blob: Blob): ByteReader => ({
  size: blob.size,
  seekable: true,
  read: async (start, end) => new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer()),
});

/** A file of known size that reads any range (a file on disk). */
export const rangeReader = (size: number, readRange: (start: number, end: number) => Promise<ArrayBuffer>): ByteReader => ({
  size,
  seekable: true,
  read: async (start, end) => (Math.min(end, size) > start ? new Uint8Array(await readRange(start, Math.min(end, size))) : new Uint8Array(0)),
});

/** Bytes held in memory. */
export const bytesReader = (bytes: Uint8Array): ByteReader => ({
  size: bytes.length,
  seekable: true,
  read: async (start, end) => bytes.subarray(start, end),
});

/**
 * A stream read forward (`size` if known, else Infinity until it ends): bytes are pulled as far as
 * the reads ask and dropped once a read starts past them. Reading before the previous read's start throws.
 */
export function streamReader(chunks: AsyncIterable<Uint8Array>, size = Infinity): ByteReader {
  const it = chunks[Symbol.asyncIterator]();
  const pending: Uint8Array[] = [];
  let base = 0; // stream offset of pending[0]
  let buffered = 0; // bytes in pending
  let done = false;
  let known = size;
  let lastStart = 0;
  return {
    get size() {
      return known;
    },
    seekable: false,
    async read(start, end) {
      if (start < lastStart) throw new Error(`internal: a forward reader cannot go back from byte ${lastStart} to ${start}`);
      lastStart = start;
      while (pending.length && base + pending[0].length <= start) {
        base += pending[0].length;
        buffered -= pending.shift()!.length;
      }
      while (!done && base + buffered < end) {
        const r = await it.next();
        if (r.done) {
          done = true;
          known = base + buffered;
        } else if (!pending.length && base + r.value.length <= start) base += r.value.length; // skipped whole
        else {
          pending.push(r.value);
          buffered += r.value.length;
        }
      }
      const out = new Uint8Array(Math.max(0, Math.min(end, base + buffered) - start));
      let pos = base;
      for (const c of pending) {
        const from = Math.max(start, pos), to = Math.min(end, pos + c.length);
        if (to > from) out.set(c.subarray(from - pos, to - pos), from - start);
        pos += c.length;
      }
      return out;
    },
  };
}
