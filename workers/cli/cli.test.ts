// The scan2print command end to end, run as a user runs it (node workers/cli/scan2print.mjs, the
// package's bin) on the real scans in ../shared/data: each option against its dicom2stl meaning, the
// app's path reproduced byte for byte, batches, bad inputs and the dicom2stl tutorial's own commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openAsBlob, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { curvatureDiffusion } from '../core/anisotropicDiffusion';
import { medianFilter } from '../core/median';
import { checkMesh } from '../core/meshCheck';
import { buildMesh, type MeshOptions } from '../core/pipeline';
import { parseBinaryStl } from '../core/stl';
import type { Mesh, ThresholdRange, Volume } from '../core/types';
import { weldTriangles } from '../core/weld';
import { parse3mfObjects, parseObj, parsePly } from '../core/writers';
import { fileSource, listFiles, loadDicomFolderNode, nodeDecoder } from '../intake/nodeLoad';
import { loadSources } from '../intake/sources';
import { data } from '../intake/testData';
import { meshApi } from '../meshApi';
import { createNodePool } from '../nodePool';
import { EXIT } from './exitCodes';
import { parseMetadata } from './meta';
import type { ScanRecord } from './record';

const BIN = resolve(import.meta.dirname, 'scan2print.mjs');
const skip = existsSync(data('')) ? false : 'needs the public test scans in ../shared/data (see its README)';
const ABDOMEN = data('ct_abdomen_tcia_pancreas');
const GE_HEAD = data('ct_head_ge_gantry_tilt');
const PHILIPS = data('mixed_philips_ct_cdexport');
const MR = data('mr_t1_head_sag_siemens');
const CT_NII = data('nifti/ct_abdomen_totalsegmentator_example_ct.nii.gz');
const CT_SM = data('labels/totalsegmentator_ct_sm/ct.nii.gz');
const LABELS = data('labels/totalsegmentator_ct_sm/labels.nii.gz');

const work = () => mkdtempSync(join(tmpdir(), 'scan2print-cli-'));

/** Runs the command in `cwd`; never throws. */
function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The records of --json - (one JSON line per scan). */
const records = (stdout: string): ScanRecord[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

const stlMesh = (path: string): { mesh: Mesh; header: string } => {
  const b = readFileSync(path);
  const s = parseBinaryStl(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  return { mesh: weldTriangles(s.triangles), header: s.header };
};
const closed = (m: Mesh) => {
  const r = checkMesh(m);
  return r.closed && r.manifold && r.oriented && r.triangles > 0;
};
const extents = (m: Mesh) => {
  const r = checkMesh(m);
  return r.bbox.max.map((x, a) => x - r.bbox.min[a]);
};
const concat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
/** What the app downloads for a mesh: meshApi.write as scanned, nothing typed for a name. */
const appFile = (mesh: Mesh) => concat(meshApi.write(mesh, 'stl', '', { where: 'scanner', scalePercent: 100 }));
const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');

async function loadFile(path: string): Promise<Volume> {
  return (await loadSources([{ ...fileSource(path), blob: await openAsBlob(path) }], nodeDecoder)).volume;
}
const maxOf = (d: Int16Array) => d.reduce((m, v) => (v > m ? v : m), -32768);
const DEFAULT_MESH = { smoothing: 25, detail: { kind: 'fraction', keep: 0.1 } } as const;

test('the STL equals, byte for byte, what the app makes (buildMesh + meshApi.write) with -t bone -l; -m writes the volume\'s size and spacing', { skip }, async () => {
  const dir = work();
  const r = cli(['-t', 'bone', '-l', '-m', 'meta.txt', '--json', 'run.json', '-o', 'bone.stl', ABDOMEN], dir);
  assert.equal(r.code, 0, r.stderr);
  const vol = (await loadDicomFolderNode(ABDOMEN)).volume;
  const pool = createNodePool(2);
  let app: Buffer;
  try {
    const opts: MeshOptions = { keepLargest: true, seedBand: { lower: 800, upper: 1300 }, ...DEFAULT_MESH };
    app = appFile((await buildMesh(pool.workers, vol, { lower: 200, upper: 1500 }, opts)).mesh);
  } finally {
    await pool.close();
  }
  const cliFile = readFileSync(join(dir, 'bone.stl'));
  assert.ok(cliFile.equals(app), 'the same bytes, so the same triangles in the same order');
  assert.match(stlMesh(join(dir, 'bone.stl')).header, /SPACE=LPS/);
  const meta = parseMetadata(readFileSync(join(dir, 'meta.txt'), 'utf8'));
  assert.deepEqual([meta.xdimension, meta.ydimension, meta.zdimension], vol.dims);
  for (const [a, key] of ['xspacing', 'yspacing', 'zspacing'].entries()) assert.ok(Math.abs(meta[key] - vol.spacing[a]) <= 0.0005, `${key} ${meta[key]} vs ${vol.spacing[a]}`);
  const [rec] = records(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.equal(rec.series!.description, 'PANCREAS DI, iDose (3)');
  assert.deepEqual(rec.output, ['bone.stl']);
  assert.ok(rec.report!.closed && rec.report!.manifold && rec.report!.oriented);
  assert.equal(rec.report!.fileBytes, cliFile.length);
  assert.deepEqual(rec.stages.map((s) => s.name), ['load', 'mask', 'components', 'size estimate', 'isosurface', 'stitch', 'smoothing', 'decimation', 'check', 'write', 'deviation', 'shells']);
});

test('-t soft applies the median (the STL equals the app\'s on the median-filtered scan); --disable median does not; -d gives the same thresholds', { skip }, async () => {
  const dir = work();
  assert.equal(cli(['-t', 'soft', '--all-pieces', '-o', 'soft.stl', CT_SM], dir).code, 0);
  assert.equal(cli(['-t', 'soft', '--all-pieces', '--disable', 'median', '-o', 'plain.stl', CT_SM], dir).code, 0);
  const range: ThresholdRange = { lower: -15, upper: 100 };
  const opts: MeshOptions = { keepLargest: false, seedBand: { lower: 30, upper: 58 }, ...DEFAULT_MESH };
  const vol = await loadFile(CT_SM);
  const plain = appFile((await buildMesh([meshApi], vol, range, opts)).mesh);
  await medianFilter([meshApi], vol);
  const median = appFile((await buildMesh([meshApi], vol, range, opts)).mesh);
  assert.ok(!median.equals(plain));
  assert.ok(readFileSync(join(dir, 'soft.stl')).equals(median), '-t soft = median, then the double threshold');
  assert.ok(readFileSync(join(dir, 'plain.stl')).equals(plain), '--disable median = no median');
  // -d with soft tissue's thresholds and the median enabled is -t soft
  assert.equal(cli(['-d', '-15;30;58;100', '--enable', 'median', '--all-pieces', '-o', 'd.stl', CT_SM], dir).code, 0);
  assert.ok(readFileSync(join(dir, 'd.stl')).equals(median));
});

test('-a runs curvature anisotropic diffusion first: the STL equals the app\'s on the diffused scan', { skip }, async () => {
  const dir = work();
  const r = cli(['-a', '-i', '200', '--all-pieces', '--json', '-', '-o', 'a.stl', CT_SM], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(records(r.stdout)[0].stages.some((s) => s.name === 'anisotropic diffusion'));
  const vol = await loadFile(CT_SM);
  await curvatureDiffusion([meshApi], vol);
  const app = appFile((await buildMesh([meshApi], vol, { lower: 200, upper: maxOf(vol.data) }, { keepLargest: false, ...DEFAULT_MESH })).mesh);
  assert.ok(readFileSync(join(dir, 'a.stl')).equals(app));
});

test('--rotaxis Z --rotangle 90 swaps the x and y extents about the model\'s centre; --enable rotation turns 180° about Y; --placement bed sits on z = 0', { skip }, () => {
  const dir = work();
  for (const [name, extra] of [['plain', []], ['z90', ['--rotaxis', 'Z', '--rotangle', '90']], ['y180', ['--enable', 'rotation']], ['bed', ['--placement', 'bed']]] as const) {
    const r = cli(['-i', '200', '-l', '-o', `${name}.stl`, ...extra, CT_SM], dir);
    assert.equal(r.code, 0, r.stderr);
  }
  const plain = stlMesh(join(dir, 'plain.stl'));
  const z90 = stlMesh(join(dir, 'z90.stl'));
  const [ex, ey, ez] = extents(plain.mesh);
  const e = extents(z90.mesh);
  assert.ok(Math.abs(e[0] - ey) < 1e-3 && Math.abs(e[1] - ex) < 1e-3 && Math.abs(e[2] - ez) < 1e-3, `${[ex, ey, ez]} → ${e}`);
  assert.ok(Math.abs(ex - ey) > 10, 'the extents differ, so the swap shows');
  const centre = (m: Mesh) => {
    const r = checkMesh(m);
    return r.bbox.max.map((x, a) => (x + r.bbox.min[a]) / 2);
  };
  centre(z90.mesh).forEach((c, a) => assert.ok(Math.abs(c - centre(plain.mesh)[a]) < 1e-3));
  assert.ok(closed(z90.mesh));
  assert.match(plain.header, /SPACE=LPS/);
  assert.doesNotMatch(z90.header, /SPACE/, 'a turned model is no longer in patient space');
  // 180° about Y through the centre: x → 2cx − x, y kept, z → 2cz − z, triangle for triangle
  const y180 = stlMesh(join(dir, 'y180.stl')).mesh;
  const c = centre(plain.mesh);
  const P = plain.mesh.positions, Q = y180.positions;
  assert.equal(Q.length, P.length);
  for (let i = 0; i < P.length; i += 3) {
    assert.ok(Math.abs(Q[i] - (2 * c[0] - P[i])) < 1e-3 && Math.abs(Q[i + 1] - P[i + 1]) < 1e-3 && Math.abs(Q[i + 2] - (2 * c[2] - P[i + 2])) < 1e-3);
  }
  const bed = checkMesh(stlMesh(join(dir, 'bed.stl')).mesh);
  assert.equal(bed.bbox.min[2], 0);
  assert.ok(bed.closed && bed.oriented);
});

test('--largest keeps 1 solid, the default drops pieces under 5 % of the largest, --all-pieces keeps every piece; --fill fills the voids', { skip }, () => {
  const dir = work();
  const run = (...args: string[]) => {
    const r = cli(['-i', '200', '--json', '-', '-o', 'x.stl', ...args], dir);
    assert.equal(r.code, 0, r.stderr);
    return records(r.stdout)[0];
  };
  const largest = run('-l', '--tolerance', '0.5', CT_SM), dflt = run(CT_SM), all = run('--all-pieces', '--smooth', '0', '--reduce', '0.5', CT_SM);
  assert.equal(largest.report!.solids, 1);
  // decimation bounds its own error estimate by the tolerance; the deviation measured afterwards, vertex to
  // surface both ways, comes within a few per cent of it (0.53 mm here)
  assert.deepEqual(largest.settings!.refine.detail, { kind: 'tolerance', mm: 0.5 });
  assert.ok(largest.report!.deviationMm > 0.25 && largest.report!.deviationMm <= 0.55, `--tolerance 0.5: ${largest.report!.deviationMm} mm`);
  assert.ok(Math.abs(all.report!.triangles - all.report!.trianglesIsosurface / 2) <= 0.01 * all.report!.trianglesIsosurface, '--reduce 0.5 keeps half');
  assert.deepEqual(all.stages.filter((x) => x.name === 'smoothing'), [], '--smooth 0: no smoothing');
  assert.ok(dflt.stages.some((x) => x.name === 'smoothing'));
  assert.equal(all.report!.solids, largest.pieces!.count, 'every piece of the threshold prints');
  assert.ok(largest.pieces!.count > dflt.report!.solids && dflt.report!.solids > 1, `${largest.pieces!.count} pieces > ${dflt.report!.solids} > 1`);
  const holes = run('-l', CT_NII), filled = run('-l', '--fill', '-o', 'filled.obj', CT_NII);
  assert.ok(closed(parseObj(readFileSync(join(dir, 'filled.obj'), 'utf8'))), 'OBJ by its extension');
  assert.ok(holes.report!.voids > 0);
  assert.deepEqual([filled.report!.solids, filled.report!.voids], [1, 0]);
  assert.ok(filled.pieces!.filled! > 0);
});

test('--search picks the series whose description matches; without it the largest; matches that are no volume are refused', { skip }, () => {
  const dir = work();
  // both folders as one scan (-o FILE): the abdomen is the larger volume
  const picked = cli(['-s', 'std brain', '-i', '300', '-l', '--json', '-', '-o', 'brain.stl', ABDOMEN, PHILIPS], dir);
  assert.equal(picked.code, 0, picked.stderr);
  assert.equal(records(picked.stdout)[0].series!.description, 'STD BRAIN 5MM');
  assert.deepEqual(records(picked.stdout)[0].series!.dims, [512, 512, 28]);
  // without --search: the largest volume (a threshold above every voxel ends it after the load, exit 6)
  const largest = cli(['-i', '30000', '--json', '-', '-o', 'none.stl', ABDOMEN, PHILIPS], dir);
  assert.equal(largest.code, EXIT.emptyModel);
  assert.equal(records(largest.stdout)[0].series!.description, 'PANCREAS DI, iDose (3)');
  assert.match(largest.stderr, /nothing to print: no voxel of the scan is in 30000…30000 HU/);
  const screenshot = cli(['-s', 'exam', '-o', 'x.stl', PHILIPS], dir);
  assert.equal(screenshot.code, EXIT.noScan);
  assert.match(screenshot.stderr, /no series matching "exam" can be made into a model: "Exam Summary" \(secondary capture \(screenshot\)\) ×3/);
  const none = cli(['-s', 'femur', '-o', 'x.stl', PHILIPS], dir);
  assert.equal(none.code, EXIT.noScan);
  assert.match(none.stderr, /mixed_philips_ct_cdexport: no series description contains "femur" \(--search\); the series are "STD BRAIN 5MM" \(512×512×28 CT\)/);
  assert.ok(!existsSync(join(dir, 'x.stl')));
});

test('--ct refuses the MR (exit 1, as dicom2stl)', { skip }, () => {
  const r = cli(['--ct', '-o', 'mr.stl', MR], work());
  assert.equal(r.code, EXIT.notCt);
  assert.match(r.stderr, /mr_t1_head_sag_siemens: the scan is MR, not CT/);
  noStack(r.stderr);
});

test('--enable shrink meshes at most 256 voxels per axis (dicom2stl\'s factors, block averages); -v says so', { skip }, () => {
  const dir = work();
  const r = cli(['--enable', 'shrink', '-i', '300', '-l', '-v', '--json', 'run.json', '-o', 's.stl', GE_HEAD], dir);
  assert.equal(r.code, 0, r.stderr);
  const rec = records(readFileSync(join(dir, 'run.json'), 'utf8'))[0];
  // -v: the settings, the series and every stage's time
  assert.match(r.stdout, /settings: isovalue 300, shrink, largest piece, 25 smoothing passes, keep 10 %, as scanned, STL/);
  assert.match(r.stdout, /series: 28 files, 512 × 512 × 37 voxels .*, meshed at 256 × 256 × 37/);
  assert.match(r.stdout, /\n {2}shrink +\d+ ms\n/);
  assert.deepEqual(rec.series!.dims, [512, 512, 37]);
  assert.deepEqual(rec.meshedDims, [256, 256, 37]);
});

test('a batch of two inputs into a folder, --jobs 2: one model each, named after series and preset, one JSON line each', { skip }, () => {
  const dir = work();
  const temp = join(dir, 'tmp');
  const r = cli(['-i', '200', '-l', '--jobs', '2', '--format', 'ply', '-T', temp, '--json', 'runs.jsonl', '-o', 'out/', CT_NII, CT_SM], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['ct_abdomen_totalsegmentator_example_ct_iso200.ply', 'ct_iso200.ply']);
  for (const f of readdirSync(join(dir, 'out'))) assert.ok(closed(parsePly(new Uint8Array(readFileSync(join(dir, 'out', f))))), f);
  const recs = records(readFileSync(join(dir, 'runs.jsonl'), 'utf8'));
  assert.equal(recs.length, 2);
  assert.deepEqual(recs.map((x) => x.input[0]).sort(), [CT_NII, CT_SM].sort());
  assert.ok(recs.every((x) => x.ok && x.exitCode === 0 && x.report!.solids === 1));
  assert.deepEqual(readdirSync(temp), [], 'nothing left in the temporary folder');
  assert.match(r.stderr, /2 of 2 scans converted/);
  // plain progress lines when piped
  assert.match(r.stderr, /scan2print: .*ct\.nii\.gz: isosurface\n/);
});

test('bad inputs: exit codes and messages naming the path, never a stack trace', { skip }, () => {
  const dir = work();
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'notes.txt'), 'not a scan\n');
  const slice = readFileSync(listFiles(ABDOMEN)[0]);
  mkdirSync(join(dir, 'cut'));
  writeFileSync(join(dir, 'cut', 'slice.dcm'), slice.subarray(0, 300_000));
  writeFileSync(join(dir, 'header-cut.dcm'), slice.subarray(0, 1000));
  const cases: [string[], number, RegExp][] = [
    [['empty'], EXIT.noScan, /empty: the folder is empty: there is no scan in it/],
    [['notes.txt'], EXIT.noScan, /notes\.txt: No image volume found in 1 file \(1 × not DICOM\)/],
    [['cut'], EXIT.damaged, /cut\/slice\.dcm: the file ends too early \(truncated\): 297572 of 524288 bytes of pixel data/],
    [['header-cut.dcm'], EXIT.damaged, /header-cut\.dcm: the file ends before its pixel data \(truncated after 1000 bytes\)/],
    [['missing'], EXIT.noScan, /missing: no such file or folder/],
  ];
  for (const [args, code, message] of cases) {
    const r = cli(['-o', 'x.stl', ...args], dir);
    assert.equal(r.code, code, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
    noStack(r.stderr);
  }
  // in a batch every scan is tried: the highest code wins, the good one is written
  const b = cli(['-i', '200', '-o', 'out/', '--json', '-', 'empty', 'cut', CT_SM], dir);
  assert.equal(b.code, EXIT.damaged);
  assert.deepEqual(records(b.stdout).map((x) => x.exitCode).sort(), [0, 4, 5]);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['ct_iso200.stl']);
  // command-line mistakes
  const usage: [string[], number, RegExp][] = [
    [['--smooth', 'x', CT_SM], EXIT.usage, /--smooth: "x" is not a number/],
    [['-d', '1;2;3', CT_SM], EXIT.thresholds, /not 4 numbers/],
    [['-o', 'x.vtk', CT_SM], EXIT.usage, /unknown extension \.vtk/],
    [[], EXIT.noScan, /no input given/],
    [['--labels', LABELS, '-o', 'out/', CT_SM, CT_NII], EXIT.usage, /--labels belongs to one scan/],
  ];
  for (const [args, code, message] of usage) {
    const r = cli(args, dir);
    assert.equal(r.code, code, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('--labels: one named, closed object per label of a TotalSegmentator map in one 3MF', { skip }, () => {
  const dir = work();
  const r = cli(['--labels', LABELS, '--json', '-', '-o', 'organs.3mf', CT_SM], dir);
  assert.equal(r.code, 0, r.stderr);
  const { objects } = parse3mfObjects(new Uint8Array(readFileSync(join(dir, 'organs.3mf'))));
  assert.equal(objects.length, 41);
  assert.ok(objects.some((o) => o.name === 'liver') && objects.some((o) => o.name === 'vertebrae_L1'));
  assert.ok(objects.every((o) => closed(o.mesh)), 'every object closed');
  assert.equal(records(r.stdout)[0].labels!.length, 41);
});

test("the dicom2stl tutorial's and README's commands, unchanged but for the input path", { skip }, () => {
  const dir = work();
  // dicom.zip: the GE head series zipped; the other inputs are the NIfTI CT and a DICOM folder
  const files: Record<string, Uint8Array> = {};
  for (const f of listFiles(GE_HEAD)) files[`GE/${f.slice(GE_HEAD.length + 1)}`] = new Uint8Array(readFileSync(f));
  writeFileSync(join(dir, 'dicom.zip'), zipSync(files));
  const commands: [string[], string | null][] = [
    [['-h'], null], // dicom2stl.py -h
    [['-i', '400', '-o', 'bone.stl', CT_NII], 'bone.stl'], // Tutorial.ipynb: -i 400 -o bone.stl Data/ct_head.nii.gz
    [['-t', 'bone', '-o', 'bone-zip.stl', 'dicom.zip'], 'bone-zip.stl'], // README: -t bone -o bone.stl dicom.zip
    [['-t', 'skin', '-o', 'skin.stl', CT_NII], 'skin.stl'], // README: -t skin -o skin.stl volume.nrrd
    [['-i', '128', '-o', 'iso.stl', CT_NII], 'iso.stl'], // README: -i 128 -o iso.stl volume.vtk
    [['--enable', 'rotation', '-t', 'soft_tissue', '-o', 'soft.stl', GE_HEAD], 'soft.stl'], // README: --enable rotation -t soft_tissue -o soft.stl dicom_dir
  ];
  for (const [args, out] of commands) {
    const r = cli(args, dir);
    assert.equal(r.code, 0, `scan2print ${args.join(' ')}: ${r.stderr}`);
    if (out) assert.ok(closed(stlMesh(join(dir, out)).mesh), out);
    else assert.match(r.stdout, /usage: scan2print/);
  }
  const check = resolve(process.cwd(), '..', 'shared', 'tools', 'check_stl.sh');
  if (existsSync(check)) {
    const c = spawnSync('bash', [check, '--no-slice', join(dir, 'bone.stl')], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stdout + c.stderr);
  }
});
