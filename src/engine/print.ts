// Print preparation: the model as the file will place it (for the 3D view and the report's size), and
// the measures the report needs (solids and voids, the thinnest wall) from a pool of their own, and
// the model cut to fit the bed, on a flat base or with drain holes (manifold-3d's worker).
import type { Placement } from '../../workers/core/placement';
import type { PieceFacts, WallFacts } from '../../workers/core/printFacts';
import type { Mesh, Vec3 } from '../../workers/core/types';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { DrainRequest } from '../../workers/core/drainFile';
import type { BaseFile, CutFile, CutHow, DrainedModel } from '../../workers/manifoldApi';
import { thicknessOnPool } from '../../workers/core/thicknessPool';
import { buildsIdle } from './model';
import { manifoldWorker, meshPool, printPool } from './workers';

/** The model as written with `placement` (same function as the writer), its size (mm) and its first layer (area in mm², whether it holds). */
export async function placeModel(mesh: Mesh, placement: Placement): Promise<{ mesh: Mesh; size: Vec3; firstLayerMm2: number; firstLayerHolds: boolean }> {
  const writer = meshPool.bridges[meshPool.size - 1];
  const { positions, ...facts } = await writer.run((w) => w.place(mesh, placement));
  return { mesh: positions ? { positions, indices: mesh.indices } : mesh, ...facts };
}

/**
 * Solids, enclosed voids and the thinnest wall of a finished model. The solids and the thickness map
 * are measured once per model (the map over the whole print pool); another minimum wall (a printer,
 * the export scale) only finds the thin patches again. A call for another model stops the measures of
 * the one before (they are useless now): its calls reject with Aborted. `onProgress` gets the
 * fraction of the map measured while this call waits for it.
 */
export async function printFacts(mesh: Mesh, minWallMm: number, onProgress?: (fraction: number) => void): Promise<{ pieces: PieceFacts; walls: WallFacts }> {
  if (measured?.mesh !== mesh) {
    if (measured && !measured.settled) printPool.abort('print facts: a newer model');
    // (on the last worker: the first prepares the map's tree meanwhile, which the others wait for)
    const pieces = printPool.bridges[printPool.size - 1].run((w) => w.pieceFacts(mesh));
    const start = performance.now();
    const listeners = new Set<(fraction: number) => void>();
    const progress = (f: number) => listeners.forEach((l) => l(f));
    // (a build started meanwhile comes first: the workers wait for it between chunks)
    const thicknessMm = printPool.run((apis) => thicknessOnPool(apis, mesh, progress, buildsIdle)).then((map) => {
      performance.measure('wall-thickness', { start });
      return map;
    });
    const mine: Measured = { mesh, pieces, thicknessMm, listeners, settled: false };
    measured = mine;
    Promise.all([pieces, thicknessMm]).then(
      () => (mine.settled = true),
      // a failed measure is not kept (the next call tries again)
      () => measured === mine && (measured = null),
    );
  }
  const { pieces, thicknessMm, listeners } = measured;
  if (onProgress) listeners.add(onProgress);
  const map = await thicknessMm.finally(() => onProgress && listeners.delete(onProgress));
  const walls = await printPool.bridges[0].run((w) => w.wallFacts(mesh, minWallMm, map));
  return { pieces: await pieces, walls };
}

/** Forgets the last model's measures and stops them if they are still running (the scan is closed). */
export function stopPrintFacts(): void {
  if (measured && !measured.settled) printPool.abort('print facts: the scan was closed');
  measured = null;
}

/** A model and its measures (promises); settled once both are in. */
interface Measured {
  mesh: Mesh;
  pieces: Promise<PieceFacts>;
  thicknessMm: Promise<Float32Array>;
  /** told the fraction of the map measured (callers waiting for it) */
  listeners: Set<(fraction: number) => void>;
  settled: boolean;
}

/** The model measured last. */
let measured: Measured | null = null;

/**
 * Cut to fit the bed: the model at `scalePercent` cut into parts that each fit `bedMm`, laid out on the
 * bed, as one file (3MF: one named object per part; STL/OBJ/PLY: a zip of one file per part), written
 * in manifold-3d's worker. Null when the model fits whole. `how`: at the user's plane instead, and
 * alignment pins. A call stops the one before it.
 */
export async function exportCut(mesh: Mesh, format: MeshFormat, name: string, scalePercent: number, bedMm: Vec3, how: CutHow = {}): Promise<(Omit<CutFile, 'parts'> & { parts: Uint8Array<ArrayBuffer>[]; bytes: number; mime: string }) | null> {
  if (cutting > 0) manifoldWorker.abort('cut to fit: a newer model or bed');
  cutting++;
  try {
    const r = await manifoldWorker.run((w) => w.cutForBed(mesh, format, name, scalePercent, bedMm, how));
    if (!r) return null;
    const parts = r.parts as Uint8Array<ArrayBuffer>[];
    const mime = format === '3mf' ? MESH_FORMATS.find((f) => f.format === format)!.mime : 'application/zip';
    return { ...r, parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0), mime };
  } finally {
    cutting--;
  }
}

/** manifold-3d calls running (a cut or a base): a new one stops them */
let cutting = 0;

/**
 * A flat base: the model as placed standing in a slab `thicknessMm` thick (a first layer that holds),
 * as one file written in manifold-3d's worker. A call stops the one before it.
 */
export async function exportWithBase(mesh: Mesh, format: MeshFormat, name: string, placement: Placement, thicknessMm: number, drain?: DrainRequest | null): Promise<Omit<BaseFile, 'parts'> & { parts: Uint8Array<ArrayBuffer>[]; bytes: number; mime: string }> {
  if (cutting > 0) manifoldWorker.abort('flat base: a newer model or setting');
  cutting++;
  try {
    const r = await manifoldWorker.run((w) => w.writeWithBase(mesh, format, name, placement, thicknessMm, drain));
    const parts = r.parts as Uint8Array<ArrayBuffer>[];
    return { ...r, parts, bytes: parts.reduce((s, p) => s + p.byteLength, 0), mime: MESH_FORMATS.find((f) => f.format === format)!.mime };
  } finally {
    cutting--;
  }
}

/**
 * Drain holes (manifoldApi drain): the model drilled as `placement` places it, to be written with the
 * placement returned (whole or cut; a flat base drills its own, see exportWithBase). A call stops the one before it.
 */
export async function drainModel(mesh: Mesh, placement: Placement, request: DrainRequest): Promise<DrainedModel> {
  if (cutting > 0) manifoldWorker.abort('drain holes: a newer model or setting');
  cutting++;
  try {
    return await manifoldWorker.run((w) => w.drain(mesh, placement, request));
  } finally {
    cutting--;
  }
}
