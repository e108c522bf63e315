// Bounded, streamed reading: a Blob read in chunks, and DEFLATE (zip entries, deflated DICOM) or gzip
// (.nii.gz) inflated from small input slices, so one step never yields more than ~16 MiB however
// well the data compresses, and the reader stops as soon as it has what it needs. Nothing here ever
// inflates a whole stream to find out how long it is.
import { Gunzip, Inflate } from 'fflate';

/**
 * Compressed bytes pushed into the inflater per step. DEFLATE expands at most about 1032:1, so one
 * step yields at most ~16.5 MiB (the step's output is what the inflater allocates at a time). Smaller
 * steps cost throughput on real files (4 KiB: a 3.3 MB .nii.gz inflates in 0.7 s instead of 0.2 s).
 */
export const INFLATE_SLICE = 16384;

/** Bytes read from a Blob per read (one asynchronous file read). */
const READ_CHUNK = 1 << 20;

/**
 * Bytes inflated so far by every stream in this thread (a meter for tests: work and memory that
 * hostile input can cause are counted here, never timed).
 */
export const inflateMeter = { bytes: 0 };

/** Bytes [start, end) of a Blob in chunks of at most 1 MiB; stops reading when the consumer stops. */
export async function* blobChunks(blob: Blob, start = 0, end = blob.size): AsyncGenerator<Uint8Array> {
  for (let at = start; at < end; at += READ_CHUNK) yield new Uint8Array(await blob.slice(at, Math.min(end, at + READ_CHUNK)).arrayBuffer());
}

/** The bytes of an ArrayBuffer-backed array as one chunk. */
export async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Inflates `input` (raw DEFLATE, or gzip with any number of members) and yields the output as it
 * comes, pushing at most INFLATE_SLICE input bytes at a time. Stops pulling input when the consumer
 * stops iterating. Bytes after the end of a DEFLATE stream (padding) are ignored. Throws when the
 * stream is corrupt or ends too early (fflate's message).
 */
export async function* inflateChunks(input: AsyncIterable<Uint8Array>, format: 'deflate' | 'gzip'): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const onData = (chunk: Uint8Array) => {
    if (chunk.length) {
      inflateMeter.bytes += chunk.length;
      out.push(chunk);
    }
  };
  const stream = format === 'gzip' ? new Gunzip(onData) : new Inflate(onData);
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += INFLATE_SLICE) {
      stream.push(chunk.subarray(at, at + INFLATE_SLICE));
      while (out.length) yield out.shift()!;
    }
  }
  stream.push(new Uint8Array(0), true);
  while (out.length) yield out.shift()!;
}

/**
 * The first `limit` bytes of a chunk stream (all of it when shorter), copied into one array that
 * grows only as bytes arrive; stops pulling as soon as `limit` bytes are in.
 */
export async function collect(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let got = 0;
  if (limit > 0)
    for await (const c of chunks) {
      const take = c.subarray(0, limit - got);
      // a short piece of a large chunk is copied, so the chunk itself is not kept alive
      parts.push(take.length < c.length ? take.slice() : take);
      got += take.length;
      if (got >= limit) break;
    }
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(got);
  let at = 0;
  for (const p of parts) all.set(p, (at += p.length) - p.length);
  return all;
}

/** The bytes as an ArrayBuffer of their own (the array's buffer when it is exactly that, else a copy). */
export const ownBuffer = (b: Uint8Array): ArrayBuffer =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : b.slice().buffer;
