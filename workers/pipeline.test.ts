import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import { makeHeadPhantom } from './core/phantom';
import { buildMesh, sharedBytes } from './core/pipeline';
import { DEFAULT_REFINE, type RefineOptions } from './core/refine';
import { keepLargestComponent } from './core/components';
import { thresholdMask } from './core/threshold';
import { meshApi } from './meshApi';
import { createNodePool } from './nodePool';
import { writeBinaryStl } from './core/stl';
import { loadDicomFolderNode } from '../src/intake/nodeLoad';

const dims: [number, number, number] = [128, 128, 80];
const phantom = makeHeadPhantom({ dims, data: new Int16Array(sharedBytes(128 * 128 * 80 * 2)) });
const range = { lower: 300, upper: 32767 };
const RAW: RefineOptions = { smoothing: 0, detail: { kind: 'full' } };

test('the pipeline over 2 real worker threads equals the single-thread mesh exactly', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const reference = marchingCubes(phantom, range, mask);
  const pool = createNodePool(2);
  try {
    const { mesh, components, stages } = await buildMesh(pool.workers, phantom, range, { keepLargest: true, ...RAW });
    assert.deepEqual(mesh.positions, reference.positions);
    assert.deepEqual(mesh.indices, reference.indices);
    assert.equal(components!.pieces, 2);
    assert.deepEqual(stages.map((s) => s.name), ['mask', 'components', 'isosurface', 'stitch', 'check']);
  } finally {
    await pool.close();
  }
});

test('without keep-largest the table stays: two closed shells', async () => {
  const { mesh, components } = await buildMesh([meshApi, meshApi, meshApi], phantom, range, { keepLargest: false, ...RAW });
  assert.equal(components, null);
  const r = checkMesh(mesh);
  assert.equal(r.shells, 2);
  assert.equal(r.closed && r.manifold && r.oriented, true);
});

test('with the default smoothing and 90 % reduction: a closed skull of a tenth of the triangles, same on 1 and 2 threads', async () => {
  const pool = createNodePool(2);
  try {
    const opts = { keepLargest: true, ...DEFAULT_REFINE };
    const two = await buildMesh(pool.workers, phantom, range, opts);
    const one = await buildMesh([meshApi], phantom, range, opts);
    assert.deepEqual(two.mesh.positions, one.mesh.positions);
    assert.deepEqual(two.mesh.indices, one.mesh.indices);
    assert.deepEqual(two.stages.map((s) => s.name), ['mask', 'components', 'isosurface', 'stitch', 'smoothing', 'decimation', 'deviation', 'check']);
    const r = two.report;
    assert.deepEqual(r, checkMesh(two.mesh));
    assert.ok(r.closed && r.manifold && r.oriented && r.degenerateTriangles === 0, 'closed, manifold, oriented');
    assert.equal(r.shells, 1);
    assert.ok(Math.abs(r.triangles - 0.1 * two.trianglesIsosurface) <= 2, `${r.triangles} of ${two.trianglesIsosurface}`);
    const raw = checkMesh(await buildMesh([meshApi], phantom, range, { keepLargest: true, ...RAW }).then((x) => x.mesh));
    assert.ok(Math.abs(r.volumeMm3 / raw.volumeMm3 - 1) < 0.01, `volume ${r.volumeMm3} vs ${raw.volumeMm3}`);
    assert.ok(two.deviationMm > 0 && two.deviationMm < 1.5, `deviation ${two.deviationMm} mm`);
  } finally {
    await pool.close();
  }
});

test('real CT through the whole default pipeline: closed, manifold, same volume, and check_stl.sh accepts the STL', async (t) => {
  const head = resolve(process.cwd(), '..', 'shared', 'data', 'ct_head_ge_gantry_tilt');
  const tool = resolve(process.cwd(), '..', 'shared', 'tools', 'check_stl.sh');
  if (!existsSync(head)) return t.skip('../shared/data is missing');
  const vol = (await loadDicomFolderNode(head)).volume;
  const pool = createNodePool(2);
  try {
    const out = await buildMesh(pool.workers, vol, range, { keepLargest: true, ...DEFAULT_REFINE });
    const raw = await buildMesh(pool.workers, vol, range, { keepLargest: true, ...RAW });
    const r = out.report;
    assert.ok(r.closed && r.manifold && r.oriented && r.degenerateTriangles === 0, JSON.stringify(r));
    assert.equal(r.shells, raw.report.shells);
    assert.equal(r.eulerCharacteristic, raw.report.eulerCharacteristic, 'topology kept');
    assert.ok(Math.abs(r.volumeMm3 / raw.report.volumeMm3 - 1) < 0.01, `volume ${r.volumeMm3} vs ${raw.report.volumeMm3}`);
    const dir = mkdtempSync(join(tmpdir(), 'stl-'));
    const file = join(dir, 'head.stl');
    writeFileSync(file, new Uint8Array(writeBinaryStl(out.mesh)));
    const res = spawnSync('bash', [tool, file], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(res.status, 0, `check_stl.sh: ${res.stdout.trim().split('\n').pop()}`);
    const verdict = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(verdict.facets, r.triangles);
    assert.equal(verdict.parts, r.shells);
    assert.ok(Math.abs(verdict.volume_mm3 / r.volumeMm3 - 1) < 0.005, `admesh volume ${verdict.volume_mm3} vs ours ${r.volumeMm3}`);
  } finally {
    await pool.close();
  }
});
