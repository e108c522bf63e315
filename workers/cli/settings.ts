// What the options mean for one scan, decided once before anything is read: the threshold (dicom2stl's
// precedence: -d over -t over -i), which filters run, the mesh options in the app's terms, the
// rotation, placement and format. Where dicom2stl's own code drops an option (--enable rotation,
// --disable median after -t, -a after another --enable, shrink since 2024, --search) it works here.
import { extname } from 'node:path';
import type { Detail, RefineOptions } from '../core/refine';
import type { Placement } from '../core/placement';
import type { MeshFormat } from '../core/writers';
import { CliError, EXIT } from './exitCodes';
import type { Filter, Options } from './options';
import { TISSUES, type Tissue } from './tissues';

export type Threshold =
  /** voxels ≥ isovalue (up to the volume's maximum) */
  | { kind: 'iso'; isovalue: number }
  /** dicom2stl's double threshold, from -t or -d */
  | { kind: 'double'; t: [number, number, number, number]; tissue: Tissue | null }
  /** --labels: the label map decides */
  | { kind: 'labels'; file: string };

export interface ScanSettings {
  threshold: Threshold;
  /** the preset part of output names: "bone", "iso400", "double-15_30_58_100", "labels" */
  presetName: string;
  shrink: boolean;
  anisotropic: boolean;
  median: boolean;
  keepLargest: boolean;
  /** drop pieces smaller than this fraction of the largest (0: none) */
  minPieceRatio: number;
  fillCavities: boolean;
  refine: RefineOptions;
  /** degrees about a patient axis through the model's centre, or none */
  rotation: { axis: 'X' | 'Y' | 'Z'; degrees: number } | null;
  placement: Placement;
  format: MeshFormat;
}

const FORMATS: Record<string, MeshFormat> = { '.stl': 'stl', '.obj': 'obj', '.ply': 'ply', '.3mf': '3mf' };

/** The format an output file name asks for by its extension. */
export function formatOf(file: string): MeshFormat {
  const ext = extname(file).toLowerCase();
  const f = FORMATS[ext];
  if (!f) throw new CliError(EXIT.usage, `-o ${file}: ${ext ? `unknown extension ${ext}` : 'no extension'}: use .stl, .obj, .ply or .3mf (or a folder ending in "/")`);
  return f;
}

/** Enabled by --enable, disabled by --disable (the last given wins), else `otherwise`. */
const filter = (o: Options, f: Filter, otherwise: boolean) => o.filters[f] ?? otherwise;

/** A short name for a number in a file name: 400, -15, 0.5 → "0_5". */
const numName = (x: number) => String(x).replace('.', '_');

export function scanSettings(o: Options, outputIsFolder: boolean): ScanSettings {
  if (o.largest && o.allPieces) throw new CliError(EXIT.usage, '-l/--largest and --all-pieces contradict each other: choose one');
  if (o.filters.largest === true && o.allPieces) throw new CliError(EXIT.usage, '--enable largest and --all-pieces contradict each other: choose one');
  if (o.reduce !== null && o.tolerance !== null) throw new CliError(EXIT.usage, '--reduce and --tolerance both set how much detail stays: choose one');
  if (o.format && !outputIsFolder) throw new CliError(EXIT.usage, `--format is for a folder output; -o ${o.output} takes its format from its extension`);
  if (o.labels && (o.tissue || o.double || o.isovalue !== null))
    throw new CliError(EXIT.usage, '--labels meshes the labels themselves: -t, -d and -i do not apply to it');

  let threshold: Threshold;
  let presetName: string;
  if (o.labels) {
    threshold = { kind: 'labels', file: o.labels };
    presetName = 'labels';
  } else if (o.double) {
    threshold = { kind: 'double', t: o.double, tissue: null };
    presetName = `double${o.double.map(numName).join('_')}`;
  } else if (o.tissue) {
    threshold = { kind: 'double', t: TISSUES[o.tissue].thresholds, tissue: o.tissue };
    presetName = o.tissue;
  } else {
    const isovalue = o.isovalue ?? 0;
    threshold = { kind: 'iso', isovalue };
    presetName = `iso${numName(isovalue)}`;
  }

  // keep 1 − R, rounded so the default is the app's 0.1 exactly (1 − 0.9 is 0.09999999999999998)
  const reduce = o.reduce ?? 0.9;
  const detail: Detail = o.tolerance !== null ? { kind: 'tolerance', mm: o.tolerance } : reduce > 0 ? { kind: 'fraction', keep: Math.round((1 - reduce) * 1e9) / 1e9 } : { kind: 'full' };
  const keepLargest = !o.allPieces && filter(o, 'largest', o.largest);
  const rotate = filter(o, 'rotation', o.rotAngle !== null && o.rotAngle !== 0);
  const degrees = o.rotAngle ?? 180;
  return {
    threshold,
    presetName,
    shrink: filter(o, 'shrink', false),
    anisotropic: filter(o, 'anisotropic', o.anisotropic),
    median: filter(o, 'median', !!o.tissue && TISSUES[o.tissue].median),
    keepLargest,
    minPieceRatio: keepLargest || o.allPieces ? 0 : o.cleanSmall,
    fillCavities: o.fill,
    refine: { smoothing: o.smooth, detail },
    rotation: rotate && degrees % 360 !== 0 ? { axis: o.rotAxis, degrees } : null,
    placement: { where: o.placement, scalePercent: 100 },
    format: outputIsFolder ? (o.format ?? 'stl') : formatOf(o.output),
  };
}
