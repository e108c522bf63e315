// Files from a drop: walks dropped folders recursively (webkitGetAsEntry), else takes dataTransfer.files.
// Files found in folders keep their path in the drop (as webkitRelativePath), so messages name the folder.

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

/**
 * A dropped file named by its path in the drop ("scan/S2/I10"), like a file of an opened folder: the
 * browser leaves a dropped File's webkitRelativePath empty, and messages about files need the folder.
 */
function withPath(file: File, fullPath: string): File {
  const path = fullPath.replace(/^\/+/, '');
  if (path && path !== file.name && !file.webkitRelativePath) Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

async function walk(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [withPath(file, entry.fullPath)];
  }
  if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    return (await Promise.all(children.map(walk))).flat();
  }
  return [];
}

/**
 * Every file of a drop, folders walked recursively. Call it synchronously from the drop handler: the
 * DataTransfer items are only readable during the event (the entries are taken before the first await).
 */
export async function collectDroppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = Array.from(dt.items ?? [])
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null))
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length) return (await Promise.all(entries.map(walk))).flat();
  return Array.from(dt.files);
}
