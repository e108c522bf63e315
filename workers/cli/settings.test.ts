import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliError, EXIT } from './exitCodes';
import { parseOptions } from './options';
import { scanSettings } from './settings';

const settings = (...argv: string[]) => scanSettings(parseOptions([...argv, 'in']), false);
const folder = (...argv: string[]) => scanSettings(parseOptions([...argv, 'in']), true);

test("thresholds by dicom2stl's precedence: -d over -t over -i (default isovalue 0)", () => {
  assert.deepEqual(settings().threshold, { kind: 'iso', isovalue: 0 });
  assert.deepEqual(settings('-i', '400').threshold, { kind: 'iso', isovalue: 400 });
  assert.deepEqual(settings('-i', '400', '-t', 'bone').threshold, { kind: 'double', t: [200, 800, 1300, 1500], tissue: 'bone' });
  assert.deepEqual(settings('-t', 'bone', '-d', '1;2;3;4').threshold, { kind: 'double', t: [1, 2, 3, 4], tissue: null });
  for (const [t, v] of [['skin', [-200, 0, 500, 1500]], ['soft', [-15, 30, 58, 100]], ['fat', [-122, -112, -96, -70]]] as const)
    assert.deepEqual(settings('-t', t).threshold, { kind: 'double', t: [...v], tissue: t });
  assert.deepEqual(settings('--labels', 'seg.nii.gz').threshold, { kind: 'labels', file: 'seg.nii.gz' });
  assert.equal(settings('-t', 'bone').presetName, 'bone');
  assert.equal(settings('-i', '-0.5').presetName, 'iso-0_5');
});

test('the median: on for soft and fat (also under -d, as dicom2stl keeps it), off by --disable median, on by --enable median', () => {
  assert.equal(settings('-t', 'soft').median, true);
  assert.equal(settings('-t', 'fat').median, true);
  assert.equal(settings('-t', 'bone').median, false);
  assert.equal(settings('-t', 'soft', '-d', '1;2;3;4').median, true);
  assert.equal(settings('-t', 'soft', '--disable', 'median').median, false);
  assert.equal(settings('--disable', 'median', '-t', 'fat').median, false);
  assert.equal(settings('-i', '100', '--enable', 'median').median, true);
});

test('-a and --enable anisotropic both work (dicom2stl drops -a after another --enable); shrink only when enabled', () => {
  assert.equal(settings('-a').anisotropic, true);
  assert.equal(settings('--enable', 'largest', '-a').anisotropic, true);
  assert.equal(settings('--enable', 'anisotropic').anisotropic, true);
  assert.equal(settings('-a', '--disable', 'anisotropic').anisotropic, false);
  assert.equal(settings().shrink, false);
  assert.equal(settings('--enable', 'shrink').shrink, true);
});

test('rotation: --enable rotation turns 180° about Y; --rotangle alone rotates; --disable rotation and 0° do not', () => {
  assert.equal(settings().rotation, null);
  assert.deepEqual(settings('--enable', 'rotation').rotation, { axis: 'Y', degrees: 180 });
  assert.deepEqual(settings('--rotaxis', 'Z', '--rotangle', '90').rotation, { axis: 'Z', degrees: 90 });
  assert.deepEqual(settings('--enable', 'rotation', '--rotaxis', 'X', '--rotangle', '-45').rotation, { axis: 'X', degrees: -45 });
  assert.equal(settings('--rotangle', '90', '--disable', 'rotation').rotation, null);
  assert.equal(settings('--rotangle', '0').rotation, null);
  assert.equal(settings('--enable', 'rotation', '--rotangle', '360').rotation, null);
});

test('pieces: dicom2stl drops pieces under 5 % of the largest; -l keeps the largest only; --all-pieces keeps everything', () => {
  assert.deepEqual([settings().keepLargest, settings().minPieceRatio], [false, 0.05]);
  assert.deepEqual([settings('-x', '0.2').keepLargest, settings('-x', '0.2').minPieceRatio], [false, 0.2]);
  assert.deepEqual([settings('-l').keepLargest, settings('-l').minPieceRatio], [true, 0]);
  assert.deepEqual([settings('--enable', 'largest').keepLargest, settings('-l', '--disable', 'largest').keepLargest], [true, false]);
  assert.deepEqual([settings('--all-pieces').keepLargest, settings('--all-pieces').minPieceRatio], [false, 0]);
});

test('detail: keep 10 % by default, --reduce R keeps 1 − R, --reduce 0 keeps all, --tolerance in mm', () => {
  assert.deepEqual(settings().refine, { smoothing: 25, detail: { kind: 'fraction', keep: 0.1 } });
  assert.deepEqual(settings('--reduce', '0.5', '--smooth', '0').refine, { smoothing: 0, detail: { kind: 'fraction', keep: 0.5 } });
  assert.deepEqual(settings('--reduce', '0').refine.detail, { kind: 'full' });
  assert.deepEqual(settings('--tolerance', '0.1').refine.detail, { kind: 'tolerance', mm: 0.1 });
});

test('the format comes from the extension (a folder: --format, default STL); contradictions are usage errors', () => {
  assert.equal(settings().format, 'stl');
  assert.equal(settings('-o', 'x.OBJ').format, 'obj');
  assert.equal(settings('-o', 'x.ply').format, 'ply');
  assert.equal(settings('-o', 'a/b.3mf').format, '3mf');
  assert.equal(folder('-o', 'out/').format, 'stl');
  assert.equal(folder('-o', 'out/', '--format', '3mf').format, '3mf');
  assert.deepEqual(settings('--placement', 'bed').placement, { where: 'bed', scalePercent: 100 });
  const usage = (argv: string[], message: RegExp, inFolder = false) =>
    assert.throws(() => (inFolder ? folder : settings)(...argv), (e) => e instanceof CliError && e.code === EXIT.usage && message.test(e.message));
  usage(['-o', 'x.vtk'], /-o x\.vtk: unknown extension \.vtk: use \.stl, \.obj, \.ply or \.3mf/);
  usage(['-o', 'model'], /no extension/);
  usage(['--format', 'obj'], /--format is for a folder output/);
  usage(['-l', '--all-pieces'], /contradict/);
  usage(['--reduce', '0.5', '--tolerance', '0.1'], /choose one/);
  usage(['--labels', 's.nii', '-t', 'bone'], /--labels meshes the labels themselves/);
});
