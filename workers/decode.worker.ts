// Web Worker entry: decodes DICOM slices straight into the volume's shared buffer. A thin comlink
// façade over workers/intake (pixels, codecFrame); the codecs are dicom-image-loader's WebAssembly ones.
import { expose } from 'comlink';
import { decodeCompressedFrame } from './intake/codecFrame';
import { datasetBytes } from './intake/dicomDataset';
import { decodeSliceInto, sliceLength, type SliceHeader } from './intake/pixels';

export const decodeApi = {
  /**
   * Decodes `file` (one single-frame DICOM slice) into slice `k` of `volume` (a view on the shared
   * buffer). Returns null when the write landed in shared memory, or the slice values when `volume`
   * is not shared (then the caller copies them).
   */
  async decodeSlice(file: Blob, header: SliceHeader, volume: Int16Array, k: number): Promise<Int16Array | null> {
    const n = sliceLength(header);
    const shared = typeof SharedArrayBuffer === 'function' && volume.buffer instanceof SharedArrayBuffer;
    const dst = shared ? volume.subarray(k * n, (k + 1) * n) : new Int16Array(n);
    const bytes = await datasetBytes(new Uint8Array(await file.arrayBuffer()));
    await decodeSliceInto(bytes, header, dst, (encoded, h) => decodeCompressedFrame(encoded, h));
    return shared ? null : dst;
  },
};

export type DecodeApi = typeof decodeApi;

// Importing dicom-image-loader in a worker makes it expose its own comlink API on `self`, which would
// answer (with an error) every comlink call sent to `self`. Ours listens on a dedicated MessagePort,
// handed over in the first message; the library ignores that message (it carries no comlink type).
self.addEventListener('message', (e: MessageEvent) => {
  const port = (e.data as { decodePort?: unknown } | null)?.decodePort;
  if (port instanceof MessagePort) expose(decodeApi, port);
});
