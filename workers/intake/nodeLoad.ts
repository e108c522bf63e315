// Node loader (tests, bench): a folder on disk → volume. Compressed slices go through the same
// dicom-image-loader codecs as in the browser, with their .wasm read from node_modules.
import { closeSync, createReadStream, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LoadProgress, LoadResult, SliceDecoder, SourceFile } from './loadTypes';
import { loadSources } from './sources';
import { readFrame, type FrameFile } from './multiframe';
import { decodeSliceInto, sliceLength, type SliceHeader } from './pixels';

const require = createRequire(import.meta.url);

/** The codec package whose .wasm a transfer syntax needs (dicom-image-loader looks for them in one folder). */
const WASM_PACKAGE: Record<string, string> = {
  '1.2.840.10008.1.2.4.90': '@cornerstonejs/codec-openjpeg/decodewasm',
  '1.2.840.10008.1.2.4.91': '@cornerstonejs/codec-openjpeg/decodewasm',
  '1.2.840.10008.1.2.4.80': '@cornerstonejs/codec-charls/decodewasm',
  '1.2.840.10008.1.2.4.81': '@cornerstonejs/codec-charls/decodewasm',
  '1.2.840.10008.1.2.4.50': '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
};

/**
 * Compressed frame decoding in Node: the codec's .wasm folder is passed as dicom-image-loader's wasmBasePath.
 * The library is imported on the first compressed frame: importing it adds ~100 MB to the process's RSS,
 * which an uncompressed series (and the command line's peak memory) should not pay.
 */
export async function decodeCompressedNode(encoded: Uint8Array, h: SliceHeader): Promise<ArrayLike<number>> {
  const { decodeCompressedFrame } = await import('./codecFrame');
  const pkg = WASM_PACKAGE[h.transferSyntax];
  return decodeCompressedFrame(encoded, h, pkg ? dirname(require.resolve(pkg)) : undefined);
}

/** Every file under `dir`, sorted, recursively. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? listFiles(p) : [p];
    });
}

/** A file (or archive entry) a slice decodes from: read whole, or in part (see FrameFile). */
export type NodeSource = SourceFile & FrameFile;

/** Bytes [start, end) of the file at `path`, read without reading the rest. */
function readFileRange(path: string, start: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - start);
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, start + got);
      if (!n) throw new Error(`${path} ends at byte ${start + got}, before ${end}`);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return out.buffer;
}

/** A file on disk as a source: a slice's decoding reads only its frame's bytes. */
export function fileSource(path: string): NodeSource {
  return {
    name: path,
    read: async () => {
      const b = readFileSync(path);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    head: async (n) => {
      const size = statSync(path).size;
      return { bytes: readFileRange(path, 0, Math.min(n, size)), size };
    },
    readRange: async (start, end) => readFileRange(path, start, end),
    chunks: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

/** Slices decoded in-process, one at a time: the codecs share one global wasm base path setting. */
export const nodeDecoder: SliceDecoder<NodeSource> = {
  concurrency: 1,
  async decode(file, header, k, data) {
    const n = sliceLength(header);
    const frame = await readFrame(file, header);
    return decodeSliceInto(frame.bytes, frame.header, data.subarray(k * n, (k + 1) * n), decodeCompressedNode);
  },
};

/** Every file under `dir` → the largest volume, through the browser's path (loadSources) with Node's file reads and codecs. */
export function loadDicomFolderNode(dir: string, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
  return loadSources(listFiles(dir).map(fileSource), nodeDecoder, onProgress);
}
