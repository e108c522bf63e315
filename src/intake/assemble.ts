// Files → headers → chosen stack → one shared Int16Array of HU. Shared by the browser and Node loaders;
// only the decoder of compressed frames differs.
import { sharedBytes } from '../../workers/core/pipeline';
import type { Volume } from '../../workers/core/types';
import { readHeader, type ImageHeader } from './dicomHeader';
import { isNative, nativeStoredValues, storeHU } from './pixels';
import { chooseStack, groupStacks, stackGeometry } from './series';

export interface SourceFile {
  name: string;
  read(): Promise<ArrayBuffer>;
}

export type DecodeCompressed = (h: ImageHeader) => Promise<ArrayLike<number>>;

export interface LoadProgress {
  phase: string;
  done: number;
  total: number;
}

export interface LoadResult {
  volume: Volume;
  seriesDescription: string;
  modality: string;
  fileCount: number;
  skipped: { count: number; reasons: Record<string, number> };
  warnings: string[];
  otherSeries: { description: string; slices: number; why: string }[];
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export async function assembleVolume(
  files: SourceFile[],
  decodeCompressed: DecodeCompressed,
  onProgress: (p: LoadProgress) => void = () => {},
): Promise<LoadResult> {
  const headers: ImageHeader[] = [];
  const reasons: Record<string, number> = {};
  let skipped = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let h: ReturnType<typeof readHeader>;
    try {
      h = readHeader(f.name, await f.read());
    } catch (e) {
      h = { kind: 'skip', fileName: f.name, reason: `unreadable (${(e as Error).message})` };
    }
    if (h.kind === 'image') headers.push(h);
    else {
      skipped++;
      reasons[h.reason] = (reasons[h.reason] ?? 0) + 1;
    }
    if (i % 8 === 7 || i === files.length - 1) onProgress({ phase: 'reading files', done: i + 1, total: files.length });
  }
  const stacks = groupStacks(headers);
  const stack = chooseStack(stacks);
  if (!stack) {
    const found = [
      ...stacks.map((s) => `${s.description || 'unnamed series'}: ${s.notVolume}`),
      ...Object.entries(reasons).map(([r, n]) => `${n} × ${r}`),
    ];
    throw new Error(
      `No image volume found in ${plural(files.length, 'file')}${found.length ? ` (${found.join('; ')})` : ''}. ` +
        'Open the folder that holds the CT or MR series (a stack of slices).',
    );
  }
  const g = stackGeometry(stack);
  const [nx, ny, nz] = g.dims;
  const data = new Int16Array(sharedBytes(nx * ny * nz * 2));
  for (let k = 0; k < nz; k++) {
    const h = g.slices[k];
    const dst = data.subarray(k * nx * ny, (k + 1) * nx * ny);
    try {
      storeHU(h, isNative(h) ? nativeStoredValues(h) : await decodeCompressed(h), dst);
    } catch (e) {
      throw new Error(`Could not decode ${h.fileName} (transfer syntax ${h.transferSyntax}): ${(e as Error).message}. The file may be damaged; try exporting the series again.`);
    }
    if (k % 4 === 3 || k === nz - 1) onProgress({ phase: 'decoding slices', done: k + 1, total: nz });
  }
  const { slices: _slices, warnings, ...geometry } = g;
  return {
    volume: { ...geometry, data },
    seriesDescription: stack.description,
    modality: stack.modality,
    fileCount: files.length,
    skipped: { count: skipped, reasons },
    warnings,
    otherSeries: stacks.filter((s) => s !== stack).map((s) => ({ description: s.description, slices: s.headers.length, why: s.notVolume ?? 'smaller' })),
  };
}
