import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDroppedFiles } from './dropWalk';

/** A dropped entry tree like the browser's FileSystemEntry API gives (folders read in batches). */
function fileEntry(fullPath: string): FileSystemFileEntry {
  const name = fullPath.split('/').pop()!;
  return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(new File(['x'], name)) } as unknown as FileSystemFileEntry;
}
function dirEntry(fullPath: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader: () => {
      const batches = [children.slice(0, 1), children.slice(1), []];
      return { readEntries: (ok: (b: FileSystemEntry[]) => void) => ok(batches.shift() ?? []) };
    },
  } as unknown as FileSystemDirectoryEntry;
}
const drop = (entries: FileSystemEntry[]) =>
  ({ items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })), files: [] }) as unknown as DataTransfer;

test('two dropped folders: every file, walked recursively, named by its path in the drop', async () => {
  const files = await collectDroppedFiles(
    drop([
      dirEntry('/scanA', [fileEntry('/scanA/I10'), dirEntry('/scanA/S2', [fileEntry('/scanA/S2/I20'), fileEntry('/scanA/S2/I30')])]),
      dirEntry('/scanB', [fileEntry('/scanB/x.dcm')]),
      fileEntry('/loose.nii.gz'),
    ]),
  );
  assert.deepEqual(
    files.map((f) => f.webkitRelativePath || f.name),
    ['scanA/I10', 'scanA/S2/I20', 'scanA/S2/I30', 'scanB/x.dcm', 'loose.nii.gz'],
  );
  assert.deepEqual(files.map((f) => f.name), ['I10', 'I20', 'I30', 'x.dcm', 'loose.nii.gz']);
});
