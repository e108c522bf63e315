// Building the model over the mesh pool, cancelling a build, and writing the model as a file.
import { coarsenEdits } from '../../workers/core/maskEdits';
import { buildMesh, type MeshOptions, type MeshResult } from '../../workers/core/pipeline';
import type { Placement } from '../../workers/core/placement';
import { sharedBytes } from '../../workers/core/sharedMemory';
import type { Mesh, ThresholdRange, Vec3, Volume } from '../../workers/core/types';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import { Aborted } from './bridge';
import { meshPool } from './workers';

/** Rejection of a build stopped by cancelBuild(). */
export class BuildCancelled extends Aborted {
  constructor() {
    super('Build cancelled');
    this.name = 'BuildCancelled';
  }
}

/**
 * Threshold → (largest piece) → closed surface → smoothing → decimation → check, over the worker
 * pool. Rejects with BuildCancelled when cancelBuild() is called meanwhile.
 */
export async function makeMesh(volume: Volume, range: ThresholdRange, options: MeshOptions, onStage?: (stage: string) => void): Promise<MeshResult> {
  performance.mark('mesh-start');
  let vol = volume;
  let opts = options;
  if (options.resolution === 'half') {
    onStage?.('half resolution');
    vol = await halfResolution(volume);
    opts = { ...options, ...coarsenEdits(options, volume.dims, HALF, vol.dims) };
  }
  const result = await meshPool.run((workers) => buildMesh(workers, vol, range, opts, onStage));
  performance.measure('mesh', 'mesh-start');
  return result;
}

/** Stops the build running now at once (its workers are terminated and restart on the next call). */
export function cancelBuild(): void {
  meshPool.abort();
  // the half-resolution copy may have been half written
  half = null;
}

/** Drops what a scan left in the engine: the half-resolution copy (the caller stops builds first). */
export function forgetModelInputs(): void {
  half = null;
}

/** makeMesh's rejection when cancelBuild() stopped it. */
export const wasCancelled = (e: unknown): boolean => e instanceof Aborted;

const HALF: Vec3 = [2, 2, 2];
let half: { of: WeakRef<Volume>; vol: Volume } | null = null; // (weak: a dropped denoised copy must not stay alive here)

/** The volume averaged over 2 × 2 × 2 blocks, in shared memory, made once per volume. */
async function halfResolution(volume: Volume): Promise<Volume> {
  if (half?.of.deref() === volume) return half.vol;
  const n = volume.dims.reduce((p, d) => p * Math.ceil(d / 2), 1);
  const data = new Int16Array(sharedBytes(2 * n));
  const geometry = await meshPool.bridges[0].run((w) => w.downsample(volume, HALF, data));
  half = { of: new WeakRef(volume), vol: { ...geometry, data } };
  return half.vol;
}

/**
 * The model as a file, written in a worker. `name` (series description and preset, never patient
 * data) goes into the file's header or title.
 */
export async function exportModel(mesh: Mesh, format: MeshFormat, name: string, placement: Placement): Promise<{ parts: Uint8Array<ArrayBuffer>[]; bytes: number; mime: string }> {
  // the writers allocate plain ArrayBuffers (never shared), as Blob needs
  const writer = meshPool.bridges[meshPool.size - 1];
  const parts = (await writer.run((w) => w.write(mesh, format, name, placement))) as Uint8Array<ArrayBuffer>[];
  const mime = MESH_FORMATS.find((f) => f.format === format)!.mime;
  return { parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0), mime };
}
