// Browser loader: File objects → volume in shared memory. Compressed frames are decoded by
// dicom-image-loader's WebAssembly codecs in its own worker pool.
import { init as cornerstoneInit } from '@cornerstonejs/core';
import { decodeImageFrame, init as dicomImageLoaderInit } from '@cornerstonejs/dicom-image-loader';
import dicomParser from 'dicom-parser';
import { assembleVolume, type LoadProgress, type LoadResult } from './assemble';
import type { ImageHeader } from './dicomHeader';

export type { LoadResult, LoadProgress };

let codecsReady = false;

/** The compressed bytes of a single-frame image. */
function encapsulatedFrame(h: ImageHeader): Uint8Array {
  const el = h.dataSet.elements.x7fe00010;
  if (!el.encapsulatedPixelData) return new Uint8Array(h.bytes.buffer, h.bytes.byteOffset + el.dataOffset, el.length);
  if (el.basicOffsetTable && el.basicOffsetTable.length) return dicomParser.readEncapsulatedImageFrame(h.dataSet, el, 0);
  return dicomParser.readEncapsulatedPixelDataFromFragments(h.dataSet, el, 0, el.fragments!.length);
}

async function decodeCompressed(h: ImageHeader): Promise<ArrayLike<number>> {
  if (!codecsReady) {
    cornerstoneInit(); // creates the web-worker manager the codecs' pool registers with (idempotent)
    dicomImageLoaderInit({ maxWebWorkers: Math.max(1, navigator.hardwareConcurrency || 2) });
    codecsReady = true;
  }
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const decoded = await (decodeImageFrame as any)(imageFrame, h.transferSyntax, encapsulatedFrame(h), undefined, {
    // we apply the rescale ourselves (storeHU), on the stored values
    preScale: { enabled: false },
  });
  return decoded.pixelData as ArrayLike<number>;
}

export function loadDicomFiles(files: File[], onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
  const sources = files.map((f) => ({ name: f.webkitRelativePath || f.name, read: () => f.arrayBuffer() }));
  return assembleVolume(sources, decodeCompressed, onProgress);
}
