// Text from files, made safe to show and to use in names: DICOM strings decoded by their
// SpecificCharacterSet (0008,0005), and every string from a file or a file name stripped of control
// and bidirectional-override characters (a U+202E in a name would reverse the rest of its line).

/**
 * C0 and C1 controls, and the bidirectional controls: LRM/RLM (U+200E/F), ALM (U+061C), the
 * embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` without control or bidirectional-control characters. */
export const cleanText = (s: string) => s.replace(UNSAFE, '');

/** DICOM defined terms of SpecificCharacterSet → the WHATWG encoding that decodes them. */
const ENCODINGS: Record<string, string> = {
  'ISO_IR 6': 'windows-1252',
  'ISO_IR 100': 'windows-1252',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
  // with code extensions (ISO 2022): the escape sequences are removed first, except for Japanese,
  // whose decoder reads them
  'ISO 2022 IR 6': 'windows-1252',
  'ISO 2022 IR 100': 'windows-1252',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'windows-1254',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO 2022 IR 166': 'windows-874',
  'ISO 2022 IR 13': 'iso-2022-jp',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO 2022 IR 159': 'iso-2022-jp',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gbk',
};

const decoders = new Map<string, TextDecoder>();
function decoderFor(encoding: string): TextDecoder {
  let d = decoders.get(encoding);
  if (!d) {
    try {
      d = new TextDecoder(encoding);
    } catch {
      d = new TextDecoder('windows-1252'); // a platform without this encoding: bytes as Latin-1
    }
    decoders.set(encoding, d);
  }
  return d;
}

/**
 * The encoding of a dataset's text from its SpecificCharacterSet value (backslash-separated; with
 * code extensions the last one named decides, the first being the default repertoire).
 */
export function textEncoding(specificCharacterSet: string | undefined): string {
  const terms = (specificCharacterSet ?? '').split('\\').map((t) => t.trim().toUpperCase()).filter(Boolean);
  for (let i = terms.length - 1; i >= 0; i--) if (ENCODINGS[terms[i]]) return ENCODINGS[terms[i]];
  return 'windows-1252';
}

/** ISO 2022 escape sequences (ESC, intermediates 0x20–0x2F, a final byte). */
function withoutEscapes(b: Uint8Array): Uint8Array {
  if (!b.includes(0x1b)) return b;
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0x1b) {
      out.push(b[i]);
      continue;
    }
    i++;
    while (i < b.length && b[i] >= 0x20 && b[i] <= 0x2f) i++;
  }
  return Uint8Array.from(out);
}

/**
 * A DICOM text value (SH, LO, ST, LT, PN, UC, UT) decoded in `encoding` (see textEncoding), with
 * padding (trailing spaces and NULs) and leading spaces trimmed and unsafe characters removed.
 */
export function decodeText(bytes: Uint8Array, encoding: string): string {
  const raw = encoding === 'iso-2022-jp' ? bytes : withoutEscapes(bytes);
  return cleanText(decoderFor(encoding).decode(raw)).trim();
}

/** Free text of unknown encoding (a NIfTI descrip): UTF-8 when it is valid UTF-8, else Latin-1. */
export function decodeUnknownText(bytes: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    s = decoderFor('windows-1252').decode(bytes);
  }
  return cleanText(s).trim();
}
