// Zip archives as lazy virtual files. The central directory (at the end of the archive) is read first,
// so an archive is refused on its declared sizes before anything is inflated; each entry is then
// inflated only when read, streamed from the archive through fflate's Inflate, and never past its
// declared size (a lying directory cannot make it expand further).
import { Inflate } from 'fflate';
import { addSkip, noSkips, type Skipped } from './skipped';
import type { SourceFile } from './loadTypes';
import { formatBytes, MAX_ZIP_EXPANDED_BYTES, MAX_ZIP_RATIO, RATIO_CHECK_MIN_BYTES } from './limits';

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

/** The entries listed in the central directory (Zip64 sizes and offsets included). */
export async function readZipDirectory(blob: Blob, archive: string): Promise<ZipEntry[]> {
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
  const cd = await bytesAt(blob, cdOffset, cdOffset + cdSize);
  const v = view(cd);
  const utf8 = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw damaged(archive, 'bad central directory entry');
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    const e: ZipEntry = {
      name: utf8.decode(cd.subarray(p + 46, p + 46 + nameLen)),
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
  return entries;
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

/** Inflates one entry, streamed from the archive; fails when it would grow past its declared size. */
async function readEntry(blob: Blob, e: ZipEntry): Promise<ArrayBuffer> {
  const local = view(await bytesAt(blob, e.localOffset, e.localOffset + 30));
  if (local.byteLength < 30 || local.getUint32(0, true) !== LOCAL) throw new Error('the zip entry is damaged (bad local header)');
  const start = e.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  const data = blob.slice(start, start + e.compressedSize);
  if (data.size < e.compressedSize) throw new Error('the zip archive is truncated');
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new Error('the stored zip entry has inconsistent sizes');
    return data.arrayBuffer();
  }
  const out = new Uint8Array(e.size);
  let filled = 0;
  const inflate = new Inflate((chunk) => {
    if (filled + chunk.length > out.length)
      throw new Error(`the zip entry inflates to more than its declared ${formatBytes(e.size)}: the archive is damaged or malicious`);
    out.set(chunk, filled);
    filled += chunk.length;
  });
  const reader = data.stream().getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) inflate.push(r.value);
    inflate.push(new Uint8Array(0), true);
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  if (filled !== e.size) throw new Error(`the zip entry inflates to ${filled} bytes, not the declared ${e.size}: the archive is damaged`);
  return out.buffer;
}

/** An archive entry as a file named `archive/path/in/zip`, inflated when read. */
export function zipEntryFile(blob: Blob, e: ZipEntry, archive: string): SourceFile {
  return { name: `${archive}/${e.name}`, read: () => readEntry(blob, e) };
}
