// The live preview: a coarse copy of the volume (≤ PREVIEW_VOXELS) in a worker of its own, meshed
// while the user drags, and the full-resolution mask of what will print for the slice overlay.
import type { MaskEditStats, MaskEdits } from '../../workers/core/maskEdits';
import { sharedBytes } from '../../workers/core/sharedMemory';
import type { Mesh, ThresholdRange, Volume } from '../../workers/core/types';
import { readyBuildPool } from './model';
import { previewWorker } from './workers';

/** Voxels of the live preview's coarse volume: small enough to mesh in tens of milliseconds. */
export const PREVIEW_VOXELS = 1_000_000;

/** Whether the build's workers were readied since the scan's preview started. */
let buildReady = false;

/** Prepares the coarse copy of a freshly loaded volume for the live 3D preview. */
export async function startPreview(volume: Volume): Promise<void> {
  buildReady = false;
  await previewWorker.run((w) => w.previewSetup(volume, PREVIEW_VOXELS));
}

/**
 * A coarse, unsmoothed mesh with the same threshold and edits as the real model would have. The
 * scan's first one readies the build's workers: they start after it, not beside the first slices
 * and the preview, which they slowed by about 250 ms on two cores.
 */
export async function previewMesh(range: ThresholdRange, edits: MaskEdits): Promise<Mesh> {
  const mesh = await previewWorker.run((w) => w.previewMesh(range, edits));
  if (!buildReady) {
    buildReady = true;
    readyBuildPool();
  }
  return mesh;
}

/** The full-resolution mask of what will print (for the slice overlay), computed in the preview worker. */
export async function printMask(volume: Volume, range: ThresholdRange, edits: MaskEdits): Promise<Uint8Array> {
  return (await printMaskWithStats(volume, range, edits)).mask;
}

/** The same, with what the piece edits did (pieces found, voxels kept and removed, the largest removed). */
export async function printMaskWithStats(volume: Volume, range: ThresholdRange, edits: MaskEdits): Promise<{ mask: Uint8Array; stats: MaskEditStats }> {
  const mask = new Uint8Array(sharedBytes(volume.data.length));
  const stats = await previewWorker.run((w) => w.printMask(volume, range, edits, mask));
  return { mask, stats };
}

/** Frees the preview's coarse copy (the scan was closed): its worker stops and restarts on the next scan. */
export function stopPreview(): void {
  previewWorker.abort();
}
