// Print preparation: the model as the file will place it (for the 3D view and the report's size), and
// the measures the report needs (solids and voids, the thinnest wall) from a worker of their own.
import type { Placement } from '../../workers/core/placement';
import type { PieceFacts, WallFacts } from '../../workers/core/printFacts';
import type { Mesh, Vec3 } from '../../workers/core/types';
import { meshPool, printWorker } from './workers';

/** The model as written with `placement` (same function as the writer), its size (mm) and its first layer (area in mm², whether it holds). */
export async function placeModel(mesh: Mesh, placement: Placement): Promise<{ mesh: Mesh; size: Vec3; firstLayerMm2: number; firstLayerHolds: boolean }> {
  const writer = meshPool.bridges[meshPool.size - 1];
  const { positions, ...facts } = await writer.run((w) => w.place(mesh, placement));
  return { mesh: positions ? { positions, indices: mesh.indices } : mesh, ...facts };
}

/**
 * Solids, enclosed voids and the thinnest wall of a finished model. A call stops the one before it
 * (a new model makes the old measures useless): that one rejects with Aborted.
 */
export async function printFacts(mesh: Mesh, minWallMm: number): Promise<{ pieces: PieceFacts; walls: WallFacts }> {
  if (measuring > 0) printWorker.abort('print facts: a newer model');
  measuring++;
  try {
    const pieces = await printWorker.run((w) => w.pieceFacts(mesh));
    const walls = await printWorker.run((w) => w.wallFacts(mesh, minWallMm));
    return { pieces, walls };
  } finally {
    measuring--;
  }
}

let measuring = 0;
