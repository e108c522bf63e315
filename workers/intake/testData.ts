// Test helpers: the shared real datasets, read by path (never copied into the repo).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { headerOf } from './headerScan';
import type { DicomHeader, NotImage } from './headerTypes';
import { fileSource, listFiles } from './nodeLoad';

/** Absolute path of a file or folder under ../shared/data (relative to the repository root). */
export const data = (rel: string) => resolve(process.cwd(), '..', 'shared', 'data', rel);

export const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** The header of one file, named by its base name. */
export const headerAt = (path: string): Promise<DicomHeader | NotImage> => headerOf({ ...fileSource(path), name: basename(path) });

/** The image headers of every file under a folder. */
export async function imageHeaders(dir: string): Promise<DicomHeader[]> {
  const all = await Promise.all(listFiles(dir).map(headerAt));
  return all.filter((h): h is DicomHeader => h.kind === 'image');
}
