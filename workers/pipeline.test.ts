import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import type { Mesh } from './core/types';
import { makeHeadPhantom } from './core/phantom';
import { buildMesh } from './core/pipeline';
import { sharedBytes } from './core/sharedMemory';
import { DEFAULT_REFINE, type RefineOptions } from './core/refine';
import { applyMaskEdits, printMask } from './core/maskEdits';
import { keepLargestComponent } from './core/components';
import { thresholdMask } from './core/threshold';
import { meshApi } from './meshApi';
import { createNodePool } from './nodePool';
import { writeBinaryStl } from './core/stl';
import { loadDicomFolderNode } from './intake/nodeLoad';
import { taubinSmooth } from './core/smooth';
import { decimate, decimateJob, type DecimateOptions } from './core/decimate';
import { assertPrintable } from './core/testAssert';
import { sharedMemory, type Alloc } from './core/memory';
import { growingMemory } from './core/reserve';
import { MemoryReserve } from './core/reserve';
import { arenaBytes, countCrossings, reserveBytes } from './core/meshEstimate';
import { classifyShells } from './core/shells';
import { BONE, speckledBall } from './core/testVolumes';
import { wallThickness } from './core/thickness';
import { thicknessOnPool } from './core/thicknessPool';
import { wallFacts } from './core/printFacts';

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
    assert.deepEqual(stages.map((s) => s.name), ['mask', 'components', 'size estimate', 'isosurface', 'stitch', 'check']);
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
    assert.deepEqual(two.stages.map((s) => s.name), ['mask', 'components', 'size estimate', 'isosurface', 'stitch', 'smoothing', 'decimation', 'check']);
    const r = two.report;
    assert.deepEqual(r, checkMesh(two.mesh));
    assert.ok(r.closed && r.manifold && r.oriented && r.degenerateTriangles === 0, 'closed, manifold, oriented');
    assert.equal(r.shells, 1);
    assert.ok(Math.abs(r.triangles - 0.1 * two.trianglesIsosurface) <= 2, `${r.triangles} of ${two.trianglesIsosurface}`);
    const raw = checkMesh(await buildMesh([meshApi], phantom, range, { keepLargest: true, ...RAW }).then((x) => x.mesh));
    assert.ok(Math.abs(r.volumeMm3 / raw.volumeMm3 - 1) < 0.01, `volume ${r.volumeMm3} vs ${raw.volumeMm3}`);
    // the deviation comes after the result, measured over the pool: a figure, the same on 1 thread
    const deviation = await two.deviation;
    assert.ok(Number.isFinite(deviation.mm) && deviation.mm > 0 && deviation.mm < 1.5, `deviation ${deviation.mm} mm`);
    assert.ok(deviation.ms > 0);
    assert.equal((await one.deviation).mm, deviation.mm);
  } finally {
    await pool.close();
  }
});

test('nothing removed, no deviation: full detail resolves to 0, with and without smoothing', async () => {
  const raw = await buildMesh([meshApi], phantom, range, { keepLargest: true, ...RAW });
  assert.deepEqual(await raw.deviation, { mm: 0, ms: 0 });
  const smooth = await buildMesh([meshApi, meshApi], phantom, range, { keepLargest: true, smoothing: 10, detail: { kind: 'full' } });
  assert.deepEqual(smooth.stages.map((s) => s.name).slice(-2), ['cleanup', 'check']);
  assert.deepEqual(await smooth.deviation, { mm: 0, ms: 0 });
});

test('a second build on the same 2 threads while the first one\'s deviation is still measured: both finish, both correct', { timeout: 300_000 }, async () => {
  const pool = createNodePool(2);
  try {
    const opts = { keepLargest: true, ...DEFAULT_REFINE };
    const first = await buildMesh(pool.workers, phantom, range, opts);
    // (its deviation cannot be known yet: its tasks queue behind the check, whose answer returned the build)
    let settled = false;
    void first.deviation.finally(() => (settled = true));
    assert.equal(settled, false);
    // the second build's smoothing and decimation (barriers across the threads) interleave with the
    // first one's deviation tasks in the workers' queues
    const second = await buildMesh(pool.workers, phantom, range, { ...opts, detail: { kind: 'fraction', keep: 0.2 } });
    const third = await buildMesh(pool.workers, phantom, range, opts);
    const [a, b, c] = await Promise.all([first.deviation, second.deviation, third.deviation]);
    assert.deepEqual(third.mesh, first.mesh);
    assert.deepEqual(third.report, first.report);
    assert.equal(c.mm, a.mm);
    assert.ok(a.mm > 0 && a.mm < 1.5 && b.mm > 0 && b.mm <= a.mm, `deviations ${a.mm}, ${b.mm} mm`);
    assert.ok(second.report.closed && second.report.manifold && second.report.oriented);
    assert.ok(Math.abs(second.report.triangles - 0.2 * second.trianglesIsosurface) <= 2, `${second.report.triangles} of ${second.trianglesIsosurface}`);
  } finally {
    await pool.close();
  }
});

test('a build in memory set aside ahead (reserve.ts) is the build in new memory bit for bit, sized by the mask\'s count, held until its deviation is known, and again once that memory holds old values', { timeout: 300_000 }, async () => {
  const pool = createNodePool(2);
  try {
    const opts = { keepLargest: true, ...DEFAULT_REFINE };
    const plain = await buildMesh(pool.workers, phantom, range, opts);
    const plainDeviation = await plain.deviation;
    // sized as the app sizes it, from the overlay's mask (see src/engine/model.ts reserveBuildMemory)
    const mask = new Uint8Array(phantom.data.length);
    printMask(phantom, range, { keepLargest: true }, mask);
    const shape = { voxels: phantom.data.length, mask: true, smoothing: opts.smoothing, detail: opts.detail, threads: 2 };
    const reserve = new MemoryReserve(reserveBytes(countCrossings(phantom, range, mask), shape));
    const first = await buildMesh(pool.workers, phantom, range, { ...opts, reserve });
    assert.equal(reserve.busy, true, 'held while the deviation is measured on its arrays');
    // meanwhile another build cannot have it: it takes new memory, and is the same build
    const beside = await buildMesh(pool.workers, phantom, range, { ...opts, reserve });
    await beside.deviation;
    assert.equal((await first.deviation).mm, plainDeviation.mm);
    await new Promise((r) => setImmediate(r));
    assert.equal(reserve.busy, false, 'free once the deviation is known');
    assert.equal(reserve.overflow, 0, 'the count sized it: nothing beyond it');
    // the arena's replay (meshEstimate.ts) is the build's own, allocation for allocation (a few small ones aside)
    const model = arenaBytes(first.estimate!.vertices, first.trianglesIsosurface, shape);
    assert.ok(Math.abs(reserve.used - model) <= 4096, `${reserve.used} bytes used, ${model} replayed`);
    for (const b of [first, beside]) {
      assert.deepEqual(b.mesh, plain.mesh);
      assert.deepEqual(b.report, plain.report);
    }
    // every value the build left there made wrong: the next build must still find zeroed memory
    new Uint8Array(reserve.buffer, 0, reserve.used).fill(0xff);
    const again = await buildMesh(pool.workers, phantom, range, { ...opts, reserve });
    assert.deepEqual(again.mesh, plain.mesh);
    assert.equal((await again.deviation).mm, plainDeviation.mm);
  } finally {
    await pool.close();
  }
});

test('real CT through the whole default pipeline: closed, manifold, same volume, and check_stl.sh (admesh and topology; the browser suite slices it) accepts the STL', async (t) => {
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
    const res = spawnSync('bash', [tool, '--no-slice', file], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(res.status, 0, `check_stl.sh: ${res.stdout.trim().split('\n').pop()}`);
    const verdict = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(verdict.facets, r.triangles);
    assert.equal(verdict.parts, r.shells);
    assert.ok(Math.abs(verdict.volume_mm3 / r.volumeMm3 - 1) < 0.005, `admesh volume ${verdict.volume_mm3} vs ours ${r.volumeMm3}`);
  } finally {
    await pool.close();
  }
});

/** Linear index of the voxel nearest to patient point p (the phantom's grid is axis-aligned). */
const voxelAt = (p: [number, number, number]) => {
  const ijk = p.map((x, a) => Math.round((x - phantom.origin[a]) / phantom.spacing[a]));
  return ijk[0] + dims[0] * (ijk[1] + dims[1] * ijk[2]);
};
const SKULL_TOP: [number, number, number] = [0, -10, 5 + 82.5]; // between the inner and outer skull surfaces
const ON_TABLE: [number, number, number] = [60, 101, 0]; // inside the 10 mm table slab, beside the head

test('mask edits: seed clicks choose pieces, small pieces go, the crop box and the double threshold cut', async () => {
  const mesh = (o: Partial<Parameters<typeof buildMesh>[3]>) => buildMesh([meshApi, meshApi], phantom, range, { keepLargest: false, ...RAW, ...o });
  assert.ok(phantom.data[voxelAt(SKULL_TOP)] >= 300 && phantom.data[voxelAt(ON_TABLE)] >= 300, 'the seeds sit on bone and table');
  const skull = await mesh({ seeds: [voxelAt(SKULL_TOP)] });
  const table = await mesh({ seeds: [voxelAt(ON_TABLE)] });
  const both = await mesh({ seeds: [voxelAt(SKULL_TOP), voxelAt(ON_TABLE)] });
  assert.equal(skull.report.shells, 1);
  assert.equal(table.report.shells, 1);
  assert.equal(both.report.shells, 2);
  assert.equal(skull.components!.seedsHit, 1);
  assert.ok(Math.abs(skull.report.volumeMm3 + table.report.volumeMm3 - both.report.volumeMm3) < 1e-6 * both.report.volumeMm3);
  // the table is a flat slab under the head: its model lies in y 96…106 mm (plus under a voxel)
  assert.ok(table.report.bbox.min[1] > 96 - 2 && table.report.bbox.max[1] < 106 + 2, JSON.stringify(table.report.bbox));
  // a seed on air keeps nothing
  const none = await mesh({ seeds: [0] });
  assert.equal(none.report.triangles, 0);
  assert.equal(none.components!.seedsHit, 0);

  // remove pieces smaller than the skull but larger than the table: the skull alone is left
  const small = await mesh({ minPieceMm3: (skull.report.volumeMm3 + table.report.volumeMm3) / 2 });
  assert.equal(small.report.shells, 1);
  assert.ok(Math.abs(small.report.volumeMm3 / Math.max(skull.report.volumeMm3, table.report.volumeMm3) - 1) < 1e-9);

  // a crop box that stops above the table (in voxel rows) leaves the skull only, inside the box
  const rowOfTable = Math.round((96 - phantom.origin[1]) / phantom.spacing[1]) - 2;
  const crop = { min: [0, 0, 0] as [number, number, number], max: [dims[0] - 1, rowOfTable, dims[2] - 1] as [number, number, number] };
  const cropped = await mesh({ crop });
  assert.equal(cropped.report.shells, 1);
  assert.ok(cropped.report.bbox.max[1] <= phantom.origin[1] + (rowOfTable + 1) * phantom.spacing[1], 'nothing beyond the box');
  assert.ok(Math.abs(cropped.report.volumeMm3 / skull.report.volumeMm3 - 1) < 0.01);

  // dicom2stl's double threshold: pieces of ≥ 300 HU that touch ≥ 900 HU: the 350 HU table never does
  const double = await mesh({ seedBand: { lower: 900, upper: 32767 } });
  assert.equal(double.report.shells, 1);
  assert.ok(Math.abs(double.report.volumeMm3 / skull.report.volumeMm3 - 1) < 1e-9);
});

test('the overlay mask (printMask, one thread) is the mask the pipeline meshes', () => {
  const edits = { keepLargest: false, seeds: [voxelAt(SKULL_TOP)], fillCavities: true, crop: { min: [4, 4, 4] as [number, number, number], max: [120, 110, 79] as [number, number, number] } };
  const overlay = new Uint8Array(phantom.data.length);
  const stats = printMask(phantom, range, edits, overlay);
  assert.equal(stats.seedsHit, 1);
  // the pipeline's way: threshold split over z (as workers do), then the same edits
  const expected = new Uint8Array(phantom.data.length);
  for (const z of [[0, 30], [30, 80]] as [number, number][]) thresholdMask(phantom, range, expected, z, edits.crop);
  applyMaskEdits(expected, dims, phantom.spacing, edits);
  assert.deepEqual(overlay, expected);
});

test('real abdomen CT, smoothed, full and decimated: no zero-area triangle survives (slicers reject them)', async (t) => {
  const dir = resolve(process.cwd(), '..', 'shared', 'data', 'ct_abdomen_tcia_pancreas');
  if (!existsSync(dir)) return t.skip('../shared/data is missing');
  const vol = (await loadDicomFolderNode(dir)).volume;
  const pool = createNodePool(2);
  try {
    for (const detail of [{ kind: 'full' } as const, DEFAULT_REFINE.detail]) {
      const r = (await buildMesh(pool.workers, vol, range, { keepLargest: true, smoothing: 25, detail })).report;
      assert.equal(r.degenerateTriangles, 0, `${detail.kind}: degenerate triangles`);
      assert.ok(r.closed && r.manifold && r.oriented, `${detail.kind}: closed, manifold, oriented`);
    }
  } finally {
    await pool.close();
  }
});

test('smoothing inside the decimation job over 1, 2 and 3 real threads, in WebAssembly or not: the same positions bit for bit, and taubinSmooth\'s to within float rounding, closed or open', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const closed = marchingCubes(phantom, range, mask);
  // (open: the first 200 triangles gone, so vertices around the hole are locked and some are left without triangles)
  const open = { positions: closed.positions, indices: closed.indices.slice(600) };
  for (const [name, mesh] of [['closed', closed], ['open', open]] as const) {
    const serial = taubinSmooth(mesh, { iterations: 10 });
    let first: Float32Array | null = null;
    // (the WebAssembly kernel's step on every thread count, and umbrellaStep's where the job's memory is not WebAssembly's)
    for (const [threads, kernel] of [[1, true], [2, true], [3, true], [2, false]] as const) {
      const pool = createNodePool(threads);
      try {
        const shared = { positions: new Float32Array(sharedBytes(mesh.positions.byteLength)), indices: new Uint32Array(sharedBytes(mesh.indices.byteLength)) };
        shared.positions.set(mesh.positions);
        shared.indices.set(mesh.indices);
        const alloc: Alloc = kernel ? growingMemory() : (bytes) => sharedMemory(bytes);
        const job = decimateJob(shared, { targetTriangles: mesh.indices.length / 3, smoothing: { iterations: 10 } }, threads, alloc);
        assert.equal(job.memory !== null, kernel, `${name}, ${threads} threads: P, Q and N in WebAssembly memory`);
        const [stages, ...rest] = await Promise.all(pool.workers.map((w, i) => w.smoothPart(job, i)));
        assert.deepEqual(stages!.map((s) => s.name), ['order by slab', 'half-edges', 'smoothing']);
        assert.ok(rest.every((r) => r === null), 'only thread 0 returns the timings');
        if (!first) first = shared.positions.slice();
        else assert.deepEqual(shared.positions, first, `${name}, ${threads} threads${kernel ? '' : ', umbrellaStep'}`);
        let worst = 0, moved = 0;
        for (let i = 0; i < mesh.positions.length; i++) {
          worst = Math.max(worst, Math.abs(shared.positions[i] - serial.positions[i]));
          moved = Math.max(moved, Math.abs(shared.positions[i] - mesh.positions[i]));
        }
        assert.ok(worst < 1e-4, `${name}, ${threads} threads: ${worst} mm from taubinSmooth`);
        assert.ok(moved > 0.1, `${name}: smoothing moved vertices (${moved} mm)`);
      } finally {
        await pool.close();
      }
    }
  }
});

test('half-edges over 1 and 3 real threads, in WebAssembly or not: each pairs with its one opposite, and every other edge (open, doubled, three triangles at it, degenerate) locks both ends', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const closed = marchingCubes(phantom, range, mask);
  const nv = closed.positions.length / 3;
  const tri = Array.from({ length: closed.indices.length / 3 }, (_, t) => Array.from(closed.indices.subarray(3 * t, 3 * t + 3)));
  // triangles taken out (open), one doubled, fins on two edges, a triangle with a vertex twice
  const damaged = tri.filter((_, t) => t % 997 !== 5);
  damaged.push(tri[10], [tri[20][1], tri[20][0], 0], [tri[30][0], tri[30][1], nv - 1], [tri[40][0], tri[40][0], tri[40][2]]);
  const indices = Uint32Array.from(damaged.flat());
  // (the JavaScript loops, and the WebAssembly kernels' where the job's arrays are in one WebAssembly memory)
  for (const [threads, kernel] of [[1, false], [3, false], [1, true], [3, true]] as const) {
    const pool = createNodePool(threads);
    try {
      const shared = { positions: new Float32Array(sharedBytes(closed.positions.byteLength)), indices: new Uint32Array(sharedBytes(indices.byteLength)) };
      shared.positions.set(closed.positions);
      shared.indices.set(indices);
      const job = decimateJob(shared, {}, threads, kernel ? growingMemory() : sharedMemory);
      assert.equal(job.memory !== null, kernel);
      await Promise.all(pool.workers.map((w, i) => w.smoothPart(job, i))); // (stages 1 and 2: no smoothing asked)
      // every directed edge of the renumbered triangles, counted by brute force
      const { I, opp, locked } = job;
      const key = (u: number, v: number) => u * nv + v;
      const count = new Map<number, number>(), at = new Map<number, number>();
      const end = (h: number) => I[h % 3 === 2 ? h - 2 : h + 1];
      for (let h = 0; h < I.length; h++) {
        count.set(key(I[h], end(h)), (count.get(key(I[h], end(h))) ?? 0) + 1);
        at.set(key(I[h], end(h)), h);
      }
      let paired = 0, alone = 0;
      for (let h = 0; h < I.length; h++) {
        const u = I[h], v = end(h);
        if (u !== v && count.get(key(u, v)) === 1 && count.get(key(v, u)) === 1) {
          if (opp[h] !== at.get(key(v, u))) assert.fail(`${threads} threads: half-edge ${h} (${u}→${v}) paired with ${opp[h]}, not ${at.get(key(v, u))}`);
          paired++;
        } else {
          if (opp[h] !== -1 || !locked[u] || !locked[v]) assert.fail(`${threads} threads: half-edge ${h} (${u}→${v}): opposite ${opp[h]}, locked ${locked[u]} ${locked[v]}`);
          alone++;
        }
      }
      assert.ok(paired > 0.99 * I.length && alone >= 20, `${threads} threads: ${paired} paired, ${alone} without an opposite`);
    } finally {
      await pool.close();
    }
  }
});

/** One decimation job shared by `threads` real worker threads (the mesh copied into shared memory): each thread's result. */
async function decimateOnThreads(mesh: Mesh, options: DecimateOptions, threads: number) {
  const pool = createNodePool(threads);
  try {
    const shared = { positions: new Float32Array(sharedBytes(mesh.positions.byteLength)), indices: new Uint32Array(sharedBytes(mesh.indices.byteLength)) };
    shared.positions.set(mesh.positions);
    shared.indices.set(mesh.indices);
    const job = decimateJob(shared, options, threads, sharedMemory);
    return await Promise.all(pool.workers.map((w, i) => w.decimatePart(job, i)));
  } finally {
    await pool.close();
  }
}

test('decimation over 3 real threads passes over refused vertices as one thread does: a target out of reach, the same mesh as looking every time', async () => {
  const mesh = taubinSmooth(marchingCubes(speckledBall(7), BONE), { iterations: 5 });
  const before = checkMesh(mesh);
  const options = { targetTriangles: Math.round(0.05 * before.triangles), partitions: 7, partitionEdges: 0 };
  const rechecked = decimate(mesh, { ...options, recheck: true });
  const [three] = await decimateOnThreads(mesh, options, 3);
  assert.ok(three!.trianglesOut > options.targetTriangles, `out of reach: ${three!.trianglesOut} triangles`);
  assert.ok(three!.skipped > 1000, `${three!.skipped} vertices passed over`);
  assert.deepEqual(three!.mesh.indices, rechecked.mesh.indices);
  assert.deepEqual(three!.mesh.positions, rechecked.mesh.positions);
  assertPrintable(checkMesh(three!.mesh), 'speckle, 3 threads, 7 partitions');
});

test('decimation over 3 real threads equals the same partitions on one thread, and keeps every guarantee', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const mesh = taubinSmooth(marchingCubes(phantom, range, mask));
  const before = checkMesh(mesh);
  const options = { targetTriangles: Math.round(before.triangles / 10), partitions: 7, partitionEdges: 0 };
  const one = decimate(mesh, options);
  const [three, ...rest] = await decimateOnThreads(mesh, options, 3);
  assert.deepEqual(rest, [null, null], 'only thread 0 returns the mesh');
  assert.deepEqual(three!.mesh.positions, one.mesh.positions);
  assert.deepEqual(three!.mesh.indices, one.mesh.indices);
  const after = checkMesh(three!.mesh);
  assertPrintable(after, '3 threads, 7 partitions');
  assert.equal(after.shells, before.shells);
  assert.equal(after.eulerCharacteristic, before.eulerCharacteristic);
  assert.ok(Math.abs(after.volumeMm3 / before.volumeMm3 - 1) < 1e-4, `volume ${after.volumeMm3} vs ${before.volumeMm3}`);
  assert.ok(Math.abs(after.triangles - options.targetTriangles) <= 2, `${after.triangles} triangles`);
});

test('the wall-thickness map over 3 real threads (chunks taken as threads come free) equals one thread bit for bit, and so do the thin walls found on it', async () => {
  const mask = thresholdMask(phantom, range);
  keepLargestComponent(mask, dims);
  const smooth = taubinSmooth(marchingCubes(phantom, range, mask));
  const { mesh } = decimate(smooth, { targetTriangles: Math.round(checkMesh(smooth).triangles / 10) });
  const serial = wallThickness(mesh).thicknessMm;
  const pool = createNodePool(3);
  try {
    const fractions: number[] = [];
    // a gate before every chunk (the app's: no build running), held shut for a while at first
    let gates = 0;
    const shut = new Promise<void>((resolve) => setTimeout(resolve, 50));
    const map = await thicknessOnPool(pool.workers, mesh, (f) => fractions.push(f), () => (gates++, shut));
    assert.ok(map.buffer instanceof SharedArrayBuffer, 'the map is shared');
    assert.ok(fractions.length >= 3 * 4 && fractions.at(-1) === 1, `progress ${fractions.length} times, last ${fractions.at(-1)}`);
    assert.equal(gates, fractions.length + 3, 'the gate before every chunk, and before each worker found none left');
    assert.ok(serial.some((x) => x > 0));
    assert.ok(map.length === serial.length && map.every((x, i) => Object.is(x, serial[i])), 'the same map, bit for bit');
    // the app's thin walls: from the pool's map in a worker, against two minimum walls
    for (const minWallMm of [2, 6]) {
      const { thicknessMm, ...facts } = await pool.workers[1].wallFacts(mesh, minWallMm, map);
      const { thicknessMm: _, ...reference } = wallFacts(mesh, minWallMm);
      assert.deepEqual(facts, reference, `minimum wall ${minWallMm} mm`);
      // the map goes back as it came: the same shared memory, not a copy
      const was = map[0];
      map[0] = -1;
      assert.ok(thicknessMm[0] === -1, 'the returned map is the shared one');
      map[0] = was;
      if (minWallMm === 6) assert.ok(facts.thinCount > 0, 'the phantom\'s skull has walls under 6 mm');
    }
  } finally {
    await pool.close();
  }
});

test("hollow as a pipeline stage: the phantom's skull at a 2 mm wall over 2 threads, enclosed cavities, closed; the same on one thread", async () => {
  const pool = createNodePool(2);
  try {
    const opts = { keepLargest: true, ...DEFAULT_REFINE, hollow: { wallMm: 2, minCavityMm3: 5000 } };
    const two = await buildMesh(pool.workers, phantom, range, opts);
    const one = await buildMesh([meshApi], phantom, range, opts);
    assert.deepEqual(two.mesh.positions, one.mesh.positions);
    // (the volumes are sums over another split: equal to rounding)
    const { volumeBeforeMm3: va, savedMm3: sa, ...a } = two.hollow!;
    const { volumeBeforeMm3: vb, savedMm3: sb, ...b } = one.hollow!;
    assert.deepEqual(a, b);
    assert.ok(Math.abs(va - vb) < 1e-6 * va && Math.abs(sa - sb) < 1e-6 * va);
    assert.deepEqual(two.stages.map((s) => s.name).slice(0, 5), ['mask', 'components', 'hollow', 'size estimate', 'isosurface']);
    const h = two.hollow!;
    assert.ok(h.cavities >= 1 && h.savedMm3 > 0, JSON.stringify(h));
    assertPrintable(two.report, 'hollow skull');
    const solid = await buildMesh([meshApi], phantom, range, { keepLargest: true, ...DEFAULT_REFINE });
    // the material saved is what the surface lost, measured before smoothing: smoothing rounds the
    // cavity's surface as well as the outer one, so the finished meshes differ by a little less
    // (3.5 % less on the phantom's skull at a 2 mm wall)
    const lost = solid.report.volumeMm3 - two.report.volumeMm3;
    assert.ok(lost < h.savedMm3 && lost / h.savedMm3 > 0.95, `surface lost ${lost} mm³, hollow saved ${h.savedMm3}`);
    assert.ok(h.savedMm3 < h.voxelsRemoved * 8, 'voxel counts overstate it');
    const shells = classifyShells(two.mesh);
    assert.equal(shells.solids, 1);
    assert.ok(shells.voids >= h.cavities, `${shells.voids} voids for ${h.cavities} cavities`);
  } finally {
    await pool.close();
  }
});
