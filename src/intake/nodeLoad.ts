// Node loader (bench, tests): a folder on disk → volume, uncompressed transfer syntaxes only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assembleVolume, type LoadResult } from './assemble';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

export function loadDicomFolderNode(dir: string): Promise<LoadResult> {
  const files = walk(dir).map((p) => ({
    name: p,
    read: async () => {
      const b = readFileSync(p);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  }));
  return assembleVolume(files, (h) => Promise.reject(new Error(`compressed transfer syntax ${h.transferSyntax} is decoded in the browser only`)));
}
