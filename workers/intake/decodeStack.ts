// Files → headers → chosen stack → one shared Int16Array of HU. Shared by the browser and Node loaders;
// only the way a slice is decoded (main thread, worker pool, in-process codecs) differs.
import { sharedBytes } from '../core/sharedMemory';
import type { Vec3 } from '../core/types';
import { sliceHeader } from './pixels';
import { assertLoadable, downsampleGeometry, downsampleNote, FULL_SIZE, sizeOffer, type Downsample } from './downsample';
import type { HeaderScan } from './headerScan';
import { throwIfCancelled, type LoadControl, type LoadProgress, type LoadResult, type SliceDecoder, type SourceFile } from './loadTypes';
import { runQueue } from './queue';
import { stackGeometry, stackVoxels, type Stack } from './series';
import { resampleSlices } from './resample';
import { problemNotes } from './skipped';
import { transferSyntaxName } from './transferSyntax';

/**
 * How to load a volume of `dims`: full size when it fits `control.budget` (or there is no budget or
 * no `offer`), else what `control.offer` answers. `canDownsample` is false where the loader cannot
 * reduce while reading (NIfTI).
 */
export async function fitToBudget(description: string, dims: Vec3, control: LoadControl, canDownsample: boolean): Promise<Downsample> {
  const offer = control.budget && control.offer && sizeOffer(description, dims, control.budget, canDownsample);
  const answer = offer ? await control.offer!(offer) : FULL_SIZE;
  throwIfCancelled(control.signal);
  return answer;
}

/** The note for voxels whose rescaled value left the int16 range (−32768…32767) and was clamped. */
function clampNote(clamped: number, stack: Stack): string {
  const h = stack.headers[0];
  return (
    `${clamped} voxel${clamped === 1 ? '' : 's'} lay outside −32768…32767 after the rescale ` +
    `(RescaleSlope ${h.rescaleSlope}, RescaleIntercept ${h.rescaleIntercept}) and ${clamped === 1 ? 'was' : 'were'} clamped: those values are not what the scanner measured`
  );
}

/**
 * Decodes the scan's chosen stack into one shared Int16Array, reduced as fitToBudget decides.
 * Rejects with LoadCancelled when `control.signal` fires; the half-filled buffer is then dropped.
 */
export async function decodeStack<F extends SourceFile>(
  scan: HeaderScan<F>,
  decoder: SliceDecoder<F>,
  onProgress: (p: LoadProgress) => void = () => {},
  control: LoadControl = {},
): Promise<LoadResult> {
  const { stack, stacks, fileOf, skipped } = scan;
  if (!stack) throw new Error('decodeStack: the scan found no volume');
  const full = stackGeometry(stack);
  const reduce = await fitToBudget(stack.description || 'This series', full.dims, control, true);
  const { signal } = control;
  const g = downsampleGeometry(full, reduce);
  assertLoadable(stack.description || 'This series', g.dims);
  const bin = reduce.inPlane ? 2 : 1;
  const [nx, ny, nz] = g.dims;
  const data = new Int16Array(sharedBytes(nx * ny * nz * 2));
  // uneven spacing: decode the files' slices apart, then interpolate the regular grid from them
  const n = g.slices.length;
  const decoded = g.resample ? new Int16Array(sharedBytes(nx * ny * n * 2)) : data;
  const { slices: _slices, resample: _resample, warnings, ...geometry } = g;
  const volume = { ...geometry, data };
  decoder.prepare?.(decoded);
  // straight into the volume: it can be shown while its slices arrive, the middle one first
  const direct = decoded === data;
  if (direct) control.onVolume?.(volume);
  const middle = direct ? n >> 1 : 0;
  const order = (i: number) => (i === 0 ? middle : i <= middle ? i - 1 : i);
  let done = 0;
  let clamped = 0;
  onProgress({ phase: 'decoding slices', done: 0, total: n });
  await runQueue(n, decoder.concurrency, async (i) => {
    const k = order(i);
    const h = g.slices[k];
    try {
      clamped += await decoder.decode(fileOf.get(h)!, sliceHeader(h, bin), k, decoded);
    } catch (e) {
      throw new Error(
        `Could not decode ${h.fileName}${h.frame === undefined ? '' : ` (frame ${h.frame + 1})`} (${transferSyntaxName(h.transferSyntax)}): ${(e as Error).message ?? e}. ` +
          'The file may be damaged or use an unsupported compression: export the series again (uncompressed if possible) and load it again.',
      );
    }
    done++;
    if (!signal?.aborted) onProgress({ phase: 'decoding slices', done, total: n, file: h.fileName, ...(direct ? { slice: k } : {}) });
  }, signal);
  throwIfCancelled(signal);
  if (g.resample) resampleSlices(decoded, nx * ny, g.resample.positions, nz, g.spacing[2], data);
  return {
    volume,
    seriesDescription: stack.description,
    modality: stack.modality,
    fileCount: scan.fileCount,
    skipped: { count: skipped.count, reasons: skipped.reasons },
    warnings: [
      ...problemNotes(skipped.problems),
      ...scan.notes,
      ...warnings,
      ...(clamped ? [clampNote(clamped, stack)] : []),
      ...(reduce.inPlane || reduce.slices ? [downsampleNote(full, g, reduce)] : []),
    ],
    otherSeries: stacks
      .filter((s) => s !== stack)
      .map((s) => ({ description: s.description, slices: s.headers.length, why: s.notVolume ?? (stackVoxels(s) <= stackVoxels(stack) ? 'smaller' : 'not picked') })),
  };
}
