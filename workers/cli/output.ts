// Writing results: the model as a file, placed as the app places it (meshApi.write: as scanned, in
// patient LPS mm with Slicer's "SPACE=LPS" in the header, or flat side down on the bed), and nothing
// from the scan inside the file. A rotated model is no longer in patient space, so its file declares
// none. Every file is written to a temporary name first (in -T DIR, else beside it) and moved into
// place when complete, so a stopped run never leaves half a model under the real name.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { placeOnBed, type Placement } from '../core/placement';
import { placeObjects } from '../core/placeObjects';
import type { Mesh } from '../core/types';
import { writeMesh, writeObjects, type MeshFormat, type ModelObject } from '../core/writers';
import { CliError, EXIT } from './exitCodes';

/** The model's file: placed, then written in `format` (see the header comment for what goes inside). */
export function modelBytes(mesh: Mesh, format: MeshFormat, placement: Placement, rotated: boolean): Uint8Array[] {
  const placed = placement.where === 'bed' ? placeOnBed(mesh, { scalePercent: placement.scalePercent, flatSideDown: true }) : mesh;
  return writeMesh(placed, format, { space: placement.where === 'scanner' && placement.scalePercent === 100 && !rotated ? 'LPS' : undefined });
}

/**
 * Several objects (one per label), placed together: one 3MF of named, coloured objects, or for the
 * other formats one file each, in the order given (each with the object's name in its header).
 */
export function objectsBytes(objects: ModelObject[], format: MeshFormat, placement: Placement, rotated: boolean): Uint8Array[][] {
  const placed = placeObjects(objects, placement);
  const space = rotated ? undefined : placed.space;
  if (format === '3mf') return [writeObjects(placed.objects, '3mf', 'merged', { space })];
  return placed.objects.map((o) => writeMesh(o.mesh, format, { name: o.name, space }));
}

const reason = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message.replace(/^\w+: /, '')}` : String(err.message ?? e);
};

/** Writes `parts` to `path` through a temporary file in `tempDir` (default: the file's folder), creating the folder. */
export function writeFileAtomic(path: string, parts: Uint8Array[] | string, tempDir: string | null): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    if (tempDir) mkdirSync(tempDir, { recursive: true });
  } catch (e) {
    throw new CliError(EXIT.cannotWrite, `${path}: cannot create its folder (${reason(e)})`);
  }
  const tmp = join(tempDir ?? dir, `.${basename(path)}.${process.pid}.part`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const p of typeof parts === 'string' ? [new TextEncoder().encode(parts)] : parts) {
        for (let at = 0; at < p.length; ) at += writeSync(fd, p, at, p.length - at);
      }
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      // -T on another file system: copy across, then remove the temporary file
      copyFileSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new CliError(EXIT.cannotWrite, `${path}: could not be written (${reason(e)})`);
  }
}
