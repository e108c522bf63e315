// The same image twice in one load (a folder copied into itself, a parent folder holding an export and
// its copy, a CD listing images twice, one slice sent again): the copies are dropped, with a note
// naming them, so the series still loads. Images that differ at one position are left alone: the
// series is then refused as conflicting (see series.ts).
import type { DicomHeader } from './headerTypes';
import type { SourceFile } from './loadTypes';
import { readFrame } from './multiframe';
import { frameBytes, sliceHeader } from './pixels';
import { whyNotVolume, type Stack } from './series';

/** At most this many dropped files are named in a note; the rest are counted. */
const NAMED = 10;

/** Distance along the stack's normal, rounded as the stack grouping rounds it (null without geometry). */
function positionKey(h: DicomHeader, normal: number[] | null): string | null {
  if (!normal || !h.imagePositionPatient) return null;
  const p = h.imagePositionPatient;
  return (p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2]).toFixed(3);
}

const normalOf = (h: DicomHeader) => {
  const o = h.imageOrientationPatient;
  return o && [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
};

/** Everything decoding reads from a header, apart from where the pixels are: equal for two copies of one image. */
const decodeKey = (h: DicomHeader) => {
  const { fileName: _f, pixelData: _p, ...rest } = sliceHeader(h);
  return JSON.stringify(rest);
};

/** The encoded bytes of a header's frame (what decoding reads). */
async function encodedFrame(file: SourceFile, h: DicomHeader): Promise<Uint8Array> {
  const frame = await readFrame(file, h);
  return frameBytes(frame.bytes, sliceHeader(frame.header as DicomHeader));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether two images hold the same pixels as decoding would read them (false when either cannot be read). */
async function samePixels(a: DicomHeader, fa: SourceFile, b: DicomHeader, fb: SourceFile): Promise<boolean> {
  if (decodeKey(a) !== decodeKey(b)) return false;
  try {
    return sameBytes(await encodedFrame(fa, a), await encodedFrame(fb, b));
  } catch {
    return false; // a file that cannot be read is no one's copy: decoding will name it
  }
}

/**
 * Drops, from every stack that holds several images at one position, the images that repeat another
 * one there: the same SOP Instance UID, or identical pixel data and decoding values (read for those
 * images only). The stacks' `notVolume` is worked out again. Returns the notes naming the files dropped.
 */
export async function dropDuplicates<F extends SourceFile>(stacks: Stack[], fileOf: Map<DicomHeader, F>): Promise<string[]> {
  const sameUid: [DicomHeader, DicomHeader][] = [];
  const sameImage: [DicomHeader, DicomHeader][] = [];
  for (const s of stacks) {
    const normal = normalOf(s.headers[0]);
    const byPosition = new Map<string, DicomHeader[]>();
    for (const h of s.headers) {
      const key = positionKey(h, normal);
      if (key === null) continue;
      const at = byPosition.get(key);
      if (at) at.push(h);
      else byPosition.set(key, [h]);
    }
    const drop = new Set<DicomHeader>();
    for (const group of byPosition.values()) {
      if (group.length < 2) continue;
      const kept: DicomHeader[] = [group[0]];
      for (const h of group.slice(1)) {
        const twin = kept.find((k) => h.sopInstanceUid && k.sopInstanceUid === h.sopInstanceUid && k.frame === h.frame);
        if (twin) {
          sameUid.push([h, twin]);
          drop.add(h);
          continue;
        }
        let copyOf: DicomHeader | undefined;
        for (const k of kept)
          if (await samePixels(k, fileOf.get(k)!, h, fileOf.get(h)!)) {
            copyOf = k;
            break;
          }
        if (copyOf) {
          sameImage.push([h, copyOf]);
          drop.add(h);
        } else kept.push(h);
      }
    }
    if (!drop.size) continue;
    s.headers = s.headers.filter((h) => !drop.has(h));
    s.notVolume = whyNotVolume(s);
  }
  return [
    ...(sameUid.length ? [note(sameUid, 'the same image twice: the same SOP Instance UID at the same position, e.g. a folder copied twice')] : []),
    ...(sameImage.length ? [note(sameImage, 'identical pixels at the same position as another file')] : []),
  ];
}

const label = (h: DicomHeader) => `${h.fileName}${h.frame === undefined ? '' : ` (frame ${h.frame + 1})`}`;

function note(pairs: [DicomHeader, DicomHeader][], why: string): string {
  const named = pairs.slice(0, NAMED).map(([h, twin]) => `${label(h)}, a copy of ${label(twin)}`);
  const more = pairs.length > NAMED ? `; and ${pairs.length - NAMED} more` : '';
  return `Dropped ${pairs.length} duplicate image${pairs.length === 1 ? '' : 's'} (${why}): ${named.join('; ')}${more}`;
}
