// Compressed frames (JPEG 2000, JPEG-LS, JPEG lossless/baseline, RLE, HTJ2K) through dicom-image-loader's
// codecs. Used inside workers/decode.worker.ts in the browser and directly in Node (tests, bench).
import { decodeImageFrame } from '@cornerstonejs/dicom-image-loader';
import type { SliceHeader } from './pixels';

let quiet = false;
/**
 * The OpenJPEG build prints three "[INFO] …" lines per decoded frame through console.log (captured
 * when the codec module is created, so this must run before the first decode): drop just those.
 */
function quietCodecLogs() {
  if (quiet) return;
  quiet = true;
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('[INFO]')) return;
    log(...args);
  };
}

/**
 * Stored values of one compressed frame (signed values already sign-extended by the library).
 * `wasmBasePath`: folder of the codecs' .wasm files; leave undefined in the browser, where the
 * bundler emits them as same-origin assets next to the worker.
 */
export async function decodeCompressedFrame(encoded: Uint8Array, h: SliceHeader, wasmBasePath?: string): Promise<ArrayLike<number>> {
  quietCodecLogs();
  const imageFrame = {
    samplesPerPixel: h.samplesPerPixel,
    photometricInterpretation: h.photometric,
    planarConfiguration: h.planarConfiguration,
    rows: h.rows,
    columns: h.columns,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    pixelRepresentation: h.pixelRepresentation,
  };
  // The rescale is applied by storeHU on the stored values, so the library must not scale.
  const decoded: { pixelData?: ArrayLike<number> } = await decodeImageFrame(
    imageFrame,
    h.transferSyntax,
    encoded,
    wasmBasePath === undefined ? undefined : { wasmBasePath },
    { preScale: { enabled: false } },
    undefined,
  );
  const pixels = decoded.pixelData;
  if (!pixels) throw new Error('the codec returned no pixels');
  return pixels;
}
