import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { keepLargestComponent } from './components';
import { decimateJob } from './decimate';
import { plainMemory } from './memory';
import { marchingCubes, marchSlab, splitSlabs } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { buildBytes, countCrossings, decimateJobArrays, estimateFromCrossings, slabSlices, slabVertices, type BuildShape } from './meshEstimate';
import { makeHeadPhantom } from './phantom';
import { buildMesh, ModelTooLarge } from './pipeline';
import { DEFAULT_REFINE } from './refine';
import { thresholdMask } from './threshold';
import { BONE, rng, volumeFrom } from './testVolumes';
import type { ThresholdRange, Volume } from './types';
import { meshApi } from '../meshApi';
import { loadDicomFolderNode } from '../intake/nodeLoad';

/** Marching cubes' vertex and triangle counts beside the estimate's. */
function compare(v: Volume, range: ThresholdRange, mask: Uint8Array | null = null) {
  const mesh = marchingCubes(v, range, mask);
  const V = mesh.positions.length / 3, T = mesh.indices.length / 3;
  return { V, T, crossings: countCrossings(v, range, mask), report: checkMesh(mesh) };
}

const shape = (voxels: number): BuildShape => ({ voxels, mask: true, smoothing: 25, detail: { kind: 'fraction', keep: 0.1 }, threads: 2 });

test('sphere: the crossed edges are exactly the isosurface vertices, and T = 2V − 4 (one shell)', () => {
  const v = volumeFrom([60, 54, 46], [0.8, 0.9, 1.1], (x, y, z) => Math.hypot(x, y, z) - 20);
  const { V, T, crossings, report } = compare(v, BONE);
  assert.ok(V > 5000, `${V} vertices`);
  assert.equal(crossings, V);
  assert.equal(report.shells, 1);
  assert.equal(T, 2 * V - 4);
  assert.equal(estimateFromCrossings(crossings, shape(v.data.length)).triangles, 2 * V);
});

test('the arrays the replay gives a decimation are decimateJob\'s own, in its order and at their sizes', () => {
  // (a mesh big enough that every array the replay counts is over 64 KiB, the per-thread counts under)
  const v = volumeFrom([150, 150, 150], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 66);
  const mesh = marchingCubes(v, BONE);
  const V = mesh.positions.length / 3, T = mesh.indices.length / 3;
  assert.ok(V > 1 << 16, `${V} vertices`);
  for (const partitions of [1, 3]) {
    const made: number[] = [];
    decimateJob(mesh, { partitions }, 1, (bytes) => (made.push(bytes), plainMemory(bytes)));
    assert.deepEqual(
      made.filter((b) => b >= 1 << 16),
      decimateJobArrays(V, T, partitions, 1).map((a) => a.bytes),
    );
  }
});

test('torus: exactly the vertices, and T = 2V (genus 1)', () => {
  const v = volumeFrom([78, 78, 24], [0.7, 0.7, 0.8], (x, y, z) => Math.hypot(Math.hypot(x, y) - 18, z) - 6);
  const { V, T, crossings } = compare(v, BONE);
  assert.equal(crossings, V);
  assert.equal(T, 2 * V);
});

test('a sphere touching the grid\'s faces (closed by the padding), and counts over slabs add up to the whole', () => {
  const v = volumeFrom([33, 40, 37], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 19);
  const { V, crossings } = compare(v, BONE);
  assert.equal(crossings, V);
  const cuts = [0, 1, 9, 10, 36, 37];
  const parts = cuts.slice(1).map((z1, i) => countCrossings(v, BONE, null, [cuts[i], z1]));
  assert.equal(parts.reduce((a, b) => a + b, 0), V);
});

test('counted by slice, the crossings of any split into slabs add up to the whole and to each slab\'s own count, and that count sizes the slab to within 0–25 % over (the phantom\'s skull)', () => {
  const v = makeHeadPhantom({ dims: [96, 96, 60] });
  const mask = thresholdMask(v, BONE);
  keepLargestComponent(mask, v.dims);
  const whole = countCrossings(v, BONE, mask);
  const nz = v.dims[2];
  // per slice, from two ranges as two workers count them
  const perSlice = new Int32Array(nz);
  assert.equal(countCrossings(v, BONE, mask, [0, 23], perSlice) + countCrossings(v, BONE, mask, [23, nz], perSlice), whole);
  assert.equal(perSlice.reduce((a, b) => a + b, 0), whole);
  for (const parts of [1, 2, 5, 8, 16, 61]) {
    const slabs = splitSlabs(nz, parts);
    const counts = slabs.map((layers) => countCrossings(v, BONE, mask, slabSlices(layers, nz)));
    assert.equal(counts.reduce((a, b) => a + b, 0), whole, `${parts} slabs`);
    slabs.forEach((layers, i) => {
      const [z0, z1] = slabSlices(layers, nz);
      assert.equal(perSlice.slice(z0, z1).reduce((a, b) => a + b, 0), counts[i], `${parts} slabs, slab ${i}: its slices' counts`);
    });
    if (parts > 16) continue; // (slabs of one layer: the extra layer doubles the count)
    slabs.forEach((layers, i) => {
      const made = marchSlab(v, BONE, mask, layers).positions.length / 3;
      if (made === 0) return assert.equal(counts[i], 0);
      const r = slabVertices(counts[i], layers) / made;
      assert.ok(r >= 1 && r <= 1.25, `${parts} slabs, slab ${i}: sized for ${r.toFixed(3)} × its ${made} vertices`);
    });
  }
});

test('noise with a mask and a narrow band (inside below and above), odd and even widths: exactly the vertices', () => {
  const r = rng(7);
  for (const dims of [[31, 20, 12], [32, 21, 9]] as const) {
    const v = volumeFrom([...dims], [1, 1, 1], () => (r() - 0.5) * 1.6);
    const mask = new Uint8Array(v.data.length);
    for (let q = 0; q < mask.length; q++) mask[q] = r() < 0.7 ? 1 : 0;
    for (const range of [BONE, { lower: -300, upper: 400 }]) {
      assert.equal(countCrossings(v, range, null), compare(v, range).V, `${dims} ${range.lower}…${range.upper}`);
      assert.equal(countCrossings(v, range, mask), compare(v, range, mask).V, `${dims} ${range.lower}…${range.upper} masked`);
    }
  }
});

test('the head phantom\'s skull (largest piece): exact vertices, triangles within 1 % of 2V', () => {
  const v = makeHeadPhantom({ dims: [128, 128, 80] });
  const range = { lower: 300, upper: 32767 };
  const mask = thresholdMask(v, range);
  keepLargestComponent(mask, v.dims);
  const { V, T, crossings } = compare(v, range, mask);
  assert.equal(crossings, V);
  assert.ok(Math.abs(T - 2 * V) / T < 0.01, `${T} vs 2 × ${V}`);
});

test('real head CT at 300 HU, every piece: exact vertices, triangles within 1 % of 2V', async (t) => {
  const head = resolve(process.cwd(), '..', 'shared', 'data', 'ct_head_ge_gantry_tilt');
  if (!existsSync(head)) return t.skip('../shared/data is missing');
  const v = (await loadDicomFolderNode(head)).volume;
  const range = { lower: 300, upper: 32767 };
  const { V, T, crossings, report } = compare(v, range);
  assert.ok(report.shells > 10, `${report.shells} shells: a noisy surface`);
  assert.equal(crossings, V);
  assert.ok(Math.abs(T - 2 * V) / T < 0.01, `${T} vs 2 × ${V}`);
});

test('the memory estimate grows with the surface and with the options that keep more', () => {
  const s = shape(1e7);
  const small = buildBytes(1e5, 2e5, s), big = buildBytes(1e6, 2e6, s);
  assert.ok(big > 5 * small, `${big} vs ${small}`);
  // at least the joined mesh (24 bytes a vertex with its two triangles) and the mask
  assert.ok(big >= 24e6 + 1e7, `${big}`);
  assert.ok(buildBytes(1e6, 2e6, { ...s, detail: { kind: 'full' } }) > big * 0.9);
  assert.ok(buildBytes(1e6, 2e6, { ...s, smoothing: 0, detail: { kind: 'full' } }) < big);
});

test('buildMesh with a memory limit: refused before the isosurface with the exact size, built under a roomy one', async () => {
  const v = makeHeadPhantom({ dims: [96, 96, 60] });
  const range = { lower: 300, upper: 32767 };
  const opts = { keepLargest: true, ...DEFAULT_REFINE };
  const stages: string[] = [];
  await assert.rejects(
    buildMesh([meshApi, meshApi], v, range, { ...opts, maxBuildBytes: 1e6 }, (p) => p.fraction === undefined && stages.push(p.stage)),
    (e: unknown) => e instanceof ModelTooLarge && e.limitBytes === 1e6 && e.estimate.peakBytes > 1e6 && /million triangles/.test(e.message),
  );
  assert.deepEqual(stages, ['mask', 'components', 'size estimate']);
  const built = await buildMesh([meshApi, meshApi], v, range, { ...opts, maxBuildBytes: 2 ** 40 });
  const plain = await buildMesh([meshApi, meshApi], v, range, opts);
  assert.deepEqual(plain.estimate, built.estimate); // (every build counts its size, with a limit or not)
  assert.equal(built.estimate!.vertices * 2, built.estimate!.triangles);
  assert.ok(Math.abs(built.trianglesIsosurface - built.estimate!.triangles) / built.trianglesIsosurface < 0.01);
  assert.deepEqual(built.mesh, plain.mesh);
});
