import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { marchingCubes } from './core/marchingCubes';
import { Arena, sharedMemory } from './core/memory';
import { makeHeadPhantom } from './core/phantom';
import { buildMesh, type BuildProgress } from './core/pipeline';
import { DEFAULT_REFINE, refineOnPool, type RefineWorker } from './core/refine';
import { sharedBytes } from './core/sharedMemory';
import { BONE, volumeFrom } from './core/testVolumes';
import { meshApi } from './meshApi';
import { createNodePool } from './nodePool';

const dims: [number, number, number] = [160, 160, 100];
const phantom = makeHeadPhantom({ dims, data: new Int16Array(sharedBytes(dims[0] * dims[1] * dims[2] * 2)) });
const range = { lower: 300, upper: 32767 };

test('progress over 2 threads: every stage named in order, fractions rising to 1 in each long stage, the same mesh as without it', async () => {
  const pool = createNodePool(2);
  try {
    const opts = { keepLargest: true, ...DEFAULT_REFINE };
    const heard: BuildProgress[] = [];
    const withProgress = await buildMesh(pool.workers, phantom, range, opts, (p) => heard.push(p));
    const without = await buildMesh(pool.workers, phantom, range, opts);
    assert.deepEqual(withProgress.mesh, without.mesh);
    assert.deepEqual(withProgress.report, without.report);

    const starts = heard.filter((p) => p.fraction === undefined).map((p) => p.stage);
    assert.deepEqual(starts, ['mask', 'components', 'size estimate', 'isosurface', 'stitch', 'smoothing', 'decimation', 'check']);
    // (the deviation, measured after the result, reports no progress: nothing after the check)
    assert.equal(heard.at(-1)!.stage, 'check');
    for (const stage of ['mask', 'size estimate', 'isosurface', 'stitch', 'smoothing', 'decimation']) {
      const first = heard.findIndex((p) => p.stage === stage);
      const own = heard.filter((p) => p.stage === stage && p.fraction !== undefined).map((p) => p.fraction!);
      // each stage's fractions come after its start, without another stage's in between
      const last = heard.findLastIndex((p) => p.stage === stage);
      assert.ok(heard.slice(first, last + 1).every((p) => p.stage === stage), `${stage}: interleaved`);
      assert.ok(own.length > 0, `${stage}: no fraction`);
      assert.ok(own.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= own[i - 1])), `${stage}: ${own}`);
      assert.equal(own.at(-1), 1, `${stage} ends at ${own.at(-1)}`);
    }
  } finally {
    await pool.close();
  }
});

test('polling a stage\'s progress reports while the threads run, and stops when the build is given up', async () => {
  const sphere = marchingCubes(volumeFrom([30, 30, 30], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 10), BONE);
  // a thread that never answers (as a terminated worker)
  const stuck = { smoothPart: () => new Promise(() => {}) } as unknown as RefineWorker;
  const heard: BuildProgress[] = [];
  const gaveUp = new AbortController();
  void refineOnPool([stuck], sphere, { smoothing: 5, detail: { kind: 'full' } }, new Arena(sharedMemory), (_, f) => f(), (p) => heard.push(p), gaveUp.signal);
  await sleep(700);
  const polls = heard.filter((p) => p.stage === 'smoothing' && p.fraction === 0).length;
  assert.ok(polls >= 2, `${polls} polls`);
  gaveUp.abort();
  const n = heard.length;
  await sleep(700);
  assert.equal(heard.length, n);
});

test('a build given up while its deviation is measured: the deviation rejects with the abort, the result had come', async () => {
  const sphere = marchingCubes(volumeFrom([30, 30, 30], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 10), BONE);
  // one thread that smooths, decimates and checks, but whose deviation tasks never answer (as a terminated worker)
  const never = () => new Promise<never>(() => {});
  const thread = { ...meshApi, triangleGrid: never, distances: never } as RefineWorker;
  const gaveUp = new AbortController();
  const r = await refineOnPool([thread], sphere, { smoothing: 5, detail: { kind: 'fraction', keep: 0.5 } }, new Arena(sharedMemory), (_, f) => f(), undefined, gaveUp.signal);
  assert.ok(r.report.closed && r.report.manifold && r.report.oriented);
  assert.ok(Math.abs(r.report.triangles - sphere.indices.length / 6) <= 2);
  const why = new Error('build cancelled');
  gaveUp.abort(why);
  await assert.rejects(r.deviation, (e) => e === why);
});
