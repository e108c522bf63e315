// What a mesh worker does, as plain functions over shared typed arrays. The browser worker
// (mesh.worker.ts) and the Node bench worker expose this same object through comlink.
import { transfer } from 'comlink';
import { doubleThreshold } from './core/components';
import { applyMaskEdits, type MaskEdits } from './core/maskEdits';
import type { CropBox } from './core/maskOps';
import { marchSlab } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import { makeHeadPhantom } from './core/phantom';
import { refineMesh, type RefineOptions } from './core/refine';
import { thresholdMask } from './core/threshold';
import { writeMesh, type MeshFormat } from './core/writers';
import type { Mesh, ThresholdRange, Vec3, Volume, VolumeGeometry } from './core/types';

export const meshApi = {
  /** Fills `data` (shared) with the demo head phantom; returns its geometry. */
  phantom(data: Int16Array, dims?: Vec3): VolumeGeometry & { seriesDescription: string } {
    const { dims: d, spacing, origin, direction, seriesDescription } = makeHeadPhantom({ data, dims });
    return { dims: d, spacing, origin, direction, seriesDescription };
  },
  threshold(vol: Volume, range: ThresholdRange, mask: Uint8Array, zRange: [number, number], crop?: CropBox): void {
    thresholdMask(vol, range, mask, zRange, crop);
  },
  doubleThreshold(vol: Volume, narrow: ThresholdRange, wide: ThresholdRange, mask: Uint8Array, crop?: CropBox): void {
    doubleThreshold(vol, narrow, wide, mask, crop);
  },
  editMask(mask: Uint8Array, dims: Vec3, spacing: Vec3, edits: MaskEdits) {
    return applyMaskEdits(mask, dims, spacing, edits);
  },
  marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number]) {
    const slab = marchSlab(vol, range, mask, zCells);
    const views = Object.values(slab).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
    return transfer(slab, [...new Set(views.map((v) => v.buffer as ArrayBuffer))]);
  },
  /** Smoothing → decimation → check; the mesh is moved in and out, not copied. */
  refine(mesh: Mesh, opts: RefineOptions) {
    const r = refineMesh(mesh, opts);
    return transfer(r, [r.mesh.positions.buffer as ArrayBuffer, r.mesh.indices.buffer as ArrayBuffer]);
  },
  /** The mesh as a file in `format`, in chunks (moved back, not copied). */
  write(mesh: Mesh, format: MeshFormat, name: string) {
    const parts = writeMesh(mesh, format, name);
    return transfer(parts, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
  },
  check(mesh: Mesh) {
    return checkMesh(mesh);
  },
};

export type MeshApi = typeof meshApi;
