// Web Worker entry: reads and decodes DICOM slices straight into the volume's shared buffer, and reads
// NIfTI volumes into it. Everything that inflates (zip entries, deflated datasets, .nii.gz) or decodes
// (compressed pixel data) runs here, off the page's thread. A thin comlink façade over workers/intake;
// the codecs are dicom-image-loader's WebAssembly ones.
import { expose } from 'comlink';
import { decodeCompressedFrame } from './intake/codecFrame';
import { readFrame } from './intake/multiframe';
import { readNiftiStream, type NiftiResult } from './intake/nifti';
import { decodeSliceInto, sliceLength, type SliceHeader } from './intake/pixels';
import { refChunks, refFile, type ByteRef } from './intake/zip';

export const decodeApi = {
  /**
   * Reads the frame `header` describes from `file` (a File, or a zip entry inflated only as far as
   * the frame's end; a deflated dataset inflated only to the end of its pixel data) and decodes it
   * into slice `k` of `volume` (a view on the shared buffer). Returns the number of values clamped to
   * int16, and the slice values when `volume` is not shared (then the caller copies them), else null.
   */
  async decodeSlice(file: ByteRef, header: SliceHeader, volume: Int16Array, k: number): Promise<{ clamped: number; values: Int16Array | null }> {
    const n = sliceLength(header);
    const shared = typeof SharedArrayBuffer === 'function' && volume.buffer instanceof SharedArrayBuffer;
    const dst = shared ? volume.subarray(k * n, (k + 1) * n) : new Int16Array(n);
    const frame = await readFrame(refFile(file), header);
    const clamped = await decodeSliceInto(frame.bytes, frame.header, dst, (encoded, h) => decodeCompressedFrame(encoded, h));
    return { clamped, values: shared ? null : dst };
  },

  /**
   * Reads NIfTI file `file` (inflated as it is read, when gzipped) into `volume`, which holds its
   * first volume's voxel count (see readNiftiStream: reading stops at the end of that volume).
   */
  async readNifti(file: ByteRef, name: string, volume: Int16Array): Promise<NiftiResult> {
    return readNiftiStream(refChunks(file), name, (n) => {
      if (n !== volume.length) throw new Error(`${name}: the header read again gives ${n} voxels, not ${volume.length}`);
      return volume;
    });
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
