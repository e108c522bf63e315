// Zip archives as lazy virtual files. The central directory (at the end of the archive) is read first,
// so an archive is refused on its declared sizes and layout before anything is inflated; each entry is
// then inflated only when read, streamed from the archive in small slices (see inflate.ts), only as far
// as the reader needs (a header reads the first bytes only), and never past its declared size (a lying
// directory cannot make it expand further).
import { addSkip, noSkips, type Skipped } from './skipped';
import type { SourceFile } from './loadTypes';
import type { FrameFile } from './multiframe';
import { blobChunks, collect, inflateChunks, ownBuffer } from './inflate';
import { formatBytes, MAX_ZIP_EXPANDED_BYTES, MAX_ZIP_RATIO, RATIO_CHECK_MIN_BYTES } from './limits';
import { cleanText } from './text';

export interface ZipEntry {
  /** path inside the archive */
  name: string;
  /** 0 = stored, 8 = deflate */
  method: number;
  flags: number;
  compressedSize: number;
  /** declared uncompressed size */
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
const FFFF = 0xffff, FFFFFFFF = 0xffffffff;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (v: DataView, o: number) => v.getUint32(o, true) + v.getUint32(o + 4, true) * 2 ** 32;
const bytesAt = async (blob: Blob, start: number, end: number) => new Uint8Array(await blob.slice(start, end).arrayBuffer());

/** Thrown when an archive is refused or unreadable; the message names the archive and says what to do. */
export class ZipRefused extends Error {}

const UNZIP_YOURSELF = 'Unzip it yourself and open or drop the folder.';
const damaged = (archive: string, why: string) => new ZipRefused(`${archive}: not a readable zip archive (${why}). ${UNZIP_YOURSELF}`);

/**
 * The entries listed in the central directory (Zip64 sizes and offsets included). Throws ZipRefused,
 * naming the archive, when the directory cannot be read (damaged, truncated, not a zip) or describes
 * entries that overlap or lie outside the archive (a crafted archive: several entries sharing one
 * compressed stream would each inflate it again).
 */
export async function readZipDirectory(blob: Blob, archive: string): Promise<ZipEntry[]> {
  let entries: ZipEntry[];
  let cdOffset: number;
  try {
    ({ entries, cdOffset } = await readDirectory(blob, archive));
  } catch (e) {
    if (e instanceof ZipRefused) throw e;
    // a DataView read past the directory's end, a bad Zip64 record…: the directory is damaged
    throw damaged(archive, `its directory is damaged: ${(e as Error).message ?? e}`);
  }
  checkLayout(entries, cdOffset, archive);
  return entries;
}

/**
 * Every entry's local header and data must lie before the central directory, and no two may overlap
 * (local header of 30 bytes plus the compressed data, at least): so the compressed sizes add up to
 * less than the archive, and no byte is inflated twice.
 */
function checkLayout(entries: ZipEntry[], cdOffset: number, archive: string) {
  const spans = entries.map((e) => ({ e, start: e.localOffset, end: e.localOffset + 30 + e.compressedSize })).sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const { e, end } = spans[i];
    if (end > cdOffset)
      throw new ZipRefused(`${archive}: refused: ${e.name} is said to hold ${formatBytes(e.compressedSize)} from byte ${e.localOffset}, past the archive's data (a damaged or crafted archive). ${UNZIP_YOURSELF}`);
    const next = spans[i + 1];
    if (next && next.start < end)
      throw new ZipRefused(
        `${archive}: refused: its entries ${e.name} and ${next.e.name} overlap (they share compressed bytes: a crafted archive, e.g. a zip bomb, or a damaged one). ${UNZIP_YOURSELF}`,
      );
  }
}

async function readDirectory(blob: Blob, archive: string): Promise<{ entries: ZipEntry[]; cdOffset: number }> {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  const tailStart = Math.max(0, blob.size - 22 - 0xffff);
  const tail = await bytesAt(blob, tailStart, blob.size);
  const tv = view(tail);
  let at = -1;
  for (let i = tail.length - 22; i >= 0 && at < 0; i--) if (tv.getUint32(i, true) === EOCD) at = i;
  if (at < 0) throw damaged(archive, 'no central directory: damaged, truncated or not a zip');
  let count = tv.getUint16(at + 10, true);
  let cdSize = tv.getUint32(at + 12, true);
  let cdOffset = tv.getUint32(at + 16, true);
  if (count === FFFF || cdSize === FFFFFFFF || cdOffset === FFFFFFFF) {
    if (at < 20 || tv.getUint32(at - 20, true) !== ZIP64_LOCATOR) throw damaged(archive, 'Zip64 locator missing');
    const z = view(await bytesAt(blob, u64(tv, at - 12), u64(tv, at - 12) + 56));
    if (z.byteLength < 56 || z.getUint32(0, true) !== ZIP64_EOCD) throw damaged(archive, 'bad Zip64 directory record');
    (count = u64(z, 32)), (cdSize = u64(z, 40)), (cdOffset = u64(z, 48));
  }
  if (cdOffset + cdSize > blob.size) throw damaged(archive, 'the central directory lies past the end of the file: truncated');
  // every directory record takes at least 46 bytes: a count beyond that is a lie
  if (count > cdSize / 46) throw damaged(archive, `its directory claims ${count} entries in ${cdSize} bytes`);
  const cd = await bytesAt(blob, cdOffset, cdOffset + cdSize);
  const v = view(cd);
  const utf8 = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw damaged(archive, 'bad central directory entry');
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw damaged(archive, 'a directory entry runs past the directory');
    const e: ZipEntry = {
      name: cleanText(utf8.decode(cd.subarray(p + 46, p + 46 + nameLen))),
      method: v.getUint16(p + 10, true),
      flags: v.getUint16(p + 8, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localOffset: v.getUint32(p + 42, true),
    };
    // Zip64 extra field (id 1): the 64-bit values, in this order, of the fields that read 0xFFFFFFFF.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = v.getUint16(x, true), len = v.getUint16(x + 2, true);
      if (id === 1) {
        let f = x + 4;
        for (const key of ['size', 'compressedSize', 'localOffset'] as const)
          if (e[key] === FFFFFFFF && f + 8 <= x + 4 + len) (e[key] = u64(v, f)), (f += 8);
      }
      x += 4 + len;
    }
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, cdOffset };
}

/** macOS adds these to archives it makes: resource forks and Finder metadata, never scan data. */
const isMacJunk = (name: string) => name.startsWith('__MACOSX/') || /(^|\/)(\._[^/]*|\.DS_Store)$/.test(name);

/**
 * The entries worth reading, and those skipped (counted). Throws ZipRefused, before anything is
 * inflated, for a password-protected archive, a declared expansion above MAX_ZIP_EXPANDED_BYTES or an
 * entry compressed more than MAX_ZIP_RATIO:1.
 */
export function planZip(entries: ZipEntry[], archive: string): { entries: ZipEntry[]; skipped: Skipped } {
  const skipped = noSkips();
  const keep: ZipEntry[] = [];
  let total = 0;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue; // a folder
    if (e.flags & 1)
      throw new ZipRefused(`${archive}: the archive is password-protected, which this app cannot open. Unzip it yourself (with its password) and open or drop the folder.`);
    total += e.size;
    if (e.size >= RATIO_CHECK_MIN_BYTES && e.size > MAX_ZIP_RATIO * Math.max(1, e.compressedSize))
      throw new ZipRefused(
        `${archive}: refused: ${e.name} would expand from ${formatBytes(e.compressedSize)} to ${formatBytes(e.size)} ` +
          `(more than ${MAX_ZIP_RATIO}:1, which no scan compresses to: a zip bomb or a damaged archive). ${UNZIP_YOURSELF}`,
      );
    if (isMacJunk(e.name)) addSkip(skipped, 'macOS resource files');
    else if (/\.zip$/i.test(e.name)) addSkip(skipped, 'zip inside a zip (not opened)', `${archive}/${e.name}: a zip inside the zip is not opened; unzip it and open the folder`);
    else if (e.method !== 0 && e.method !== 8)
      addSkip(skipped, 'unsupported zip compression', `${archive}/${e.name}: compressed with zip method ${e.method}, which this app cannot read; only stored and deflate are supported`);
    else keep.push(e);
  }
  if (total > MAX_ZIP_EXPANDED_BYTES)
    throw new ZipRefused(
      `${archive}: refused: its files would expand to ${formatBytes(total)}, more than the ${formatBytes(MAX_ZIP_EXPANDED_BYTES)} ` +
        `this app accepts from one archive (a zip bomb, or far more than one scan). ${UNZIP_YOURSELF}`,
    );
  return { entries: keep, skipped };
}

/**
 * One entry's bytes, streamed from the archive and inflated in small slices as they are pulled. Fails
 * when the entry would grow past its declared size, and (when read to the end) when it is shorter.
 */
async function* entryChunks(blob: Blob, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const local = view(await bytesAt(blob, e.localOffset, e.localOffset + 30));
  if (local.byteLength < 30 || local.getUint32(0, true) !== LOCAL) throw new Error('the zip entry is damaged (bad local header)');
  const start = e.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (start + e.compressedSize > blob.size) throw new Error('the zip archive is truncated');
  const data = blobChunks(blob, start, start + e.compressedSize);
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new Error('the stored zip entry has inconsistent sizes');
    yield* data;
    return;
  }
  let got = 0;
  for await (const chunk of inflateChunks(data, 'deflate')) {
    got += chunk.length;
    if (got > e.size) throw new Error(`the zip entry inflates to more than its declared ${formatBytes(e.size)}: the archive is damaged or malicious`);
    yield chunk;
  }
  if (got !== e.size) throw new Error(`the zip entry inflates to ${got} bytes, not the declared ${e.size}: the archive is damaged`);
}

/** Where a zip entry's bytes are: cloneable, so a worker can read (inflate) the entry itself. */
export interface ZipEntryRef {
  archive: Blob;
  entry: ZipEntry;
}

/** Where a file's bytes are, cloneable to a worker: a Blob (a File), or an entry of a zip archive. */
export type ByteRef = { blob: Blob } | ZipEntryRef;

/** The bytes of a file, read (inflated) as they are pulled. */
export const refChunks = (ref: ByteRef): AsyncGenerator<Uint8Array> => ('blob' in ref ? blobChunks(ref.blob) : entryChunks(ref.archive, ref.entry));

/** A file to read frames from (see readFrame): a Blob read in place, a zip entry inflated as far as needed. */
export const refFile = (ref: ByteRef): FrameFile =>
  'blob' in ref
    ? { read: () => ref.blob.arrayBuffer(), blob: ref.blob }
    : { read: async () => ownBuffer(await collect(refChunks(ref), ref.entry.size)), chunks: () => refChunks(ref) };

/**
 * An archive entry as a file named `archive/path/in/zip`, inflated when read: whole (`read`), its
 * first bytes only (`head`, for headers), or as a stream (`chunks`); `ref` lets a worker read it.
 */
export function zipEntryFile(blob: Blob, e: ZipEntry, archive: string): SourceFile & { ref: ZipEntryRef } {
  return {
    name: `${archive}/${e.name}`,
    read: async () => ownBuffer(await collect(entryChunks(blob, e), e.size)),
    head: async (n) => ({ bytes: ownBuffer(await collect(entryChunks(blob, e), Math.min(n, e.size))), size: e.size }),
    chunks: () => entryChunks(blob, e),
    ref: { archive: blob, entry: e },
  };
}
