import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliError, EXIT } from './exitCodes';
import { helpText } from './help';
import { OPTIONS, parseOptions } from './options';

const fails = (argv: string[], code: number, message: RegExp) =>
  assert.throws(
    () => parseOptions(argv),
    (e) => e instanceof CliError && e.code === code && message.test(e.message),
  );

test("defaults are dicom2stl's: result.stl, 25 smoothing passes, -x 0.05, rotation axis Y, no largest, no filters", () => {
  const o = parseOptions(['scan/']);
  assert.deepEqual(o.inputs, ['scan/']);
  assert.equal(o.output, 'result.stl');
  assert.equal(o.smooth, 25);
  assert.equal(o.cleanSmall, 0.05);
  assert.equal(o.rotAxis, 'Y');
  assert.equal(o.rotAngle, null);
  assert.equal(o.reduce, null);
  assert.equal(o.isovalue, null);
  assert.equal(o.largest, false);
  assert.equal(o.anisotropic, false);
  assert.deepEqual(o.filters, {});
  assert.equal(o.jobs, 1);
  assert.equal(o.placement, 'scanner');
});

test('every option, in every spelling argparse accepts', () => {
  const o = parseOptions([
    '-o', 'out.3mf', '-m', 'meta.txt', '--ct', '-c', '-T', '/tmp/t', '-s', 'BRAIN', '-t', 'soft_tissue', '-a', '-i', '-100', '-d', '-15;30;58;100',
    '-l', '--rotaxis', 'z', '--rotangle=90', '--smooth', '10', '--reduce', '0.5', '-x0.1', '--enable', 'shrink', '--disable', 'median',
    '--enable=rotation', '--fill', '--labels', 'seg.nrrd', '--json', '-', '--placement', 'bed', '--jobs', '3', '--threads', '2', '-vv', 'a', 'b',
  ]);
  assert.deepEqual(
    { ...o, filters: { ...o.filters } },
    {
      inputs: ['a', 'b'], output: 'out.3mf', format: null, meta: 'meta.txt', ctOnly: true, clean: true, temp: '/tmp/t', search: 'BRAIN', tissue: 'soft',
      isovalue: -100, double: [-15, 30, 58, 100], largest: true, anisotropic: true, rotAxis: 'Z', rotAngle: 90, smooth: 10, reduce: 0.5,
      tolerance: null, cleanSmall: 0.1, filters: { shrink: true, median: false, rotation: true }, fill: true, allPieces: false, labels: 'seg.nrrd',
      json: '-', placement: 'bed', jobs: 3, threads: 2, verbose: 2, debug: false, help: false, version: false,
    },
  );
  // combined flags, attached values, unambiguous prefixes, `--` before inputs that look like options
  const p = parseOptions(['-lvtbone', '--iso', '400', '--tol=0.2', '--all-pieces', '--format', 'ply', '--', '-weird-name']);
  assert.equal(p.largest, true);
  assert.equal(p.verbose, 1);
  assert.equal(p.tissue, 'bone');
  assert.equal(p.isovalue, 400);
  assert.equal(p.tolerance, 0.2);
  assert.equal(p.format, 'ply');
  assert.deepEqual(p.inputs, ['-weird-name']);
  assert.equal(parseOptions(['-D']).verbose, 1);
});

test('bad command lines exit 2 with what is wrong; a bad -d exits 3 as in dicom2stl', () => {
  fails(['--nope'], EXIT.usage, /unknown option --nope/);
  fails(['-q'], EXIT.usage, /unknown option -q/);
  fails(['-o'], EXIT.usage, /-o needs a value/);
  fails(['--rot', 'X'], EXIT.usage, /--rot is ambiguous: --rotaxis, --rotangle/);
  fails(['-t', 'muscle'], EXIT.usage, /-t\/--type: "muscle" is not one of bone, skin, soft, fat/);
  fails(['--smooth', '2.5'], EXIT.usage, /--smooth: 2\.5 must be a whole number/);
  fails(['--reduce', '1'], EXIT.usage, /--reduce: 1 must be from 0 to 1 \(excluded\)/);
  fails(['-x', 'lots'], EXIT.usage, /-x\/--clean-small: "lots" is not a number/);
  fails(['--enable', 'sharpen'], EXIT.usage, /--enable: "sharpen" is not one of anisotropic, shrink, median, largest, rotation/);
  fails(['--fill=yes'], EXIT.usage, /--fill takes no value/);
  fails(['-d', '1;2;3'], EXIT.thresholds, /not 4 numbers/);
  fails(['-d', '100;50;300;400'], EXIT.thresholds, /must ascend/);
});

test('--help documents every option, the exit codes and the tutorial commands', () => {
  const h = helpText();
  for (const s of OPTIONS) {
    assert.ok(h.includes(`--${s.long}`), `--${s.long} in --help`);
    if (s.short) assert.ok(h.includes(`-${s.short}, --${s.long}`), `-${s.short} in --help`);
  }
  for (const code of Object.values(EXIT)) assert.match(h, new RegExp(`\\n  ${code} `));
  assert.match(h, /scan2print -i 400 -o bone\.stl Data\/ct_head\.nii\.gz/);
  assert.ok(h.split('\n').every((l) => l.length <= 100), 'lines of at most 100 characters');
});
