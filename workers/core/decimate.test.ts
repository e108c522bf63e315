import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, decimateJob, decimateThread } from './decimate';
import { plainMemory, type Alloc } from './memory';
import { growingMemory } from './reserve';
import { distanceToSurface, meshDeviation } from './deviation';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { taubinSmooth } from './smooth';
import { BONE, binaryVolume, rng, speckledBall, volumeFrom } from './testVolumes';
import type { Mesh } from './types';
import { assertPrintable } from './testAssert';


/** Decimates and checks what every decimation must keep: closed, manifold, same topology, same volume. */
function decimateAndCheck(mesh: Mesh, what: string, opts: Parameters<typeof decimate>[1]) {
  const before = checkMesh(mesh);
  const result = decimate(mesh, opts);
  const after = checkMesh(result.mesh);
  assertPrintable(after, what);
  assert.equal(after.shells, before.shells, `${what}: shells`);
  assert.equal(after.eulerCharacteristic, before.eulerCharacteristic, `${what}: Euler characteristic (topology)`);
  const dv = Math.abs(after.volumeMm3 / before.volumeMm3 - 1);
  assert.ok(dv < 0.01, `${what}: volume change ${(dv * 100).toFixed(3)} % (limit 1 %)`);
  assert.equal(result.trianglesOut, after.triangles);
  return { before, after, result };
}

/** Every triangle of a sphere around the grid centre faces away from it (a flipped face would not). */
function assertFacesOutward(mesh: Mesh, what: string) {
  const P = mesh.positions, I = mesh.indices;
  for (let t = 0; t < I.length / 3; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    const u = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
    const w = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
    const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
    const centroid = [0, 1, 2].map((k) => (P[a + k] + P[b + k] + P[c + k]) / 3 - 31.5); // grid centre
    assert.ok(n[0] * centroid[0] + n[1] * centroid[1] + n[2] * centroid[2] > 0, `${what}: triangle ${t} faces inward`);
  }
}

const sphere = () => marchingCubes(volumeFrom([64, 64, 64], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - 25), BONE);

test('decimate: a sphere to 10 % stays a closed sphere of the same volume, no face turned inward', () => {
  const mesh = sphere();
  const { before, after, result } = decimateAndCheck(mesh, 'sphere', { targetTriangles: 0.1 * checkMesh(mesh).triangles });
  assert.ok(after.triangles <= Math.ceil(0.1 * before.triangles), `reached the target: ${after.triangles}`);
  assert.equal(after.eulerCharacteristic, 2);
  assertFacesOutward(result.mesh, 'sphere');
  // the surface is still a sphere of radius ≈ 25: measured deviation small and reported honestly
  const dev = meshDeviation(mesh, result.mesh);
  assert.ok(dev.maxMm < 0.5, `deviation ${dev.maxMm.toFixed(3)} mm`);
  assert.ok(result.estimatedDeviationMm > 0);
});

test('decimate: a torus keeps genus 1 (Euler 0) down to 1 % of its triangles', () => {
  const torus = marchingCubes(volumeFrom([80, 80, 40], [1, 1, 1], (x, y, z) => Math.hypot(Math.hypot(x, y) - 20, z) - 7), BONE);
  for (const frac of [0.1, 0.01]) {
    const { after } = decimateAndCheck(torus, `torus ${frac}`, { targetTriangles: frac * checkMesh(torus).triangles });
    assert.equal(after.eulerCharacteristic, 0);
  }
});

test('decimate: a maximum deviation in mm is respected (measured both ways) and stops early', () => {
  const mesh = sphere();
  const n = checkMesh(mesh).triangles;
  for (const tol of [0.05, 0.2, 0.5]) {
    const { after, result } = decimateAndCheck(mesh, `tolerance ${tol}`, { maxDeviationMm: tol });
    const dev = meshDeviation(mesh, result.mesh);
    assert.ok(dev.maxMm <= tol, `tolerance ${tol} mm: measured ${dev.maxMm.toFixed(3)} mm`);
    assert.ok(result.estimatedDeviationMm <= tol + 1e-9);
    assert.ok(after.triangles < n, `tolerance ${tol} removed something (${after.triangles} of ${n})`);
  }
  const loose = decimate(mesh, { maxDeviationMm: 0.5 }).trianglesOut;
  const tight = decimate(mesh, { maxDeviationMm: 0.05 }).trianglesOut;
  assert.ok(loose < tight, `a looser tolerance keeps fewer triangles (${loose} < ${tight})`);
});

test('decimate: an ellipsoid shell (two nested surfaces), smoothed first, keeps both shells closed', () => {
  const inside = (x: number, y: number, z: number, s: number) => Math.hypot(x / (30 - s), y / (22 - s), z / (18 - s)) - 1;
  const shell = marchingCubes(
    volumeFrom([72, 56, 48], [1, 1, 1], (x, y, z) => Math.max(inside(x, y, z, 0) * 20, -inside(x, y, z, 4) * 16)),
    BONE,
  );
  const smooth = taubinSmooth(shell);
  const { after } = decimateAndCheck(smooth, 'ellipsoid shell', { targetTriangles: 0.1 * checkMesh(smooth).triangles });
  assert.equal(after.shells, 2);
});

test('decimate: two cubes touching along an edge and random noise stay closed 2-manifolds', () => {
  // two cubes sharing one edge: marching cubes keeps them apart, decimation must too
  const cubes = marchingCubes(
    binaryVolume([24, 24, 14], (i, j, k) => k > 2 && k < 11 && ((i > 2 && i < 12 && j > 2 && j < 12) || (i >= 12 && i < 21 && j >= 12 && j < 21))),
    BONE,
  );
  decimateAndCheck(cubes, 'touching cubes', { targetTriangles: 40 });
  const r = rng(7);
  const noise = marchingCubes(binaryVolume([24, 24, 24], () => r() < 0.35), BONE);
  for (const frac of [0.5, 0.1]) decimateAndCheck(noise, `noise ${frac}`, { targetTriangles: frac * checkMesh(noise).triangles });
});

test('decimate: a mesh that is not closed is left closed where it was and untouched where it was not', () => {
  // open box: a cube without its top face
  const cube = marchingCubes(binaryVolume([12, 12, 12], (i, j, k) => i > 1 && i < 10 && j > 1 && j < 10 && k > 1 && k < 10), BONE);
  const P = cube.positions, I = cube.indices;
  let zmax = -Infinity;
  for (let v = 0; v < P.length / 3; v++) zmax = Math.max(zmax, P[3 * v + 2]);
  const keep: number[] = [];
  for (let t = 0; t < I.length / 3; t++) if (![0, 1, 2].every((k) => P[3 * I[3 * t + k] + 2] === zmax)) keep.push(I[3 * t], I[3 * t + 1], I[3 * t + 2]);
  const open = { positions: P, indices: Uint32Array.from(keep) };
  const before = checkMesh(open);
  assert.ok(before.boundaryEdges > 0);
  const after = checkMesh(decimate(open, { targetTriangles: 10 }).mesh);
  assert.equal(after.boundaryEdges, before.boundaryEdges, 'the rim is kept as it was');
  assert.equal(after.nonManifoldEdges, 0);
  assert.equal(after.inconsistentEdges, 0);
  assert.ok(after.triangles < before.triangles);
});

test('deviation: distance from points to a surface matches the analytic distance', () => {
  const mesh = sphere(); // radius ≈ 25 around the grid centre
  const pts = new Float32Array([0, 0, 0, 35, 0, 0, 0, -30, 0]);
  const centre = 31.5;
  for (let i = 0; i < pts.length; i++) pts[i] += centre;
  const d = distanceToSurface(pts.subarray(3, 6), mesh);
  assert.ok(Math.abs(d.maxMm - 10) < 0.1, `10 mm outside: ${d.maxMm}`);
  const inside = distanceToSurface(pts.subarray(0, 3), mesh);
  assert.ok(Math.abs(inside.maxMm - 25) < 0.1, `centre: ${inside.maxMm}`);
  assert.equal(meshDeviation(mesh, mesh).maxMm, 0);
});

// ---- spatial partitions (the parallel decimation; see decimateThread) ----

/** Meshes whose features cross the partition borders (bins along the longest axis, here x). */
const crossing = {
  /** a torus lying along x, cut by every border */
  torus: () => marchingCubes(volumeFrom([96, 40, 40], [1, 1, 1], (x, y, z) => Math.hypot(Math.hypot(x / 1.8, y) - 12, z) - 5), BONE),
  /** a rod 3 voxels thick along x and a thin plate across it: thin features straddling the borders */
  thin: () =>
    marchingCubes(
      binaryVolume([80, 24, 24], (i, j, k) => (j >= 10 && j < 13 && k >= 10 && k < 13 && i > 2 && i < 77) || (i >= 38 && i < 40 && j > 2 && j < 21 && k > 2 && k < 21)),
      BONE,
    ),
  /** cubes touching along edges, in a row across the borders */
  cubes: () =>
    marchingCubes(
      binaryVolume([64, 20, 14], (i, j, k) => k > 2 && k < 11 && [3, 12, 21, 30, 39, 48].some((x0, n) => i >= x0 && i < x0 + 9 && (n % 2 ? j >= 9 && j < 17 : j > 1 && j < 9))),
      BONE,
    ),
};

for (const partitions of [1, 2, 3, 7]) {
  test(`decimate over ${partitions} partition${partitions > 1 ? 's' : ''}: sphere, torus, thin rod and plate, touching cubes keep every guarantee`, () => {
    const opts = (keep: number, mesh: Mesh) => ({ targetTriangles: keep * checkMesh(mesh).triangles, partitions, partitionEdges: 0 });
    const s = sphere();
    const { after, result } = decimateAndCheck(s, `sphere/${partitions}`, opts(0.1, s));
    assert.ok(Math.abs(after.triangles - 0.1 * checkMesh(s).triangles) <= 2, `sphere/${partitions}: ${after.triangles} triangles`);
    assert.ok(meshDeviation(s, result.mesh).maxMm < 0.5, `sphere/${partitions}: deviation`);
    assertFacesOutward(result.mesh, `sphere/${partitions}`);
    const volume = (m: Mesh) => checkMesh(m).volumeMm3;
    assert.ok(Math.abs(volume(result.mesh) / volume(s) - 1) < 1e-4, `sphere/${partitions}: volume kept (Lindstrom–Turk)`);
    for (const [name, make] of Object.entries(crossing)) {
      const mesh = make();
      for (const keep of [0.2, 0.05]) {
        const r = decimateAndCheck(mesh, `${name}/${partitions}/${keep}`, opts(keep, mesh));
        assert.ok(Math.abs(r.after.volumeMm3 / r.before.volumeMm3 - 1) < 1e-4, `${name}/${partitions}/${keep}: volume kept`);
      }
    }
    const torus = crossing.torus();
    assert.equal(decimateAndCheck(torus, `torus/${partitions}`, opts(0.02, torus)).after.eulerCharacteristic, 0);
  });

  test(`decimate over ${partitions} partition${partitions > 1 ? 's' : ''}: a tolerance in mm is respected, measured both ways`, () => {
    const mesh = sphere();
    for (const tol of [0.05, 0.3]) {
      const { result } = decimateAndCheck(mesh, `tolerance ${tol}/${partitions}`, { maxDeviationMm: tol, partitions, partitionEdges: 0 });
      assert.ok(meshDeviation(mesh, result.mesh).maxMm <= tol, `tolerance ${tol}/${partitions}`);
      assert.ok(result.estimatedDeviationMm <= tol + 1e-9);
    }
  });
}

test('decimate: partitions on a noisy volume (many small shells) keep every guarantee', () => {
  const r = rng(11);
  const noise = marchingCubes(binaryVolume([40, 24, 24], () => r() < 0.35), BONE);
  for (const partitions of [2, 7]) decimateAndCheck(noise, `noise/${partitions}`, { targetTriangles: 0.1 * checkMesh(noise).triangles, partitions, partitionEdges: 0 });
});

test('decimate: an empty mesh gives an empty mesh (the CLI meets one when no voxel is in the range)', () => {
  const r = decimate({ positions: new Float32Array(0), indices: new Uint32Array(0) }, { targetTriangles: 0 });
  assert.deepEqual([r.trianglesIn, r.trianglesOut, r.mesh.positions.length, r.mesh.indices.length], [0, 0, 0, 0]);
});

test('decimate: the cost histograms the collapses keep current equal a recount of the edges left, on 1, 2, 3 and 7 partitions (and 3 in WebAssembly)', () => {
  const torus = marchingCubes(volumeFrom([80, 80, 40], [1, 1, 1], (x, y, z) => Math.hypot(Math.hypot(x, y) - 20, z) - 7), BONE);
  const r = rng(11);
  const noise = marchingCubes(binaryVolume([24, 24, 24], () => r() < 0.35), BONE);
  for (const [what, mesh] of [['torus', taubinSmooth(torus)], ['noise', noise]] as const)
    for (const [partitions, alloc] of [[1, plainMemory], [2, plainMemory], [3, plainMemory], [7, plainMemory], [3, growingMemory()]] as const) {
      const job = decimateJob(mesh, { targetTriangles: mesh.indices.length / 30, partitions, partitionEdges: 0 }, 1, alloc);
      decimateThread(job, 0);
      const { vOut, locked, opp, I, bucket, cheapest, binOf, hist } = job;
      const H = hist.length / (2 * job.partitions);
      const recount = new Int32Array(hist.length);
      let tooHigh = 0;
      for (let a = 0; a < vOut.length; a++) {
        if (vOut[a] < 0 || locked[a]) continue;
        let h = vOut[a], low = 0xffff;
        do {
          const b = I[h % 3 === 2 ? h - 2 : h + 1];
          if (opp[h] > h && !locked[b]) {
            const k = bucket[h];
            recount[H * binOf[a] + k]++;
            low = Math.min(low, k);
          }
          const p = h % 3 === 0 ? h + 2 : h - 1;
          h = opp[p];
        } while (h !== vOut[a]);
        if (cheapest[a] > low) tooHigh++;
      }
      assert.deepEqual(hist, recount, `${what}, ${partitions} partitions: histograms`);
      assert.equal(tooHigh, 0, `${what}, ${partitions} partitions: no vertex's cheapest bucket above its cheapest edge`);
    }
});

test('decimate: vertices whose edges were all refused are passed over until something near them changes, and the mesh is the same as looking every time', () => {
  // speckle around a rough ball (a noisy MR at a low threshold): the single-voxel pieces cannot go below
  // tetrahedra and the rough ball refuses many flips, so 5 % is out of reach and the passes run until
  // no edge can go
  const mesh = taubinSmooth(marchingCubes(speckledBall(7), BONE), { iterations: 5 });
  const before = checkMesh(mesh);
  assert.ok(before.shells > 500, `speckle: ${before.shells} pieces`);
  for (const partitions of [1, 3]) {
    const opts = { targetTriangles: 0.05 * before.triangles, partitions, partitionEdges: 0 };
    const remembered = decimate(mesh, opts);
    const rechecked = decimate(mesh, { ...opts, recheck: true });
    assert.ok(remembered.trianglesOut > opts.targetTriangles, `out of reach: ${remembered.trianglesOut} triangles`);
    assert.ok(remembered.skipped > 1000, `${partitions} partitions: ${remembered.skipped} vertices passed over`);
    assert.equal(rechecked.skipped, 0);
    assert.deepEqual(remembered.mesh.indices, rechecked.mesh.indices, `${partitions} partitions: the same triangles`);
    assert.deepEqual(remembered.mesh.positions, rechecked.mesh.positions, `${partitions} partitions: the same positions`);
    const after = checkMesh(remembered.mesh);
    assertPrintable(after, `speckle, ${partitions} partitions`);
    assert.equal(after.shells, before.shells);
    assert.equal(after.eulerCharacteristic, before.eulerCharacteristic);
  }
});

test('decimate: the collapse passes report each step over its partitions (the bench projects them onto more workers)', () => {
  const mesh = sphere();
  const triangles = mesh.indices.length / 3;
  for (const partitions of [1, 3, 7]) {
    const result = decimate(mesh, { targetTriangles: 0.1 * triangles, partitions, partitionEdges: 0 });
    const passesMs = result.stages.find((s) => s.name === 'collapse passes')!.ms;
    const { steps } = result;
    // the merges of coincident vertices (two shifts when partitions are narrower than the mesh), the costing, then the passes
    assert.ok(steps.length >= 3, `${partitions} partitions: ${steps.length} steps`);
    let work = 0;
    for (const [i, s] of steps.entries()) {
      assert.ok(s.partitions === partitions || s.partitions === partitions + 1, `${partitions} partitions, step ${i}: ${s.partitions} partitions`);
      assert.ok(s.longestMs >= 0 && s.longestMs <= s.workMs + 1e-9, `step ${i}: the longest partition within the step's work`);
      assert.ok(s.workMs <= s.partitions * s.longestMs + 1e-9, `step ${i}: no partition longer than the longest`);
      work += s.workMs;
    }
    // one thread did every partition, inside the stage's time
    assert.ok(work <= passesMs + 1e-6, `${partitions} partitions: partitions' work ${work} ms within the passes' ${passesMs} ms`);
    assert.ok(work > 0.25 * passesMs, `${partitions} partitions: the partitions are much of the passes (${work} of ${passesMs} ms)`);
  }
});

test('decimate: the WebAssembly kernels give the JavaScript steps\' meshes bit for bit (smoothing, merges, passes on 1, 3 and 7 partitions, a tolerance, rechecks)', () => {
  const copy = (m: Mesh): Mesh => ({ positions: m.positions.slice(), indices: m.indices.slice() });
  const r = rng(5);
  const noise = marchingCubes(binaryVolume([30, 24, 24], () => r() < 0.35), BONE);
  const torus = marchingCubes(volumeFrom([80, 80, 40], [1, 1, 1], (x, y, z) => Math.hypot(Math.hypot(x, y) - 20, z) - 7), BONE);
  const speckle = marchingCubes(speckledBall(7), BONE);
  const cases: [string, Mesh, Parameters<typeof decimate>[1]][] = [
    ['torus, smoothed, 1 partition', torus, { targetTriangles: torus.indices.length / 30, partitions: 1, smoothing: { iterations: 10 } }],
    ['torus, smoothed, 7 partitions', torus, { targetTriangles: torus.indices.length / 30, partitions: 7, partitionEdges: 0, smoothing: { iterations: 10 } }],
    ['noise, 3 partitions', noise, { targetTriangles: noise.indices.length / 10, partitions: 3, partitionEdges: 0 }],
    ['sphere, 0.3 mm', sphere(), { maxDeviationMm: 0.3, partitions: 3, partitionEdges: 0 }],
    ['speckle, smoothed hard (coincident vertices: about 11,000 triangles of no area), rechecked', speckle, { targetTriangles: speckle.indices.length / 20, partitions: 3, partitionEdges: 0, recheck: true, smoothing: { iterations: 50 } }],
  ];
  for (const [what, mesh, opts] of cases) {
    const kernelMemory: Alloc = growingMemory();
    assert.ok(decimateJob(mesh, opts, 1, growingMemory()).memory, `${what}: the job's arrays in one WebAssembly memory`);
    assert.equal(decimateJob(mesh, opts, 1, plainMemory).memory, null, `${what}: not in plain memory`);
    const js = decimate(copy(mesh), opts, plainMemory);
    const wasm = decimate(copy(mesh), opts, kernelMemory);
    assert.ok(js.trianglesOut < js.trianglesIn, `${what}: decimated`);
    assert.deepEqual(wasm.mesh.indices, js.mesh.indices, `${what}: the same triangles`);
    assert.deepEqual(wasm.mesh.positions, js.mesh.positions, `${what}: the same positions`);
    assert.equal(wasm.estimatedDeviationMm, js.estimatedDeviationMm, `${what}: the same worst collapse`);
    assert.equal(wasm.skipped, js.skipped, `${what}: the same vertices passed over`);
  }
});
