import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { planZip, readZipDirectory, zipEntryFile, ZipRefused, type ZipEntry } from './zip';

const blobOf = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);
const text = (b: ArrayBuffer) => new TextDecoder().decode(b);
const list = (zip: Uint8Array, name: string) => readZipDirectory(blobOf(zip), name);

/** Offsets of every central directory record (signature PK\1\2) in an archive. */
function centralRecords(zip: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2) out.push(i);
  return out;
}
/** Rewrites fields of central directory record `k` (the local headers keep the true values). */
function patchCentral(zip: Uint8Array, k: number, fields: { flags?: number; compressedSize?: number; size?: number }): Uint8Array {
  const z = zip.slice();
  const v = new DataView(z.buffer);
  const at = centralRecords(z)[k];
  if (fields.flags !== undefined) v.setUint16(at + 8, fields.flags, true);
  if (fields.compressedSize !== undefined) v.setUint32(at + 20, fields.compressedSize, true);
  if (fields.size !== undefined) v.setUint32(at + 24, fields.size, true);
  return z;
}

const sample = () =>
  zipSync({
    'scan/a.txt': [strToU8('stored entry'), { level: 0 }],
    'scan/b.txt': strToU8('deflated '.repeat(1000)),
    'scan/sub/': new Uint8Array(0),
    '__MACOSX/scan/._a.txt': strToU8('resource fork'),
    'scan/.DS_Store': strToU8('finder'),
    'scan/inner.zip': zipSync({ x: strToU8('x') }),
  });

test('directory listing, plan (folders dropped, macOS files and nested zips counted) and lazy entry reads', async () => {
  const zip = sample();
  const entries = await readZipDirectory(blobOf(zip), 'a.zip');
  assert.deepEqual(entries.map((e) => e.name).sort(), ['__MACOSX/scan/._a.txt', 'scan/.DS_Store', 'scan/a.txt', 'scan/b.txt', 'scan/inner.zip', 'scan/sub/']);
  const plan = planZip(entries, 'a.zip');
  assert.deepEqual(plan.entries.map((e) => e.name).sort(), ['scan/a.txt', 'scan/b.txt']);
  assert.deepEqual(plan.skipped.reasons, { 'macOS resource files': 2, 'zip inside a zip (not opened)': 1 });
  assert.equal(plan.skipped.count, 3);
  const files = plan.entries.map((e) => zipEntryFile(blobOf(zip), e, 'a.zip'));
  assert.deepEqual(files.map((f) => f.name).sort(), ['a.zip/scan/a.txt', 'a.zip/scan/b.txt']);
  const byName = Object.fromEntries(await Promise.all(files.map(async (f) => [f.name, text(await f.read())])));
  assert.equal(byName['a.zip/scan/a.txt'], 'stored entry');
  assert.equal(byName['a.zip/scan/b.txt'], 'deflated '.repeat(1000));
});

test('refused before inflating: declared total over 4 GiB, ratio over 1000:1, password protection', async () => {
  const zip = zipSync({ 'a.dcm': strToU8('a'.repeat(100)), 'b.dcm': strToU8('b'.repeat(100)) });
  // 3 GiB each from 4 MiB each (750:1, under the ratio limit), 6 GiB in all (entries as a directory
  // would list them: a directory of this tiny archive cannot claim 4 MiB of data, see the layout test)
  const entry = (name: string, localOffset: number): ZipEntry => ({ name, method: 8, flags: 0, compressedSize: 4 * 2 ** 20, size: 3 * 2 ** 30, localOffset });
  assert.throws(
    () => planZip([entry('a.dcm', 0), entry('b.dcm', 5 * 2 ** 20)], 'bomb.zip'),
    (e: Error) => e instanceof ZipRefused && /^bomb\.zip: refused: its files would expand to 6 GiB, more than the 4 GiB/.test(e.message) && /Unzip it yourself/.test(e.message),
  );
  const ratio = patchCentral(zip, 0, { size: 2 ** 30 });
  await assert.rejects(async () => planZip(await list(ratio, 'r.zip'), 'r.zip'), /^Error: r\.zip: refused: a\.dcm would expand from \d+ bytes to 1 GiB \(more than 1000:1/);
  const locked = patchCentral(zip, 1, { flags: 1 });
  await assert.rejects(async () => planZip(await list(locked, 'locked.zip'), 'locked.zip'), /locked\.zip: the archive is password-protected/);
});

test('a directory that understates a size cannot make an entry expand past it', async () => {
  const zip = patchCentral(zipSync({ 'big.dcm': new Uint8Array(100_000) }), 0, { size: 1000 });
  const [e] = planZip(await readZipDirectory(blobOf(zip), 'l.zip'), 'l.zip').entries;
  await assert.rejects(zipEntryFile(blobOf(zip), e, 'l.zip').read(), /inflates to more than its declared 1000 bytes/);
});

test('damaged archives: truncated, not a zip, local header missing', async () => {
  const zip = sample();
  await assert.rejects(readZipDirectory(blobOf(zip.subarray(0, zip.length - 30)), 'cut.zip'), /^Error: cut\.zip: not a readable zip archive \(no central directory/);
  await assert.rejects(readZipDirectory(blobOf(strToU8('hello')), 'x.zip'), /x\.zip: not a readable zip archive/);
  const e: ZipEntry = { name: 'n', method: 8, flags: 0, compressedSize: 10, size: 10, localOffset: 5 };
  await assert.rejects(zipEntryFile(blobOf(zip), e, 'z.zip').read(), /bad local header/);
});
