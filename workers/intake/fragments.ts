// Encapsulated (compressed) pixel data listed item by item from a byte reader: the Basic Offset Table
// and where each fragment lies, without reading the fragments themselves. A large compressed file's
// header is then read from its first bytes and its item headers only.
import type { ByteReader } from './byteReader';
import { MAX_FRAGMENTS, MAX_FRAMES } from './limits';

/** Encapsulated pixel data as listed: fragments ([position, length], file order), offset table, codestream starts. */
export interface Encapsulated {
  /** bytes from the first item (the offset table) to the end of the sequence delimiter */
  length: number;
  fragments: [number, number][];
  basicOffsetTable: number[];
  /** whether the fragment at `position` starts a JPEG or JPEG 2000 codestream (see startsCodestream) */
  starts(position: number): boolean;
}

const ITEM = 0xe000fffe; // (FFFE,E000) read as a little-endian uint32
const SEQUENCE_END = 0xe0ddfffe; // (FFFE,E0DD)

/** JPEG (SOI FF D8) or JPEG 2000 (SOC FF 4F FF 51): a fragment starting with one starts a new frame. */
export const startsCodestream = (bytes: Uint8Array, at: number) =>
  bytes[at] === 0xff && (bytes[at + 1] === 0xd8 || (bytes[at + 1] === 0x4f && bytes[at + 2] === 0xff && bytes[at + 3] === 0x51));

/**
 * The items of encapsulated pixel data whose value starts at `start` (the Basic Offset Table item
 * first), read item header by item header (a window of bytes per read, forward only). A string says
 * what is wrong: an item running past the end of the file, a missing item tag, too many fragments.
 */
export async function walkFragments(reader: ByteReader, start: number): Promise<Encapsulated | string> {
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = start;
  // bytes [at, at + n) from the current window, reading the next window when they are not in it
  const bytesAt = async (at: number, n: number, ahead: number) => {
    if (at < windowStart || at + n > windowStart + window.length) {
      window = await reader.read(at, at + Math.max(n, ahead));
      windowStart = at;
    }
    return window.subarray(at - windowStart, at - windowStart + n);
  };
  const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  const fragments: [number, number][] = [];
  const starting = new Set<number>();
  const basicOffsetTable: number[] = [];
  let at = start;
  let ahead = 4096;
  for (let item = 0; ; item++) {
    const h = await bytesAt(at, 8, ahead);
    if (h.length < 8) return `the compressed pixel data ends without its sequence delimiter (truncated): ${fragments.length} fragments read`;
    const tag = u32(h, 0), length = u32(h, 4);
    if (tag === SEQUENCE_END) return { length: at + 8 - start, fragments, basicOffsetTable, starts: (position) => starting.has(position) };
    if (tag !== ITEM) return `the compressed pixel data is damaged: no item tag at byte ${at}`;
    const value = at + 8;
    if (value + length > reader.size) return `the file ends too early (truncated): the compressed pixel data runs to byte ${value + length}, the file has ${reader.size}`;
    if (item === 0) {
      // the Basic Offset Table: one 32-bit offset per frame
      if (length % 4 || length / 4 > MAX_FRAMES) return `the compressed pixel data's offset table is damaged (${length} bytes)`;
      const bot = await bytesAt(value, length, length);
      if (bot.length < length) return 'the file ends too early (truncated) in the compressed pixel data';
      for (let o = 0; o < length; o += 4) basicOffsetTable.push(u32(bot, o));
    } else {
      if (fragments.length >= MAX_FRAGMENTS)
        return `the compressed pixel data is split into more than ${MAX_FRAGMENTS} fragments, more than any image this app reads: the file is damaged or crafted`;
      fragments.push([value, length]);
      const lead = await bytesAt(value, Math.min(4, length), ahead);
      if (startsCodestream(lead, 0)) starting.add(value);
      // read ahead about as far as the next item header is likely to be
      ahead = Math.min(1 << 16, Math.max(4096, 2 * length + 16));
    }
    at = value + length;
  }
}
