// --help: usage, every option of the table in options.ts by group (so nothing goes undocumented), the
// dicom2stl tutorial's commands, the exit codes, and what differs from dicom2stl.
import { EXIT_CODE_HELP } from './exitCodes';
import { OPTIONS, type Group, type OptionSpec } from './options';

const GROUPS: [Group, string][] = [
  ['io', 'Input and output'],
  ['volume', 'Volume (dicom2stl)'],
  ['mesh', 'Mesh (dicom2stl)'],
  ['filters', 'Filters (dicom2stl)'],
  ['ours', "scan2print's own"],
  ['batch', 'Batches and messages'],
];

const WIDTH = 100;
const INDENT = 28;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function optionLines(s: OptionSpec): string[] {
  const names = `${s.short ? `-${s.short}, ` : '    '}--${s.long}${s.value ? ` ${s.value}` : ''}`;
  const body = wrap(s.help, WIDTH - INDENT);
  const head = names.length + 2 < INDENT ? [`  ${names.padEnd(INDENT - 2)}${body.shift() ?? ''}`] : [`  ${names}`];
  return [...head, ...body.map((l) => `${' '.repeat(INDENT)}${l}`)];
}

export function helpText(): string {
  const out = [
    'usage: scan2print [options] INPUT...',
    '',
    ...wrap(
      'Turns a CT or MR scan into a closed, printable surface mesh: the core of the scan2print app, with the options of dicom2stl ' +
        '(github.com/dave3d/dicom2stl). INPUT is a folder (any file names, nested; DICOMDIR and other files are skipped), DICOM ' +
        'files, a zip, or a NIfTI file (.nii, .nii.gz). With -o FILE all inputs together are one scan (as dicom2stl reads several ' +
        'slices); with -o DIR/ each input is a scan of its own and gets its own model in DIR.',
      WIDTH,
    ),
  ];
  for (const [g, title] of GROUPS) {
    out.push('', `${title}:`);
    for (const s of OPTIONS.filter((o) => o.group === g)) out.push(...optionLines(s));
  }
  out.push(
    '',
    'Examples (the dicom2stl tutorial\'s commands work as they are):',
    '  scan2print -i 400 -o bone.stl Data/ct_head.nii.gz',
    '  scan2print -t bone -o bone.stl dicom.zip',
    '  scan2print --enable rotation -t soft_tissue -o soft.stl dicom_dir',
    '  scan2print -t bone -l --placement bed -o out/ --jobs 2 --json - scans/*/',
    '',
    'Exit codes (with several scans, the highest of them):',
    ...EXIT_CODE_HELP.map(([c, what]) => `  ${String(c).padEnd(3)}${what}`),
    '',
    'Where dicom2stl differs:',
    ...[
      'The surface stays a closed, consistently oriented 2-manifold through smoothing and decimation (dicom2stl\'s decimation opens it).',
      "Options dicom2stl parses but drops work here: --search, --enable rotation, --disable median after -t, -a with other --enable, and --enable shrink (dicom2stl's default is on, but since 2024 its code discards the shrunk volume, so its models are full resolution; here shrink is off unless enabled).",
      "The median is the 3 × 3 × 1 one dicom2stl's comment describes, on the scan's values before the threshold (its code calls sitk.Median with radius 3,3,1, a 7 × 7 × 3 window, on the binary image after the threshold).",
      '-x measures pieces in voxels, not mesh vertices. Rotation turns about the model\'s centre, not the coordinate origin.',
      'Nothing from the scan is written into the model file; the file declares SPACE=LPS (as 3D Slicer does) while it is in patient coordinates.',
    ].flatMap((t) => wrap(t, WIDTH - 2).map((l, i) => `${i ? '  ' : '- '}${l}`)),
  );
  return `${out.join('\n')}\n`;
}
