// Test helpers: the shared real datasets, read by path (never copied into the repo).
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { headerOf } from './headerScan';
import type { DicomHeader, NotImage } from './headerTypes';
import { fileSource, listFiles } from './nodeLoad';

/** Absolute path of a file or folder under ../shared/data (relative to the repository root). */
export const data = (rel: string) => resolve(process.cwd(), '..', 'shared', 'data', rel);

/** Whether ../shared/data is beside the repository (CI has it; a fresh clone may not). */
export const HAS_SHARED = existsSync(data(''));

/** Options for a test that reads ../shared/data: skipped, with the reason, when it is absent. */
export const needsShared = { skip: HAS_SHARED ? false : 'needs the datasets in ../shared/data (not beside this clone)' };

export const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** The header of one file, named by its base name. */
export const headerAt = (path: string): Promise<DicomHeader | NotImage> => headerOf({ ...fileSource(path), name: basename(path) });

/** The image headers of every file under a folder. */
export async function imageHeaders(dir: string): Promise<DicomHeader[]> {
  const all = await Promise.all(listFiles(dir).map(headerAt));
  return all.filter((h): h is DicomHeader => h.kind === 'image');
}
