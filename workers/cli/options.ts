// The command line: every option of dicom2stl (dicom2stl/utils/parseargs.py) with its meaning and
// default, and scan2print's own, in one table that both the parser and --help read. Parsing follows
// argparse's rules, which dicom2stl's users script against: `--opt value` or `--opt=value`, `-o value`
// or `-ovalue`, flags combined (`-lv`), repeated --enable/--disable, a value may start with "-" (`-i -100`),
// and `--` ends the options.
import type { MeshFormat } from '../core/writers';
import { CliError, EXIT } from './exitCodes';
import { tissueOf, type Tissue } from './tissues';

/** What --enable / --disable switch (dicom2stl's choices). */
export const FILTERS = ['anisotropic', 'shrink', 'median', 'largest', 'rotation'] as const;
export type Filter = (typeof FILTERS)[number];

export type Group = 'io' | 'volume' | 'mesh' | 'filters' | 'ours' | 'batch';

export interface Options {
  inputs: string[];
  /** -o: a file (its extension picks the format) or a folder ending in "/" */
  output: string;
  /** --format, for a folder output (a file output takes its extension) */
  format: MeshFormat | null;
  meta: string | null;
  ctOnly: boolean;
  clean: boolean;
  temp: string | null;
  search: string | null;
  tissue: Tissue | null;
  /** -i as given (null: not given; dicom2stl's default is 0) */
  isovalue: number | null;
  double: [number, number, number, number] | null;
  largest: boolean;
  anisotropic: boolean;
  rotAxis: 'X' | 'Y' | 'Z';
  /** --rotangle as given (null: not given) */
  rotAngle: number | null;
  smooth: number;
  /** --reduce as given (null: dicom2stl's default 0.9) */
  reduce: number | null;
  tolerance: number | null;
  cleanSmall: number;
  /** --enable / --disable, the last one given for each filter */
  filters: Partial<Record<Filter, boolean>>;
  fill: boolean;
  allPieces: boolean;
  labels: string | null;
  json: string | null;
  placement: 'scanner' | 'bed';
  jobs: number;
  threads: number | null;
  verbose: number;
  debug: boolean;
  help: boolean;
  version: boolean;
}

export const defaultOptions = (): Options => ({
  inputs: [],
  output: 'result.stl',
  format: null,
  meta: null,
  ctOnly: false,
  clean: false,
  temp: null,
  search: null,
  tissue: null,
  isovalue: null,
  double: null,
  largest: false,
  anisotropic: false,
  rotAxis: 'Y',
  rotAngle: null,
  smooth: 25,
  reduce: null,
  tolerance: null,
  cleanSmall: 0.05,
  filters: {},
  fill: false,
  allPieces: false,
  labels: null,
  json: null,
  placement: 'scanner',
  jobs: 1,
  threads: null,
  verbose: 0,
  debug: false,
  help: false,
  version: false,
});

export interface OptionSpec {
  long: string;
  short?: string;
  /** the value's name in --help; absent for a flag */
  value?: string;
  group: Group;
  help: string;
  set(o: Options, value: string): void;
}

const usage = (message: string) => new CliError(EXIT.usage, message);

function number(name: string, v: string, check?: (x: number) => string | null): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw usage(`${name}: "${v}" is not a number`);
  const why = check?.(x);
  if (why) throw usage(`${name}: ${v} ${why}`);
  return x;
}
const integer = (min: number) => (x: number) => (!Number.isInteger(x) || x < min ? `must be a whole number of at least ${min}` : null);
const between = (lo: number, hi: number, hiOpen = false) => (x: number) =>
  x < lo || x > hi || (hiOpen && x === hi) ? `must be from ${lo} to ${hi}${hiOpen ? ' (excluded)' : ''}` : null;

function choice<T extends string>(name: string, v: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(v)) throw usage(`${name}: "${v}" is not one of ${choices.join(', ')}`);
  return v as T;
}

/** dicom2stl's -d value: four numbers separated by semicolons, t1 ≤ t2 ≤ t3 ≤ t4. */
export function parseDouble(v: string): [number, number, number, number] {
  const words = v.split(';').map((w) => w.trim());
  const t = words.map(Number);
  if (words.length !== 4 || words.some((w) => w === '') || t.some((x) => !Number.isFinite(x)))
    throw new CliError(EXIT.thresholds, `-d/--double: "${v}" is not 4 numbers separated by semicolons, like "200;800;1300;1500"`);
  if (!(t[0] <= t[1] && t[1] <= t[2] && t[2] <= t[3]))
    throw new CliError(EXIT.thresholds, `-d/--double: "${v}": the thresholds must ascend, t1 ≤ t2 ≤ t3 ≤ t4 (the narrow band [t2, t3] lies inside the wide band [t1, t4])`);
  return t as [number, number, number, number];
}

export const OPTIONS: OptionSpec[] = [
  // input and output
  { long: 'output', short: 'o', value: 'FILE|DIR/', group: 'io', help: 'output file: its extension picks the format (.stl binary STL, .obj, .ply, .3mf). A folder (ending in "/", or one that exists) takes one model per input, named after the series description and preset. Default: result.stl', set: (o, v) => (o.output = v) },
  { long: 'format', value: 'stl|obj|ply|3mf', group: 'io', help: 'format of the files written into a folder output (default stl)', set: (o, v) => (o.format = choice('--format', v, ['stl', 'obj', 'ply', '3mf'] as const)) },
  { long: 'meta', short: 'm', value: 'FILE', group: 'io', help: "write dicom2stl's metadata file: one \"key value\" line each for xdimension, ydimension, zdimension (voxels), xspacing, yspacing, zspacing (mm, to 3 decimals), of the volume as loaded", set: (o, v) => (o.meta = v) },
  { long: 'search', short: 's', value: 'STRING', group: 'io', help: 'use the series whose description contains STRING (any case) when an input holds several; without it, the largest volume', set: (o, v) => (o.search = v) },
  { long: 'ct', group: 'io', help: 'only accept CT: another modality (MR, …) exits with code 1. A NIfTI file stores no modality: its values decide (CT when they span air to bone in HU)', set: (o) => (o.ctOnly = true) },
  { long: 'temp', short: 'T', value: 'DIR', group: 'io', help: 'temporary folder: each output is written there first and moved into place when complete (default: the output\'s folder)', set: (o, v) => (o.temp = v) },
  { long: 'clean', short: 'c', group: 'io', help: 'remove temporary files (always done; accepted for dicom2stl scripts)', set: (o) => (o.clean = true) },
  // volume options
  { long: 'type', short: 't', value: 'bone|skin|soft|fat', group: 'volume', help: "dicom2stl's CT tissue: a double threshold t1;t2;t3;t4 (bone 200;800;1300;1500, skin -200;0;500;1500, soft -15;30;58;100, fat -122;-112;-96;-70 HU); soft and fat also apply the median filter. soft_tissue is accepted for soft", set: (o, v) => {
    const t = tissueOf(v);
    if (!t) throw usage(`-t/--type: "${v}" is not one of bone, skin, soft, fat`);
    o.tissue = t;
  } },
  { long: 'isovalue', short: 'i', value: 'VALUE', group: 'volume', help: 'surface at this value: voxels ≥ VALUE print (HU for CT). Used without -t and -d. Default 0', set: (o, v) => (o.isovalue = number('-i/--isovalue', v)) },
  { long: 'double', short: 'd', value: '"t1;t2;t3;t4"', group: 'volume', help: 'double threshold: voxels in [t1, t4] connected to a voxel in [t2, t3]. Overrides -t', set: (o, v) => (o.double = parseDouble(v)) },
  { long: 'anisotropic', short: 'a', group: 'volume', help: "curvature anisotropic diffusion of the volume first (ITK's, as dicom2stl calls it: time step 0.03, conductance 3, 5 iterations): smooths noise, keeps edges", set: (o) => (o.anisotropic = true) },
  // mesh options
  { long: 'largest', short: 'l', group: 'mesh', help: 'keep only the largest piece (face-connected voxels)', set: (o) => (o.largest = true) },
  { long: 'clean-small', short: 'x', value: 'R', group: 'mesh', help: 'drop pieces smaller than R × the largest piece (by volume); 0 keeps all. Default 0.05', set: (o, v) => (o.cleanSmall = number('-x/--clean-small', v, between(0, 1))) },
  { long: 'smooth', value: 'N', group: 'mesh', help: 'smoothing iterations (Taubin: the volume stays); 0 for none. Default 25', set: (o, v) => (o.smooth = number('--smooth', v, integer(0))) },
  { long: 'reduce', value: 'R', group: 'mesh', help: 'remove this fraction of the triangles (0 keeps all; 0.9 keeps 10 %). Default 0.9', set: (o, v) => (o.reduce = number('--reduce', v, between(0, 1, true))) },
  { long: 'rotaxis', value: 'X|Y|Z', group: 'mesh', help: 'rotation axis (patient LPS axes), through the centre of the model. Default Y', set: (o, v) => (o.rotAxis = choice('--rotaxis', v.toUpperCase(), ['X', 'Y', 'Z'] as const)) },
  { long: 'rotangle', value: 'DEG', group: 'mesh', help: 'rotate the model by DEG degrees (right-handed) about --rotaxis; --enable rotation alone turns it 180°', set: (o, v) => (o.rotAngle = number('--rotangle', v)) },
  // filters
  { long: 'enable', value: 'FILTER', group: 'filters', help: `turn on: ${FILTERS.join(', ')} (repeatable). shrink: reduce the volume to at most 256 voxels per axis first, by block averages (off unless enabled); median: the 3 × 3 × 1 median of each slice; largest: as -l; anisotropic: as -a; rotation: turn the model (180° unless --rotangle)`, set: (o, v) => (o.filters[choice('--enable', v, FILTERS)] = true) },
  { long: 'disable', value: 'FILTER', group: 'filters', help: 'turn off one of the same (repeatable), e.g. the median of -t soft', set: (o, v) => (o.filters[choice('--disable', v, FILTERS)] = false) },
  // ours
  { long: 'tolerance', value: 'MM', group: 'ours', help: 'instead of --reduce: remove triangles while the surface stays within MM of the full-detail one', set: (o, v) => (o.tolerance = number('--tolerance', v, (x) => (x > 0 ? null : 'must be above 0'))) },
  { long: 'fill', group: 'ours', help: 'fill enclosed cavities (marrow, sinuses) to print solid', set: (o) => (o.fill = true) },
  { long: 'all-pieces', group: 'ours', help: 'keep every piece: neither -l nor -x', set: (o) => (o.allPieces = true) },
  { long: 'labels', value: 'FILE', group: 'ours', help: 'a segmentation of the scan (NIfTI label map, DICOM SEG or NRRD): one model object per label instead of a threshold. .3mf holds them as named, coloured objects; .stl/.obj/.ply write one file per label beside the output (NAME_01_liver.stl, …)', set: (o, v) => (o.labels = v) },
  { long: 'placement', value: 'scanner|bed', group: 'ours', help: 'scanner: patient coordinates in mm as scanned (default); bed: flattest side down, centred, lowest point at z = 0', set: (o, v) => (o.placement = choice('--placement', v, ['scanner', 'bed'] as const)) },
  { long: 'json', value: 'FILE|-', group: 'ours', help: 'write one JSON line per scan (input, output, series, settings, printability report, stage timings, or the error) to FILE, or to standard output with -', set: (o, v) => (o.json = v) },
  // batches
  { long: 'jobs', value: 'N', group: 'batch', help: 'with several scans: convert N at a time, each in its own process. Default 1', set: (o, v) => (o.jobs = number('--jobs', v, integer(1))) },
  { long: 'threads', value: 'N', group: 'batch', help: 'worker threads per scan. Default: the CPU cores divided among the --jobs', set: (o, v) => (o.threads = number('--threads', v, integer(1))) },
  { long: 'verbose', short: 'v', group: 'batch', help: 'say more: the series, the settings, the pieces, the time of every stage', set: (o) => o.verbose++ },
  { long: 'debug', short: 'D', group: 'batch', help: 'like -v, and print the stack of an unexpected error', set: (o) => ((o.debug = true), (o.verbose = Math.max(o.verbose, 1))) },
  { long: 'version', group: 'batch', help: 'print the version and exit', set: (o) => (o.version = true) },
  { long: 'help', short: 'h', group: 'batch', help: 'show this help and exit', set: (o) => (o.help = true) },
];

const byLong = new Map(OPTIONS.map((s) => [s.long, s]));
const byShort = new Map(OPTIONS.filter((s) => s.short).map((s) => [s.short!, s]));

/** Parses the arguments after the command name. Throws CliError (usage: 2, -d: 3) on a bad command line. */
export function parseOptions(argv: string[]): Options {
  const o = defaultOptions();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (name: string) => {
      if (i + 1 >= argv.length) throw usage(`${name} needs a value`);
      return argv[++i];
    };
    if (a === '--') {
      o.inputs.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byLong.get(name) ?? uniquePrefix(name);
      if (spec.value) spec.set(o, eq < 0 ? next(`--${spec.long}`) : a.slice(eq + 1));
      else if (eq >= 0) throw usage(`--${spec.long} takes no value`);
      else spec.set(o, '');
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d|^-\.\d/.test(a)) {
      // short options, combined: -lv, -tbone, -t bone
      for (let c = 1; c < a.length; c++) {
        const spec = byShort.get(a[c]);
        if (!spec) throw usage(`unknown option -${a[c]}${a.length > 2 ? ` (in ${a})` : ''}`);
        if (!spec.value) {
          spec.set(o, '');
          continue;
        }
        const rest = a.slice(c + 1).replace(/^=/, '');
        spec.set(o, rest !== '' ? rest : next(`-${spec.short}`));
        break;
      }
    } else o.inputs.push(a);
  }
  return o;
}

/** argparse accepts any unambiguous prefix of a long option (--iso for --isovalue). */
function uniquePrefix(name: string): OptionSpec {
  const hits = OPTIONS.filter((s) => s.long.startsWith(name));
  if (hits.length === 1 && name.length > 0) return hits[0];
  if (hits.length > 1) throw usage(`--${name} is ambiguous: ${hits.map((s) => `--${s.long}`).join(', ')}`);
  throw usage(`unknown option --${name} (see --help)`);
}
